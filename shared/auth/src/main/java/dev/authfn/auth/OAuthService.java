package dev.authfn.auth;

import dev.authfn.core.authz.Principal;
import dev.authfn.core.jwt.AccessTokenClaims;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.jwt.IdTokenIssuer;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.oauth.AuthorizationCode;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.OAuthCredential;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.oauth.Pkce;
import dev.authfn.core.oauth.RedirectUris;
import dev.authfn.core.oauth.RefreshFamily;
import dev.authfn.core.oauth.RefreshToken;
import dev.authfn.core.oauth.Scopes;
import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.token.SessionToken;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The OAuth 2.0 authorization server and OpenID provider (docs/API.md §18): the authorization
 * endpoint's decision, the token endpoint's three grants, revocation, userinfo and the discovery
 * document. HTTP is the handler's business: it hands over the parameters as parsed (every value of
 * every name, so that a repeated one is refused here), the {@code Authorization} header as sent,
 * and the caller's session when its cookie proved one; it renders what comes back. Nothing here
 * throws for bad input; a store outage surfaces as {@link dev.authfn.core.StoreUnavailableException}.
 */
public final class OAuthService {

    /** {@code state} and {@code nonce} longer than this are refused (they come back in URLs and tokens). */
    static final int MAX_ECHOED = 512;
    private static final String BASIC = "basic ";

    private final OAuthStore oauth;
    private final UserStore users;
    private final SessionStore sessions;
    private final Supplier<CredentialCodecs> codecs;
    private final SessionStarter starter;
    private final OAuthSettings settings;
    private final String issuer;
    private final String ownClientId;
    private final Duration accessTokenLifetime;
    private final SecureRandom random;
    private final Clock clock;

