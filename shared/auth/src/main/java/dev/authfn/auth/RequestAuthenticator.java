package dev.authfn.auth;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.authz.StepUpChallenge;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.cookie.SessionCookieCodec;
import dev.authfn.core.csrf.CsrfTokens;
import dev.authfn.core.csrf.OriginCheck;
import dev.authfn.core.jwt.AccessTokenClaims;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The authorizer's decision for one request, independent of the API Gateway payload format.
 *
 * <p>Cookie path: the cookie's signature and age are checked before any database read; for unsafe
 * methods the {@code Sec-Fetch-Site}/{@code Origin} check and the CSRF token come next (still no
 * read); then the session is read (strongly consistent), its secret compared in constant time,
 * its idle expiry slid (at most one write per half idle timeout, a minute at most). Bearer path: the access token is verified,
 * or found in the {@link VerifiedTokenCache} when this instance verified it before and it has not
 * expired, then, unless bearer tokens are stateless, its session must still be live (the cache
 * never skips that read). Last, the route policy. Any failure, including a store outage or an
 * unexpected error, is a {@link Deny}.
 */
public final class RequestAuthenticator {

    /**
     * What the authorizer needs from a request, untrusted, built by name ({@link #builder()}) so
     * that two headers cannot trade places unseen. The authorizer function builds it from its
     * event in one place ({@code AuthorizerRequests}), for HTTP API (v2) and REST API (v1) events.
     */
    public static final class Request {
        private final String method;
        private final String routeKey;
        private final List<String> cookies;
        private final String authorization;
        private final String csrfToken;
        private final String origin;
        private final String secFetchSite;
        private final String selfOrigin;

        private Request(Builder builder) {
            this.method = builder.method;
            this.routeKey = builder.routeKey;
            this.cookies = builder.cookies == null ? List.of() : List.copyOf(builder.cookies);
            this.authorization = builder.authorization;
            this.csrfToken = builder.csrfToken;
            this.origin = builder.origin;
            this.secFetchSite = builder.secFetchSite;
            this.selfOrigin = builder.selfOrigin;
        }

        public static Builder builder() {
            return new Builder();
        }

        /** The HTTP method, e.g. {@code POST}. */
        public String method() {
            return method;
        }

        /** The route the policy is looked up by, e.g. {@code POST /posts}. */
        public String routeKey() {
            return routeKey;
        }

        /** The {@code name=value} pairs of every {@code Cookie} header (empty when none). */
        public List<String> cookies() {
            return cookies;
        }

        /** {@code Authorization}, or null. */
        public String authorization() {
            return authorization;
        }

        /** {@code X-CSRF-Token}, or null. */
        public String csrfToken() {
            return csrfToken;
        }

        /** {@code Origin}, or null. */
        public String origin() {
            return origin;
        }

        /** {@code Sec-Fetch-Site}, or null. */
        public String secFetchSite() {
            return secFetchSite;
        }

        /** The origin the request addressed ({@code X-Forwarded-Proto} and {@code Host}), or null. */
        public String selfOrigin() {
            return selfOrigin;
        }

        /** The route only: the rest may hold credentials. */
        @Override
        public String toString() {
            return "Request[" + routeKey + "]";
        }

        /** Sets each part by name; anything not set is absent. */
        public static final class Builder {
            private String method;
            private String routeKey;
            private List<String> cookies;
            private String authorization;
            private String csrfToken;
            private String origin;
            private String secFetchSite;
            private String selfOrigin;

            private Builder() {
            }

            public Builder method(String method) {
                this.method = method;
                return this;
            }

            public Builder routeKey(String routeKey) {
                this.routeKey = routeKey;
                return this;
            }

            public Builder cookies(List<String> cookies) {
                this.cookies = cookies;
                return this;
            }

            public Builder authorization(String authorization) {
                this.authorization = authorization;
                return this;
            }

            public Builder csrfToken(String csrfToken) {
                this.csrfToken = csrfToken;
                return this;
            }

            public Builder origin(String origin) {
                this.origin = origin;
                return this;
            }

            public Builder secFetchSite(String secFetchSite) {
                this.secFetchSite = secFetchSite;
                return this;
            }

            public Builder selfOrigin(String selfOrigin) {
                this.selfOrigin = selfOrigin;
                return this;
            }

            public Request build() {
                return new Request(this);
            }
        }
    }

    /** The outcome of {@link #authorize}. */
    public sealed interface Decision permits Identity, StepUpRequired {
    }

    /** The outcome of {@link #authenticate}: who the caller is, or why not. */
    public sealed interface Identity extends Decision permits Allow, Deny {
    }

    public record Allow(Principal principal) implements Identity {
    }

