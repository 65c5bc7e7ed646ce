package dev.authfn.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.handler.internal.ProblemResponses;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;

/**
 * A requirement a function checks again after the authorizer (defence in depth: a route wired
 * without the authorizer, or a route policy that drifted, still fails closed). Immutable; build
 * each once, in a static field.
 *
 * <pre>{@code
 * Require admins = Require.role("admin");
 * Require writers = Require.role("admin").or(Require.permission("orders:write"));
 * Require stepUp = Require.permission("payouts:send").and(Require.mfa());
 * Require fresh = Require.recentLogin(Duration.ofMinutes(5));
 *
 * switch (writers.check(event)) {
 *     case Access.Granted granted -> ...;                  // granted.principal()
 *     case Access.Denied denied -> ...;                    // denied.toHttpApiResponse(): 401 or 403
 * }
 * }</pre>
 *
 * <p><b>Step-up (RFC 9470).</b> When the route policy demands a stronger or more recent login
 * than the caller has, the authfn authorizer lets the request through with a context that holds
 * only the challenge ({@link ContextKeys#STEP_UP}) and no principal; {@code check} answers it with
 * {@code 401 urn:authfn:problem:step-up-required} and that {@code WWW-Authenticate}. A function's
 * own {@link #mfa()} and {@link #recentLogin} refusals are the same 401, with the challenge for
 * what they demand; a caller who would not pass even after stepping up gets the 403 instead.
 */
public final class Require {

    private final BiPredicate<Principal, Instant> test;
    private final String description;
    private final boolean needsMfa;
    private final Optional<Duration> maxAge;
    private final Clock clock;

    private Require(BiPredicate<Principal, Instant> test, String description, boolean needsMfa,
            Optional<Duration> maxAge, Clock clock) {
        this.test = test;
        this.description = description;
        this.needsMfa = needsMfa;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    private static Require of(BiPredicate<Principal, Instant> test, String description) {
        return new Require(test, description, false, Optional.empty(), Clock.systemUTC());
    }

    /** Any principal the authorizer let through. */
    public static Require authenticated() {
        return of((principal, now) -> true, "authenticated");
    }

    /** The principal has {@code role}. */
    public static Require role(String role) {
        String name = token(role, "role");
        return of((principal, now) -> principal.hasRole(name), "role " + name);
    }

    /** The principal has {@code permission}. */
    public static Require permission(String permission) {
        String name = token(permission, "permission");
        return of((principal, now) -> principal.hasPermission(name), "permission " + name);
    }

    /**
     * The session was established with more than one factor ({@link Principal#usedMultipleFactors()}).
     * Refused with {@code 401 urn:authfn:problem:step-up-required} and the challenge
     * {@code acr_values="urn:authfn:acr:mfa"}, so a client knows to step up.
     */
    public static Require mfa() {
        return new Require((principal, now) -> principal.usedMultipleFactors(), "mfa", true, Optional.empty(),
                Clock.systemUTC());
    }

    /**
     * The user proved who they are at most {@code maxAge} ago ({@link Principal#authTime()}; a
     * principal whose authentication time is unknown never passes), for example before a second
     * factor is added or removed. Refused with {@code 401 step-up-required} and the challenge
     * {@code max_age=<seconds>}.
     *
     * @param maxAge whole seconds, from one second to one day
     */
    public static Require recentLogin(Duration maxAge) {
        Objects.requireNonNull(maxAge, "maxAge");
        if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(Duration.ofDays(1)) > 0 || maxAge.getNano() != 0) {
            throw new IllegalArgumentException("maxAge must be whole seconds, from one second to one day");
        }
        return new Require((principal, now) -> principal.authTime()
                .filter(authTime -> Duration.between(authTime, now).compareTo(maxAge) <= 0).isPresent(),
                "login within " + maxAge, false, Optional.of(maxAge), Clock.systemUTC());
    }

    /** This requirement with {@code now} read from {@code clock} (tests; the system clock otherwise). */
    public Require withClock(Clock clock) {
        return new Require(test, description, needsMfa, maxAge, Objects.requireNonNull(clock, "clock"));
    }