    OAuthService(OAuthStore oauth, UserStore users, SessionStore sessions, Supplier<CredentialCodecs> codecs,
            SessionStarter starter, OAuthSettings settings, String issuer, String ownClientId,
            Duration accessTokenLifetime, SecureRandom random, Clock clock) {
        this.oauth = Objects.requireNonNull(oauth, "oauth");
        this.users = Objects.requireNonNull(users, "users");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
        this.starter = Objects.requireNonNull(starter, "starter");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.ownClientId = Objects.requireNonNull(ownClientId, "ownClientId");
        this.accessTokenLifetime = Objects.requireNonNull(accessTokenLifetime, "accessTokenLifetime");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---- GET /oauth2/authorize (§18.2) ----

    /** What the authorization endpoint answers. */
    public sealed interface Authorization permits ErrorPage, Redirect, LoginPage {
        /** The audit reason; {@code issued} for a code. */
        String reason();
    }

    /** 400, an HTML page saying {@code message}: the client or its redirect URI is not known, so nothing is sent to it. */
    public record ErrorPage(String reason, String message) implements Authorization {
    }

    /** 302 to {@code location}: the client's redirect URI with a code, or with an RFC 6749 §4.1.2.1 error. */
    public record Redirect(String reason, String location, Optional<String> userId) implements Authorization {
    }

    /** 200, the hosted login page: the caller must log in first (§18.3). */
    public record LoginPage(String reason) implements Authorization {
    }

    /**
     * @param parameters the query string's parameters
     * @param caller the caller's session, when its {@code __Host-session} cookie proved a live one
     */
    public Authorization authorize(Map<String, List<String>> parameters, Optional<Principal> caller) {
        Instant now = clock.instant();
        Optional<OAuthClient> client = single(parameters, "client_id").flatMap(this::lookUpClient);
        if (client.isEmpty()) {
            return new ErrorPage("unknown_client", "The application that sent you here is not registered.");
        }
        Optional<String> redirect = single(parameters, "redirect_uri")
                .filter(uri -> uri.length() <= RedirectUris.MAX_LENGTH && client.get().allowsRedirect(uri));
        if (redirect.isEmpty()) {
            return new ErrorPage("bad_redirect_uri",
                    "The address to return to is not one registered for this application, so you are not sent there.");
        }
        Optional<String> state = single(parameters, "state").filter(value -> value.length() <= MAX_ECHOED);
        Back back = new Back(redirect.get(), state);
        if (parameters.values().stream().anyMatch(values -> values.size() > 1)) {
            return back.error("invalid_request", "A parameter was given more than once.");
        }
        if (single(parameters, "state").isPresent() && state.isEmpty()) {
            return back.error("invalid_request", "state is longer than " + MAX_ECHOED + " characters.");
        }
        if (!single(parameters, "response_type").orElse("").equals("code")) {
            return back.error("unsupported_response_type", "Only response_type=code is supported.");
        }
        if (single(parameters, "request").isPresent()) {
            return back.error("request_not_supported", "Request objects are not supported.");
        }
        if (single(parameters, "request_uri").isPresent()) {
            return back.error("request_uri_not_supported", "request_uri is not supported.");
        }
        Optional<String> challenge = single(parameters, "code_challenge");
        if (challenge.isEmpty()) {
            return back.error("invalid_request", "PKCE is required: code_challenge is missing.");
        }
        if (!single(parameters, "code_challenge_method").orElse("plain").equals(Pkce.S256)) {
            return back.error("invalid_request", "code_challenge_method must be S256.");
        }
        if (!Pkce.isChallenge(challenge.get())) {
            return back.error("invalid_request", "code_challenge must be 43 base64url characters (S256).");
        }
        Optional<Set<String>> requested = Scopes.parse(single(parameters, "scope").orElse(""));
        if (requested.isEmpty() || !client.get().scopes().containsAll(requested.get())) {
            return back.error("invalid_scope", "The scope is malformed or asks for more than this application may.");
        }
        Optional<String> prompt = single(parameters, "prompt");
        if (prompt.isPresent() && !prompt.get().equals("login") && !prompt.get().equals("none")) {
            return back.error("invalid_request", "prompt must be login or none.");
        }
        Optional<String> maxAge = single(parameters, "max_age");
        if (maxAge.isPresent() && !maxAge.get().matches("[0-9]{1,9}")) {
            return back.error("invalid_request", "max_age must be a whole number of seconds.");
        }
        Optional<String> nonce = single(parameters, "nonce");
        if (nonce.isPresent() && nonce.get().length() > MAX_ECHOED) {
            return back.error("invalid_request", "nonce is longer than " + MAX_ECHOED + " characters.");
        }
        Optional<String> stale = loginNeeded(caller, prompt, maxAge, now);
        if (stale.isPresent()) {
            return prompt.filter("none"::equals).isPresent()
                    ? back.error("login_required", "The user must sign in.")
                    : new LoginPage(stale.get());
        }
        Principal principal = caller.orElseThrow();
        Set<String> granted = new LinkedHashSet<>();
        for (String scope : requested.get()) {
            if (Scopes.OPENID_SCOPES.contains(scope) || principal.permissions().contains(scope)) {
                granted.add(scope);
            }
        }
        String code = OAuthCredential.generate(random);
        oauth.saveCode(new AuthorizationCode(OAuthCredential.hash(code), client.get().clientId(), redirect.get(),
                challenge.get(), granted, nonce, principal.userId(), principal.username(), principal.sessionId(),
                principal.amr(), principal.authTime().orElse(now), now, now.plus(AuthorizationCode.LIFETIME)));
        return new Redirect("issued", back.location(Map.of("code", code)), Optional.of(principal.userId()));
    }

    /** Why the caller must log in first, or empty when its session will do. */
    private static Optional<String> loginNeeded(Optional<Principal> caller, Optional<String> prompt,
            Optional<String> maxAge, Instant now) {
        if (caller.isEmpty()) {
            return Optional.of("login_required");
        }
        if (prompt.filter("login"::equals).isPresent()) {
            return Optional.of("login_requested");
        }
        if (maxAge.isPresent()) {
            Instant authTime = caller.get().authTime().orElse(Instant.EPOCH);
            if (Duration.between(authTime, now).getSeconds() > Long.parseLong(maxAge.get())) {
                return Optional.of("login_too_old");
            }
        }
        return Optional.empty();
    }

    /** The way back to a client whose redirect URI checked out: with a code, or with an error. */
    private final class Back {
        private final String redirectUri;
        private final Optional<String> state;

        Back(String redirectUri, Optional<String> state) {
            this.redirectUri = redirectUri;
            this.state = state;
        }

        Redirect error(String error, String description) {
            Map<String, String> parameters = new LinkedHashMap<>();
            parameters.put("error", error);
            parameters.put("error_description", description);
            return new Redirect(error, location(parameters), Optional.empty());
        }

        /** The redirect URI with {@code parameters}, then {@code state} and {@code iss} (RFC 9207). */
        String location(Map<String, String> parameters) {
            StringBuilder location = new StringBuilder(redirectUri).append(redirectUri.indexOf('?') >= 0 ? '&' : '?');
            Map<String, String> all = new LinkedHashMap<>(parameters);
            state.ifPresent(value -> all.put("state", value));
            all.put("iss", issuer);
            boolean first = true;
            for (Map.Entry<String, String> parameter : all.entrySet()) {
                if (!first) {
                    location.append('&');
                }
                first = false;
                location.append(parameter.getKey()).append('=')
                        .append(URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8));
            }
            return location.toString();
        }
    }

