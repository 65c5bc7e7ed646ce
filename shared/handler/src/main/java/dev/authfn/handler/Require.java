package dev.authfn.handler;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.handler.internal.ProblemResponses;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A requirement a function checks again after the authorizer (defence in depth: a route wired
 * without the authorizer, or a route policy that drifted, still fails closed). Immutable; build
 * each once, in a static field.
 *
 * <pre>{@code
 * Require admins = Require.role("admin");
 * Require writers = Require.role("admin").or(Require.permission("orders:write"));
 * Require stepUp = Require.permission("payouts:send").and(Require.mfa());
 *
 * switch (writers.check(event)) {
 *     case Access.Granted granted -> ...;                  // granted.principal()
 *     case Access.Denied denied -> ...;                    // denied.toHttpApiResponse(): 401 or 403
 * }
 * }</pre>
 */
public final class Require {

    private final Predicate<Principal> test;
    private final String description;
    private final boolean needsMfa;

    private Require(Predicate<Principal> test, String description, boolean needsMfa) {
        this.test = test;
        this.description = description;
        this.needsMfa = needsMfa;
    }

    /** Any principal the authorizer let through. */
    public static Require authenticated() {
        return new Require(principal -> true, "authenticated", false);
    }

    /** The principal has {@code role}. */
    public static Require role(String role) {
        String name = token(role, "role");
        return new Require(principal -> principal.hasRole(name), "role " + name, false);
    }

    /** The principal has {@code permission}. */
    public static Require permission(String permission) {
        String name = token(permission, "permission");
        return new Require(principal -> principal.hasPermission(name), "permission " + name, false);
    }

    /**
     * The session was established with more than one factor ({@link Principal#usedMultipleFactors()}).
     * Refused with {@code 403 urn:authfn:problem:mfa-required}, so a client knows to step up.
     */
    public static Require mfa() {
        return new Require(Principal::usedMultipleFactors, "mfa", true);
    }

    /** This requirement or {@code other}. */
    public Require or(Require other) {
        Objects.requireNonNull(other, "other");
        return new Require(test.or(other.test), "(" + description + " or " + other.description + ")",
                needsMfa && other.needsMfa);
    }

    /** This requirement and {@code other}. */
    public Require and(Require other) {
        Objects.requireNonNull(other, "other");
        return new Require(test.and(other.test), "(" + description + " and " + other.description + ")",
                needsMfa || other.needsMfa);
    }

    /** Whether {@code principal} meets it. */
    public boolean isMetBy(Principal principal) {
        return test.test(Objects.requireNonNull(principal, "principal"));
    }

    /** Checks the principal of an HTTP API event ({@link Principal#from(APIGatewayV2HTTPEvent)}). */
    public Access check(APIGatewayV2HTTPEvent event) {
        return check(Principal.from(event));
    }

    /** Checks the principal of a REST API event ({@link Principal#from(APIGatewayProxyRequestEvent)}). */
    public Access check(APIGatewayProxyRequestEvent event) {
        return check(Principal.from(event));
    }

    /** Checks the principal of an authorizer context a stream handler parsed ({@link Principal#fromAuthorizerContext}). */
    public Access check(Map<String, ?> authorizerContext) {
        return check(Principal.fromAuthorizerContext(authorizerContext));
    }

    /**
     * Checks a principal read elsewhere: none is {@code 401}; one that does not meet the
     * requirement {@code 403} ({@code mfa-required} when only a second factor is missing).
     */
    public Access check(Optional<Principal> principal) {
        if (principal.isEmpty()) {
            return ProblemResponses.NOT_AUTHENTICATED;
        }
        Principal found = principal.get();
        if (isMetBy(found)) {
            return new Access.Granted(found);
        }
        boolean onlyMfaMissing = needsMfa && !found.usedMultipleFactors() && withMfa(found).map(this::isMetBy).orElse(false);
        return onlyMfaMissing ? ProblemResponses.MFA_REQUIRED : ProblemResponses.FORBIDDEN;
    }

    private static Optional<Principal> withMfa(Principal principal) {
        return Optional.of(new Principal(principal.subject(), principal.username(), principal.roles(),
                principal.permissions(), principal.sessionId(), principal.authType(),
                java.util.List.of("mfa"), principal.authTime()));
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