    /**
     * This requirement or {@code other}. A refusal that stepping up would cure asks for what either
     * side demands (a second factor if one does, the shorter {@code max_age}): enough for both.
     */
    public Require or(Require other) {
        Objects.requireNonNull(other, "other");
        return new Require(test.or(other.test), "(" + description + " or " + other.description + ")",
                needsMfa || other.needsMfa, shorter(maxAge, other.maxAge), clock);
    }

    /** This requirement and {@code other}. */
    public Require and(Require other) {
        Objects.requireNonNull(other, "other");
        return new Require(test.and(other.test), "(" + description + " and " + other.description + ")",
                needsMfa || other.needsMfa, shorter(maxAge, other.maxAge), clock);
    }

    /** Whether {@code principal} meets it now. */
    public boolean isMetBy(Principal principal) {
        return isMetBy(principal, clock.instant());
    }

    /** Whether {@code principal} meets it at {@code now}. */
    public boolean isMetBy(Principal principal, Instant now) {
        return test.test(Objects.requireNonNull(principal, "principal"), Objects.requireNonNull(now, "now"));
    }

    /**
     * Checks the principal of an HTTP API event ({@link Principal#from(APIGatewayV2HTTPEvent)}), or
     * answers the authorizer's step-up challenge when the context carries one.
     */
    public Access check(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext requestContext = event == null ? null : event.getRequestContext();
        Map<String, Object> lambda = requestContext == null || requestContext.getAuthorizer() == null
                ? null : requestContext.getAuthorizer().getLambda();
        return challengeIn(lambda).orElseGet(() -> check(Principal.from(event)));
    }

    /** Checks the principal of a REST API event ({@link Principal#from(APIGatewayProxyRequestEvent)}), or its step-up challenge. */
    public Access check(APIGatewayProxyRequestEvent event) {
        APIGatewayProxyRequestEvent.ProxyRequestContext requestContext = event == null ? null : event.getRequestContext();
        return challengeIn(requestContext == null ? null : requestContext.getAuthorizer())
                .orElseGet(() -> check(Principal.from(event)));
    }

    /** Checks the principal of an authorizer context a stream handler parsed ({@link Principal#fromAuthorizerContext}), or its step-up challenge. */
    public Access check(Map<String, ?> authorizerContext) {
        return challengeIn(authorizerContext).orElseGet(() -> check(Principal.fromAuthorizerContext(authorizerContext)));
    }

    /**
     * Checks a principal read elsewhere: none is {@code 401 not-authenticated}; one that meets the
     * requirement only once it logs in again (with a second factor, or now) is {@code 401
     * step-up-required} with the challenge; any other that does not meet it {@code 403}.
     */
    public Access check(Optional<Principal> principal) {
        if (principal.isEmpty()) {
            return ProblemResponses.NOT_AUTHENTICATED;
        }
        Principal found = principal.get();
        Instant now = clock.instant();
        if (isMetBy(found, now)) {
            return new Access.Granted(found);
        }
        boolean stepUpWouldDo = (needsMfa || maxAge.isPresent()) && isMetBy(steppedUp(found, now), now);
        return stepUpWouldDo ? ProblemResponses.stepUpRequired(ProblemResponses.challenge(needsMfa, maxAge))
                : ProblemResponses.FORBIDDEN;
    }

    private static Optional<Access> challengeIn(Map<String, ?> context) {
        return Optional.ofNullable(context).flatMap(c -> ProblemResponses.challengeIn(c.get(ContextKeys.STEP_UP)))
                .map(ProblemResponses::stepUpRequired);
    }

    /** The same principal as if it had just logged in again with a second factor. */
    private static Principal steppedUp(Principal principal, Instant now) {
        List<String> amr = new ArrayList<>(principal.amr());
        if (!amr.contains("mfa")) {
            amr.add("mfa");
        }
        return new Principal(principal.subject(), principal.username(), principal.roles(), principal.permissions(),
                principal.sessionId(), principal.authType(), amr, Optional.of(now));
    }

    private static Optional<Duration> shorter(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() || a.get().compareTo(b.get()) <= 0 ? a : b;
    }

    /** What it requires, e.g. {@code (role admin or permission orders:write)}; for logs. */
    @Override
    public String toString() {
        return description;
    }

    private static String token(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isEmpty() || value.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException(what + " must be a non-empty name without whitespace");
        }
        return value;
    }
}