    // ---- POST /oauth2/token and /oauth2/revoke (§18.4 to §18.6) ----

    /** What the token or revocation endpoint answers. */
    public sealed interface TokenAnswer permits Tokens, Revoked, TokenError {
        String reason();
    }

    /** 200 with {@code body} (JSON): the tokens. */
    public record Tokens(String reason, Map<String, Object> body, Optional<String> userId) implements TokenAnswer {
    }

    /** 200 with no body: the revocation was done, or there was nothing to revoke. */
    public record Revoked(String reason) implements TokenAnswer {
    }

    /**
     * An RFC 6749 §5.2 error: {@code status} (400, 401 or 503), the body
     * {@code {"error", "error_description"}}, and, when {@code basicChallenge}, a
     * {@code WWW-Authenticate: Basic realm="authfn"} header.
     */
    public record TokenError(String reason, int status, String error, String description, boolean basicChallenge)
            implements TokenAnswer {
        public TokenError {
            Objects.requireNonNull(error, "error");
        }

        static TokenError invalidRequest(String description) {
            return new TokenError("invalid_request", 400, "invalid_request", description, false);
        }

        static TokenError invalidGrant(String reason) {
            return new TokenError(reason, 400, "invalid_grant",
                    "The grant is invalid, expired, revoked, or was issued to another client.", false);
        }
    }

    /**
     * @param authorization the request's {@code Authorization} header, or null
     * @param form the form body's parameters
     * @param userAgent and {@code sourceIp}: recorded on the grant's session
     */
    public TokenAnswer token(String authorization, Map<String, List<String>> form, String userAgent, String sourceIp) {
        if (form.values().stream().anyMatch(values -> values.size() > 1)) {
            return TokenError.invalidRequest("A parameter was given more than once.");
        }
        Object authenticated = authenticateClient(authorization, form);
        if (authenticated instanceof TokenError error) {
            return error;
        }
        OAuthClient client = (OAuthClient) authenticated;
        Optional<String> grantType = single(form, "grant_type");
        if (grantType.isEmpty()) {
            return TokenError.invalidRequest("grant_type is required.");
        }
        return switch (grantType.get()) {
            case "authorization_code" -> exchangeCode(client, form, userAgent, sourceIp);
            case "refresh_token" -> refresh(client, form);
            case "client_credentials" -> clientCredentials(client, form);
            default -> new TokenError("unsupported_grant_type", 400, "unsupported_grant_type",
                    "grant_type must be authorization_code, refresh_token or client_credentials.", false);
        };
    }

    public TokenAnswer revoke(String authorization, Map<String, List<String>> form) {
        if (form.values().stream().anyMatch(values -> values.size() > 1)) {
            return TokenError.invalidRequest("A parameter was given more than once.");
        }
        Object authenticated = authenticateClient(authorization, form);
        if (authenticated instanceof TokenError error) {
            return error;
        }
        OAuthClient client = (OAuthClient) authenticated;
        Optional<String> token = single(form, "token");
        if (token.isEmpty()) {
            return TokenError.invalidRequest("token is required.");
        }
        Optional<RefreshToken> refreshToken = RefreshToken.parse(token.get());
        if (refreshToken.isPresent()) {
            Optional<RefreshFamily> family = oauth.family(refreshToken.get().familyId())
                    .filter(found -> found.clientId().equals(client.clientId()))
                    .filter(found -> OAuthCredential.matches(refreshToken.get().secret(), found.currentHash())
                            || found.previousHash().filter(previous ->
                                    OAuthCredential.matches(refreshToken.get().secret(), previous)).isPresent());
            if (family.isEmpty()) {
                return new Revoked("unknown_token");
            }
            end(family.get());
            return new Revoked("refresh_revoked");
        }
        if (token.get().length() <= dev.authfn.core.jwt.AccessTokenVerifier.MAX_TOKEN_CHARS
                && codecs.get().verifier().verify(token.get()) instanceof AccessTokenResult.Verified verified) {
            AccessTokenClaims claims = verified.claims();
            if (claims.clientId().equals(client.clientId()) && !claims.clientId().equals(ownClientId)) {
                sessions.revoke(claims.sessionId(), claims.subject());
                return new Revoked("access_revoked");
            }
        }
        return new Revoked("unknown_token");
    }

