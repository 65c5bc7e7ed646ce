package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.core.authz.Amr;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.StepUpChallenge;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The one place that writes the authorizer's context and reads it back in the functions. HTTP API
 * context values must be strings, numbers or booleans, so roles, permissions and the
 * authentication methods travel space-separated (none may contain whitespace), and the
 * authentication time as epoch seconds in a string.
 *
 * <p>A context written before contexts carried {@link #AMR} and {@link #AUTH_TIME} (an authorizer
 * of an older release, during a deployment) reads as {@code amr} {@code ["pwd"]} with no
 * authentication time, which passes no {@code mfa} and no {@code max_age} rule: never as a
 * stronger or fresher login than it could have been.
 */
public final class AuthorizerContext {

    public static final String SUB = "sub";
    public static final String USERNAME = "username";
    public static final String ROLES = "roles";
    public static final String PERMISSIONS = "permissions";
    public static final String SID = "sid";
    public static final String AUTH_TYPE = "auth_type";
    /** RFC 8176 methods, in order, space-separated, e.g. {@code "pwd otp mfa"}. */
    public static final String AMR = "amr";
    /** When the user last proved who they are, epoch seconds. */
    public static final String AUTH_TIME = "auth_time";
    /** The class {@link Principal#acr()} derives; informative (readers derive it from {@link #AMR} again). */
    public static final String ACR = "acr";
    /**
     * The only key of a step-up context ({@link #stepUpOnly}): the RFC 9470 challenge the function
     * answers with, as the {@code WWW-Authenticate} value.
     */
    public static final String STEP_UP = "step_up";

    /** What a challenge from a context must look like to be sent as a header (printable ASCII, bounded). */
    private static final java.util.regex.Pattern CHALLENGE = java.util.regex.Pattern.compile(
            "Bearer error=\"insufficient_user_authentication\"[ -~]{0,400}");

    private AuthorizerContext() {
    }

    /** The context an allowing authorizer returns. */
    public static Map<String, String> of(Principal principal) {
        Map<String, String> context = new LinkedHashMap<>();
        context.put(SUB, principal.userId());
        context.put(USERNAME, principal.username());
        context.put(ROLES, join(principal.roles()));
        context.put(PERMISSIONS, join(principal.permissions()));
        context.put(SID, principal.sessionId());
        context.put(AUTH_TYPE, principal.authType().wireName());
        context.put(AMR, String.join(" ", principal.amr()));
        principal.authTime().ifPresent(authTime -> context.put(AUTH_TIME, Long.toString(authTime.getEpochSecond())));
        context.put(ACR, principal.acr());
        return context;
    }

    /**
     * The context of a request whose caller passed roles and permissions but not the route's
     * step-up rule: the challenge and <b>no principal</b>. An HTTP API Lambda authorizer cannot
     * answer 401 with a header of its own, so it allows with this context; every function that
     * reads the principal then finds none and fails closed, and {@code RouteGuard} (or the handler
     * library's {@code Require}) answers the 401 with this challenge (docs/API.md §6.5).
     */
    public static Map<String, String> stepUpOnly(StepUpChallenge challenge) {
        return Map.of(STEP_UP, challenge.wwwAuthenticate());
    }

    /**
     * The step-up challenge the authorizer put in this request's context, or empty. A value that
     * does not look like an RFC 9470 challenge of printable ASCII is ignored (it could not be sent
     * as a header); such a context has no principal either, so the request is refused anyway.
     */
    public static Optional<String> stepUpChallenge(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext requestContext = event.getRequestContext();
        if (requestContext == null || requestContext.getAuthorizer() == null
                || requestContext.getAuthorizer().getLambda() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(requestContext.getAuthorizer().getLambda().get(STEP_UP))
                .filter(String.class::isInstance).map(String.class::cast)
                .filter(value -> CHALLENGE.matcher(value).matches());
    }

    /**
     * The principal the authorizer established for this request, or empty when the event carries
     * no complete authorizer context (a function reached without the authorizer must refuse), or
     * one whose {@link #AMR} is not a list of methods.
     */
    public static Optional<Principal> principal(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext requestContext = event.getRequestContext();
        if (requestContext == null || requestContext.getAuthorizer() == null
                || requestContext.getAuthorizer().getLambda() == null) {
            return Optional.empty();
        }
        Map<String, Object> lambda = requestContext.getAuthorizer().getLambda();
        String sub = string(lambda, SUB);
        String username = string(lambda, USERNAME);
        String sid = string(lambda, SID);
        String authType = string(lambda, AUTH_TYPE);
        if (sub == null || username == null || sid == null || authType == null) {
            return Optional.empty();
        }
        AuthType type;
        try {
            type = AuthType.fromWireName(authType);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String amr = string(lambda, AMR);
        List<String> methods = amr == null || amr.isBlank() ? Amr.PASSWORD : List.of(amr.trim().split(" +"));
        try {
            return Optional.of(new Principal(sub, username, split(string(lambda, ROLES)),
                    split(string(lambda, PERMISSIONS)), sid, type, methods, epochSeconds(lambda.get(AUTH_TIME))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A whole number of epoch seconds, as a string or a number; anything else is unknown. */
    private static Optional<Instant> epochSeconds(Object value) {
        try {
            if (value instanceof Number number && number.doubleValue() == number.longValue()) {
                return Optional.of(Instant.ofEpochSecond(number.longValue()));
            }
            if (value instanceof String text && !text.isBlank()) {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(text.trim())));
            }
        } catch (NumberFormatException | DateTimeException e) {
            // not a time: unknown, which no max_age rule accepts
        }
        return Optional.empty();
    }

    private static String string(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value instanceof String s && !s.isEmpty() ? s : (key.equals(ROLES) || key.equals(PERMISSIONS) ? "" : null);
    }

    private static String join(Set<String> values) {
        return String.join(" ", new TreeSet<>(values));
    }

    private static Set<String> split(String joined) {
        if (joined == null || joined.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(joined.trim().split(" +")).collect(Collectors.toUnmodifiableSet());
    }
}
