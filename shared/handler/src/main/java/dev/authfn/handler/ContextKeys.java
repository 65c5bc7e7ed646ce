package dev.authfn.handler;

/**
 * The keys of the context the authfn authorizer returns, as a function receives them: under
 * {@code requestContext.authorizer.lambda} (HTTP API) or directly under
 * {@code requestContext.authorizer} (REST API). Every value is a string.
 *
 * <p>{@link #AMR} and {@link #AUTH_TIME} are read when present: an authorizer of a release before
 * they existed does not write them (a principal then has no {@code amr} and no {@code auth_time},
 * and {@link Require#mfa()} refuses it). {@link #ACR} is written for readers that cannot derive it
 * (mapping templates, other languages); {@link Principal#acr()} derives it from {@code amr}.
 */
public final class ContextKeys {

    /** The stable user id, the access token's {@code sub}. */
    public static final String SUB = "sub";
    /** The canonical username. */
    public static final String USERNAME = "username";
    /** The roles, space-separated (none: empty). */
    public static final String ROLES = "roles";
    /** The permissions, space-separated (none: empty). */
    public static final String PERMISSIONS = "permissions";
    /** The session id (public, not the session secret). */
    public static final String SID = "sid";
    /** {@code cookie} or {@code bearer}. */
    public static final String AUTH_TYPE = "auth_type";
    /** Authentication methods (RFC 8176 values such as {@code pwd}, {@code otp}, {@code mfa}), space-separated; optional. */
    public static final String AMR = "amr";
    /** When the user authenticated, epoch seconds; optional. */
    public static final String AUTH_TIME = "auth_time";
    /**
     * The authentication context class derived from {@link #AMR}: {@code urn:authfn:acr:mfa} when
     * it holds {@code mfa}, else {@code urn:authfn:acr:sfa}; optional.
     */
    public static final String ACR = "acr";
    /**
     * Present alone, without any of the keys above, when the caller passed the route's roles and
     * permissions but not its step-up rule: the RFC 9470 challenge to answer with, as the
     * {@code WWW-Authenticate} value. {@link Require#check} then answers {@code 401
     * urn:authfn:problem:step-up-required} with it; {@link Principal#from} finds no principal.
     */
    public static final String STEP_UP = "step_up";

    private ContextKeys() {
    }
}