    /** The client the request authenticates as (RFC 6749 §2.3), or the {@link TokenError} refusing it. */
    private Object authenticateClient(String authorization, Map<String, List<String>> form) {
        Optional<String> postedId = single(form, "client_id");
        Optional<String> postedSecret = single(form, "client_secret");
        if (authorization != null && !authorization.isBlank()) {
            Optional<String[]> basic = basicCredentials(authorization);
            if (basic.isEmpty()) {
                return invalidClient(true);
            }
            if (postedSecret.isPresent() || postedId.filter(id -> !id.equals(basic.get()[0])).isPresent()) {
                return TokenError.invalidRequest("Use one client authentication method, not two.");
            }
            return confidential(basic.get()[0], basic.get()[1], true);
        }
        if (postedId.isEmpty()) {
            return invalidClient(false);
        }
        if (postedSecret.isPresent()) {
            return confidential(postedId.get(), postedSecret.get(), false);
        }
        Optional<OAuthClient> client = lookUpClient(postedId.get());
        return client.isPresent() && client.get().isPublic() ? client.get() : invalidClient(false);
    }

    private Object confidential(String clientId, String secret, boolean basic) {
        Optional<OAuthClient> client = lookUpClient(clientId);
        return client.isPresent() && client.get().secretMatches(secret) ? client.get() : invalidClient(basic);
    }

    /**
     * The registered client of this id. authfn's own client id ({@code AUTHFN_CLIENT_ID}, the
     * {@code client_id} of its login's tokens) is never one, even if registered: its tokens would
     * pass for first-party ones (revocation, the account routes).
     */
    private Optional<OAuthClient> lookUpClient(String clientId) {
        return OAuthClient.CLIENT_ID.matcher(clientId).matches() && !clientId.equals(ownClientId)
                ? oauth.client(clientId) : Optional.empty();
    }

    private static TokenError invalidClient(boolean basic) {
        return new TokenError("invalid_client", 401, "invalid_client", "Client authentication failed.", basic);
    }