    /**
     * The caller is authenticated and has the route's roles and permissions, but its login is not
     * strong or recent enough for the route's step-up rule (RFC 9470). Not a denial: the HTTP API
     * authorizer allows with a context that carries only {@code challenge} and no principal, so the
     * function answers 401 with it (an HTTP API authorizer cannot send a 401 with a header).
     */
    public record StepUpRequired(Principal principal, StepUpChallenge challenge) implements Decision {
        public StepUpRequired {
            Objects.requireNonNull(principal, "principal");
            Objects.requireNonNull(challenge, "challenge");
        }
    }

    /** A refusal with its reason code and, where one exists, the finer reason of the check that failed. */
    public record Deny(DenyReason reason, String detail) implements Identity {
        public Deny(DenyReason reason) {
            this(reason, reason.name());
        }

        /** One token for logs, e.g. {@code BAD_COOKIE/BAD_SIGNATURE}. */
        public String code() {
            return reason.name().equals(detail) ? detail : reason.name() + "/" + detail;
        }
    }

    /** Why a request was denied. */
    public enum DenyReason {
        NO_CREDENTIALS,
        UNSUPPORTED_AUTHORIZATION,
        DUPLICATE_COOKIE,
        BAD_COOKIE,
        BAD_TOKEN,
        CROSS_SITE,
        FOREIGN_ORIGIN,
        CSRF,
        SESSION_ENDED,
        FORBIDDEN,
        STORE_UNAVAILABLE,
        INTERNAL_ERROR
    }

    private static final String BEARER = "bearer ";

    private final SessionStore sessions;
    private final Supplier<CredentialCodecs> codecs;
    private final HttpCookies cookies;
    private final OriginCheck originCheck;
    private final RoutePolicy routePolicy;
    private final SessionTimeouts timeouts;
    private final boolean statelessBearer;
    private final Clock clock;
    private final VerifiedTokenCache tokenCache;

    /** With a {@link VerifiedTokenCache} of {@link VerifiedTokenCache#DEFAULT_MAX_ENTRIES} tokens. */
    public RequestAuthenticator(
            SessionStore sessions,
            Supplier<CredentialCodecs> codecs,
            HttpCookies cookies,
            OriginCheck originCheck,
            RoutePolicy routePolicy,
            SessionTimeouts timeouts,
            boolean statelessBearer,
            Clock clock) {
        this(sessions, codecs, cookies, originCheck, routePolicy, timeouts, statelessBearer, clock,
                new VerifiedTokenCache(VerifiedTokenCache.DEFAULT_MAX_ENTRIES));
    }