    /** The id and secret of {@code Basic base64(urlencode(id):urlencode(secret))}, or empty when malformed. */
    private static Optional<String[]> basicCredentials(String authorization) {
        if (authorization.length() <= BASIC.length() || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())
                || authorization.length() > 1024) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new String[] {URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
                URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private TokenAnswer exchangeCode(OAuthClient client, Map<String, List<String>> form, String userAgent,
            String sourceIp) {
        Optional<String> code = single(form, "code");
        Optional<String> redirectUri = single(form, "redirect_uri");
        Optional<String> verifier = single(form, "code_verifier");
        if (code.isEmpty() || redirectUri.isEmpty() || verifier.isEmpty()) {
            return TokenError.invalidRequest("code, redirect_uri and code_verifier are required.");
        }
        if (!OAuthCredential.isWellFormed(code.get())) {
            return TokenError.invalidGrant("code_unknown");
        }
        Instant now = clock.instant();
        SessionToken grantToken = SessionToken.generate(random);
        OAuthStore.CodeSpend spend = oauth.spendCode(OAuthCredential.hash(code.get()), grantToken.id(), now);
        if (spend instanceof OAuthStore.Reused reused) {
            // RFC 6749 §4.1.2: a code used twice revokes what its first use gave.
            endGrant(reused.grantSessionId(), reused.code(), now);
            return TokenError.invalidGrant("code_reused");
        }
        if (!(spend instanceof OAuthStore.Spent spent)) {
            return TokenError.invalidGrant("code_unknown");
        }
        AuthorizationCode issued = spent.code();
        if (!issued.isLiveAt(now)) {
            return TokenError.invalidGrant("code_expired");
        }
        if (!issued.clientId().equals(client.clientId()) || !issued.redirectUri().equals(redirectUri.get())) {
            return TokenError.invalidGrant("code_mismatch");
        }
        if (!Pkce.verifies(verifier.get(), issued.codeChallenge())) {
            return TokenError.invalidGrant("pkce_failed");
        }
        if (sessions.find(issued.sessionId(), now).filter(s -> s.userId().equals(issued.userId())).isEmpty()) {
            return TokenError.invalidGrant("session_ended");
        }
        Optional<User> user = activeUser(issued.username(), issued.userId());
        if (user.isEmpty()) {
            return TokenError.invalidGrant("user_inactive");
        }
        boolean offline = issued.scopes().contains(Scopes.OFFLINE_ACCESS);
        Duration idle = offline ? settings.refreshIdle() : accessTokenLifetime;
        Instant absolute = now.plus(offline ? settings.refreshAbsolute() : accessTokenLifetime);
        Optional<Session> grant = starter.grant(user.get(), grantToken, issued.amr(), issued.authTime(), idle, absolute,
                userAgent, sourceIp, now);
        if (grant.isEmpty()) {
            return TokenError.invalidGrant("session_ended");
        }
        Optional<RefreshToken> refreshToken = Optional.empty();
        if (offline) {
            RefreshToken opened = RefreshToken.generate(random);
            oauth.saveFamily(new RefreshFamily(opened.familyId(), client.clientId(), user.get().userId(),
                    user.get().username(), grant.get().id(), issued.scopes(), opened.secretHash(), Optional.empty(), now,
                    now, absolute));
            refreshToken = Optional.of(opened);
        }
        return tokens("code_exchanged", client, user.get(), grant.get(), held(issued.scopes(), user.get()),
                issued.nonce(), refreshToken);
    }

    /**
     * Ends the session a code's first use started; when that use has not started it yet (it spent
     * the code a moment ago), takes the session's id with an already expired stand-in, so that its
     * start fails ({@link SessionStarter#grant} is empty) and no grant of a reused code survives.
     */
    private void endGrant(String grantSessionId, AuthorizationCode code, Instant now) {
        if (sessions.revoke(grantSessionId, code.userId())) {
            return;
        }
        Session standIn = new Session(grantSessionId, OAuthCredential.hash(OAuthCredential.generate(random)),
                code.userId(), code.username(), Set.of(), Set.of(), now, now, now, now, "", "", code.amr(),
                code.authTime());
        if (!sessions.create(standIn)) {
            sessions.revoke(grantSessionId, code.userId()); // started in between: end it
        }
    }

    private TokenAnswer refresh(OAuthClient client, Map<String, List<String>> form) {
        Optional<String> presented = single(form, "refresh_token");
        if (presented.isEmpty()) {
            return TokenError.invalidRequest("refresh_token is required.");
        }
        Optional<Set<String>> narrowed = Scopes.parse(single(form, "scope").orElse(""));
        if (narrowed.isEmpty()) {
            return new TokenError("invalid_scope", 400, "invalid_scope", "The scope is malformed.", false);
        }
        Optional<RefreshToken> token = RefreshToken.parse(presented.get());
        if (token.isEmpty()) {
            return TokenError.invalidGrant("refresh_unknown");
        }
        for (int tries = 0; tries < 2; tries++) {
            Instant now = clock.instant();
            Optional<RefreshFamily> found = oauth.family(token.get().familyId());
            if (found.isEmpty()) {
                return TokenError.invalidGrant("refresh_unknown");
            }
            RefreshFamily family = found.get();
            if (!family.clientId().equals(client.clientId())) {
                end(family);
                return TokenError.invalidGrant("wrong_client");
            }
            String secret = token.get().secret();
            boolean current = OAuthCredential.matches(secret, family.currentHash())
                    || family.siblingHashes().stream().anyMatch(sibling -> OAuthCredential.matches(secret, sibling));
            boolean previousInGrace = !current && family.previousHash()
                    .filter(previous -> OAuthCredential.matches(secret, previous)).isPresent()
                    && now.isBefore(family.rotatedAt().plus(settings.refreshGrace())) && family.mayRetry();
            if (!current && !previousInGrace) {
                // RFC 9700 §4.14.2: a refresh token used again means two parties hold it; end the family.
                end(family);
                return TokenError.invalidGrant("refresh_reused");
            }
            if (!now.isBefore(family.expiresAt())) {
                end(family);
                return TokenError.invalidGrant("refresh_expired");
            }
            if (!family.scopes().containsAll(narrowed.get())) {
                return new TokenError("invalid_scope", 400, "invalid_scope",
                        "A refresh may narrow the scope, never widen it.", false);
            }
            Optional<Session> session = sessions.find(family.sessionId(), now)
                    .filter(found2 -> found2.userId().equals(family.userId()));
            if (session.isEmpty()) {
                oauth.removeFamily(family.familyId());
                return TokenError.invalidGrant("session_ended");
            }
            Optional<User> user = activeUser(family.username(), family.userId());
            if (user.isEmpty()) {
                end(family);
                return TokenError.invalidGrant("user_inactive");
            }
            RefreshToken next = token.get().next(random);
            // A retry within the grace keeps the rotation time (the grace never stretches) and the
            // token the first refresh gave (the client may have it after all: two refreshes raced).
            RefreshFamily rotated = current
                    ? family.rotated(token.get().secretHash(), next.secretHash(), now)
                    : family.retried(next.secretHash());
            if (!oauth.rotate(family, rotated)) {
                continue; // another refresh rotated it first: read again, the token may now be the previous one
            }
            Optional<Session> touched = sessions.touch(session.get(), now, settings.refreshIdle());
            if (touched.isEmpty()) {
                oauth.removeFamily(family.familyId());
                return TokenError.invalidGrant("session_ended");
            }
            // What the client may still ask for: a client re-registered with fewer scopes narrows its old grants.
            Set<String> scopes = new TreeSet<>(narrowed.get().isEmpty() ? family.scopes() : narrowed.get());
            scopes.retainAll(client.scopes());
            return tokens("refreshed", client, user.get(), touched.get(), held(scopes, user.get()), Optional.empty(),
                    Optional.of(next));
        }
        return TokenError.invalidGrant("refresh_raced");
    }

    private TokenAnswer clientCredentials(OAuthClient client, Map<String, List<String>> form) {
        if (client.isPublic()) {
            return new TokenError("unauthorized_client", 400, "unauthorized_client",
                    "Only a confidential client may use client_credentials.", false);
        }
        Set<String> allowed = new TreeSet<>(client.scopes());
        allowed.removeAll(Scopes.OPENID_SCOPES);
        Optional<Set<String>> requested = Scopes.parse(single(form, "scope").orElse(""));
        if (requested.isEmpty() || !allowed.containsAll(requested.get())) {
            return new TokenError("invalid_scope", 400, "invalid_scope",
                    "client_credentials grants only the API scopes the client may ask for.", false);
        }
        Set<String> granted = requested.get().isEmpty() ? allowed : requested.get();
        if (granted.isEmpty()) {
            // A client registered for sign-in only: a token with no scope would pass any route that asks for none.
            return new TokenError("invalid_scope", 400, "invalid_scope",
                    "This client may ask for no API scope, so client_credentials gives it nothing.", false);
        }
        CredentialCodecs current = codecs.get();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", current.issuer().issueForClient(client.clientId(), granted));
        body.put("token_type", "Bearer");
        body.put("expires_in", current.issuer().lifetime().getSeconds());
        body.put("scope", Scopes.join(granted));
        return new Tokens("client_credentials", body, Optional.empty());
    }

    /** The token response for a user's grant (§18.4). */
    private Tokens tokens(String reason, OAuthClient client, User user, Session grant, Set<String> scopes,
            Optional<String> nonce, Optional<RefreshToken> refreshToken) {
        CredentialCodecs current = codecs.get();
        // No roles: a client's token may do what its granted scopes say, not all the user may (§18.4).
        String accessToken = current.issuer().issue(user.userId(), user.username(), grant.id(), Set.of(), scopes,
                grant.amr(), grant.authTime(), client.clientId());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("token_type", "Bearer");
        body.put("expires_in", current.issuer().lifetime().getSeconds());
        body.put("scope", Scopes.join(scopes));
        if (scopes.contains(Scopes.OPENID)) {
            body.put("id_token", current.idTokens().issue(new IdTokenIssuer.Claims(user.userId(), client.clientId(),
                    grant.id(), grant.amr(), grant.authTime(), nonce,
                    scopes.contains(Scopes.PROFILE) ? Optional.of(user.username()) : Optional.empty(),
                    scopes.contains(Scopes.EMAIL) && !user.email().isEmpty() ? Optional.of(user.email()) : Optional.empty(),
                    user.emailVerified(), accessToken)));
        }
        refreshToken.ifPresent(token -> body.put("refresh_token", token.encoded()));
        return new Tokens(reason, body, Optional.of(user.userId()));
    }

    /** {@code scopes} less the API permissions the user does not hold now, sorted (stores keep sets unordered). */
    private static Set<String> held(Set<String> scopes, User user) {
        Set<String> held = new TreeSet<>();
        for (String scope : scopes) {
            if (Scopes.OPENID_SCOPES.contains(scope) || user.permissions().contains(scope)) {
                held.add(scope);
            }
        }
        return held;
    }

    /** Ends a family and the grant's session with it: every token of the grant stops working. */
    private void end(RefreshFamily family) {
        oauth.removeFamily(family.familyId());
        sessions.revoke(family.sessionId(), family.userId());
    }

    private Optional<User> activeUser(String username, String userId) {
        return users.get(username).filter(user -> user.userId().equals(userId) && user.status() == UserStatus.ACTIVE);
    }

    // ---- /oauth2/userinfo (§18.7) ----

    /** What userinfo answers. */
    public sealed interface UserInfo permits Claims, InsufficientScope, InvalidToken {
    }

    /** 200 with these claims. */
    public record Claims(Map<String, Object> claims) implements UserInfo {
    }

    /** 403 {@code error="insufficient_scope"}: the token does not carry {@code openid}. */
    public record InsufficientScope(String reason) implements UserInfo {
    }

    /** 401 {@code error="invalid_token"}: the token's user is gone or disabled. */
    public record InvalidToken(String reason) implements UserInfo {
    }

    /** @param principal the caller, as the bearer token (its session live) proved it */
    public UserInfo userinfo(Principal principal) {
        if (!principal.permissions().contains(Scopes.OPENID)) {
            return new InsufficientScope("no_openid_scope");
        }
        Optional<User> user = activeUser(principal.username(), principal.userId());
        if (user.isEmpty()) {
            return new InvalidToken("user_inactive");
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", user.get().userId());
        if (principal.permissions().contains(Scopes.PROFILE)) {
            claims.put("preferred_username", user.get().username());
        }
        if (principal.permissions().contains(Scopes.EMAIL) && !user.get().email().isEmpty()) {
            claims.put("email", user.get().email());
            claims.put("email_verified", user.get().emailVerified());
        }
        return new Claims(claims);
    }

    // ---- discovery and CORS (§18.8) ----

    /** The {@code /.well-known/openid-configuration} document. */
    public Map<String, Object> discovery() {
        Set<String> algorithms = new TreeSet<>();
        for (JwtKey key : codecs.get().keySet().verifyingJwtKeys()) {
            algorithms.add(key.algorithmName());
        }
        List<String> clientAuthentication = List.of("client_secret_basic", "client_secret_post", "none");
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("authorization_endpoint", issuer + "/oauth2/authorize");
        document.put("token_endpoint", issuer + "/oauth2/token");
        document.put("userinfo_endpoint", issuer + "/oauth2/userinfo");
        document.put("revocation_endpoint", issuer + "/oauth2/revoke");
        document.put("jwks_uri", issuer + "/.well-known/jwks.json");
        document.put("response_types_supported", List.of("code"));
        document.put("response_modes_supported", List.of("query"));
        document.put("grant_types_supported", List.of("authorization_code", "refresh_token", "client_credentials"));
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.copyOf(algorithms));
        document.put("token_endpoint_auth_methods_supported", clientAuthentication);
        document.put("revocation_endpoint_auth_methods_supported", clientAuthentication);
        document.put("code_challenge_methods_supported", List.of(Pkce.S256));
        document.put("scopes_supported", List.of(Scopes.OPENID, Scopes.PROFILE, Scopes.EMAIL, Scopes.OFFLINE_ACCESS));
        document.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "amr", "acr",
                "azp", "sid", "at_hash", "preferred_username", "email", "email_verified"));
        document.put("prompt_values_supported", List.of("login", "none"));
        document.put("authorization_response_iss_parameter_supported", true);
        document.put("request_parameter_supported", false);
        document.put("request_uri_parameter_supported", false);
        return document;
    }

    /** Whether a browser page on {@code origin} may read the token, revocation, userinfo and discovery answers. */
    public boolean isCorsOrigin(String origin) {
        return origin != null && origin.length() <= RedirectUris.MAX_LENGTH && oauth.isCorsOrigin(origin);
    }

    /** The one value of {@code name}; empty when absent, empty, or given more than once. */
    private static Optional<String> single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.size() != 1 || values.get(0) == null || values.get(0).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(values.get(0));
    }
}