    /** @param tokenCache the tokens this instance verified; {@link VerifiedTokenCache#disabled()} for none */
    public RequestAuthenticator(
            SessionStore sessions,
            Supplier<CredentialCodecs> codecs,
            HttpCookies cookies,
            OriginCheck originCheck,
            RoutePolicy routePolicy,
            SessionTimeouts timeouts,
            boolean statelessBearer,
            Clock clock,
            VerifiedTokenCache tokenCache) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
        this.cookies = Objects.requireNonNull(cookies, "cookies");
        this.originCheck = Objects.requireNonNull(originCheck, "originCheck");
        this.routePolicy = Objects.requireNonNull(routePolicy, "routePolicy");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.statelessBearer = statelessBearer;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.tokenCache = Objects.requireNonNull(tokenCache, "tokenCache");
    }

    /**
     * Authenticates the caller, then checks the route policy for {@code request.routeKey()}: what
     * the HTTP API authorizer answers. Roles and permissions first (a failure is a {@link Deny}),
     * then step-up (a failure is {@link StepUpRequired}). Never throws.
     */
    public Decision authorize(Request request) {
        Identity identity = authenticate(request);
        if (identity instanceof Allow allow) {
            try {
                RoutePolicy.Decision decision = routePolicy.evaluate(request.routeKey(), allow.principal(), clock.instant());
                if (decision == RoutePolicy.Decision.STEP_UP_REQUIRED) {
                    return new StepUpRequired(allow.principal(),
                            routePolicy.rule(request.routeKey()).orElseThrow().challenge());
                }
                if (!decision.isAllowed()) {
                    return new Deny(DenyReason.FORBIDDEN, decision.name());
                }
            } catch (RuntimeException e) {
                // e.g. no route key: the policy's immutable map refuses a null lookup
                return new Deny(DenyReason.INTERNAL_ERROR, e.getClass().getSimpleName());
            }
        }
        return identity;
    }

    /**
     * Authenticates the caller only, without the route policy: for callers that express the policy
     * themselves (the REST API authorizer's IAM policy covers every route). Any failure, a store
     * outage included, is a {@link Deny}; never throws.
     */
    public Identity authenticate(Request request) {
        try {
            return checkCredentials(request);
        } catch (StoreUnavailableException e) {
            return new Deny(DenyReason.STORE_UNAVAILABLE);
        } catch (RuntimeException e) {
            return new Deny(DenyReason.INTERNAL_ERROR, e.getClass().getSimpleName());
        }
    }

    public RoutePolicy routePolicy() {
        return routePolicy;
    }

    private Identity checkCredentials(Request request) {
        String authorization = request.authorization();
        if (authorization != null && !authorization.isBlank()) {
            if (authorization.length() <= BEARER.length()
                    || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                return new Deny(DenyReason.UNSUPPORTED_AUTHORIZATION);
            }
            return bearer(authorization.substring(BEARER.length()).trim(), request.routeKey());
        }
        return switch (cookies.findSession(request.cookies())) {
            case HttpCookies.Absent absent -> new Deny(DenyReason.NO_CREDENTIALS);
            case HttpCookies.Duplicate duplicate -> new Deny(DenyReason.DUPLICATE_COOKIE);
            case HttpCookies.Present present -> cookie(present.value(), request);
        };
    }

    private Identity bearer(String presentedToken, String routeKey) {
        Instant now = clock.instant();
        CredentialCodecs current = codecs.get();
        AccessTokenResult result = tokenCache.verify(presentedToken, current.verifier(), now);
        if (result instanceof AccessTokenResult.Rejected rejected) {
            return new Deny(DenyReason.BAD_TOKEN, rejected.reason().name());
        }
        AccessTokenClaims claims = ((AccessTokenResult.Verified) result).claims();
        if (!claims.clientId().equals(current.clientId()) && isAccountRoute(routeKey)) {
            // An OAuth client's token acts on the API for the user, never on the user's own
            // credentials and sessions (docs/API.md §18.4): only ending its own grant is allowed.
            return new Deny(DenyReason.FORBIDDEN, "CLIENT_TOKEN_ON_ACCOUNT_ROUTE");
        }
        if (!statelessBearer && sessions.find(claims.sessionId(), now).isEmpty()) {
            return new Deny(DenyReason.SESSION_ENDED);
        }
        return new Allow(new Principal(
                claims.subject(), claims.username(), claims.roles(), claims.permissions(),
                claims.sessionId(), AuthType.BEARER, claims.amr(), Optional.of(claims.authTime())));
    }

    private Identity cookie(String presentedCookie, Request request) {
        Instant now = clock.instant();
        CredentialCodecs current = codecs.get();
        SessionCookieCodec.Result verified = current.cookies().verify(presentedCookie, now);
        if (verified instanceof SessionCookieCodec.Invalid invalid) {
            return new Deny(DenyReason.BAD_COOKIE, invalid.reason().name());
        }
        SessionCookieCodec.Valid valid = (SessionCookieCodec.Valid) verified;
        String sessionId = valid.token().id();
        if (isUnsafe(request.method())) {
            Optional<OriginCheck.Reason> origin =
                    originCheck.check(request.origin(), request.secFetchSite(), request.selfOrigin());
            if (origin.isPresent()) {
                return new Deny(origin.get() == OriginCheck.Reason.CROSS_SITE
                        ? DenyReason.CROSS_SITE : DenyReason.FOREIGN_ORIGIN);
            }
            String csrfCookie = cookies.findCsrf(request.cookies()) instanceof HttpCookies.Present p ? p.value() : null;
            Optional<CsrfTokens.Reason> csrf = current.csrf().check(sessionId, request.csrfToken(), csrfCookie);
            if (csrf.isPresent()) {
                return new Deny(DenyReason.CSRF, csrf.get().name());
            }
        }
        Optional<Session> found = sessions.find(sessionId, now);
        if (found.isEmpty() || !valid.token().matchesHash(found.get().secretHash())) {
            return new Deny(DenyReason.SESSION_ENDED);
        }
        Session session = found.get();
        if (!Duration.between(session.lastSeenAt(), now).minus(SessionStore.touchInterval(timeouts.idle())).isNegative()
                && sessions.touch(session, now, timeouts.idle()).isEmpty()) {
            return new Deny(DenyReason.SESSION_ENDED);
        }
        return new Allow(new Principal(
                session.userId(), session.username(), session.roles(), session.permissions(),
                session.id(), AuthType.COOKIE, session.amr(), Optional.of(session.authTime())));
    }

    /**
     * authfn's own account routes ({@code /auth/...}), where an OAuth client's token is refused:
     * every one but {@code POST /auth/logout}, which ends the grant the token belongs to. A route
     * key the caller does not know (the REST API authorizer's, whose policy covers every route)
     * is none of them.
     */
    static boolean isAccountRoute(String routeKey) {
        if (routeKey == null || routeKey.equals("POST /auth/logout")) {
            return false;
        }
        int space = routeKey.indexOf(' ');
        return space > 0 && routeKey.startsWith("/auth/", space + 1);
    }

    /** Methods that may change state and so need CSRF protection under cookie authentication. */
    public static boolean isUnsafe(String method) {
        return switch (method == null ? "" : method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD", "OPTIONS" -> false;
            default -> true;
        };
    }
}
