package dev.authfn.lambda;

/**
 * The RFC 9457 problems authfn answers with. Each has a stable {@code type} URN, a fixed title and
 * status; the {@code detail} of a response says what went wrong without echoing the request.
 */
public enum Problem {
    MALFORMED_REQUEST(400, "Malformed request"),
    INVALID_CREDENTIALS(401, "Invalid credentials"),
    NOT_AUTHENTICATED(401, "Not authenticated"),
    /**
     * Authenticated, but the login is not strong or recent enough for the route (RFC 9470): the
     * response carries the {@code WWW-Authenticate} challenge that says what to do.
     */
    STEP_UP_REQUIRED(401, "Step-up authentication required"),
    FORBIDDEN(403, "Forbidden"),
    CROSS_SITE_REQUEST(403, "Cross-site request refused"),
    /** A mail token that is unknown, spent, expired, of another kind or superseded: one answer for all. */
    INVALID_TOKEN(400, "Invalid or expired link"),
    /** A new password the password rules refuse; the body's {@code reason} says which rule. */
    WEAK_PASSWORD(400, "Password not accepted"),
    /** The right password of an account whose address is not verified yet (sign-up mode verified). */
    EMAIL_NOT_VERIFIED(403, "Email address not verified"),
    /** A second-factor code (or its login attempt) was refused; which way is for the logs only. */
    MFA_FAILED(401, "Second factor failed"),
    /** The user has a second factor the caller's session did not use, and the route needs it. */
    MFA_REQUIRED(401, "Second factor required"),
    /**
     * A passkey sign-in was refused: unknown passkey, spent or expired challenge, a failed
     * WebAuthn check; which one is for the logs only (docs/API.md §17.6).
     */
    PASSKEY_FAILED(401, "Passkey sign-in failed"),
    /** A new passkey's registration response was refused; which check failed is for the logs only. */
    PASSKEY_REJECTED(400, "Passkey not accepted"),
    NOT_FOUND(404, "Not found"),
    /** No second factor (or none pending to confirm). */
    MFA_NOT_ENROLLED(404, "No second factor"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    USERNAME_TAKEN(409, "Username taken"),
    MFA_ALREADY_ENROLLED(409, "Second factor already enrolled"),
    /** The user has the most passkeys allowed (docs/API.md §17.2): remove one first. */
    PASSKEY_LIMIT(409, "Too many passkeys"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    ACCOUNT_LOCKED(429, "Too many failed logins"),
    INTERNAL_ERROR(500, "Internal error"),
    STORE_UNAVAILABLE(503, "Service unavailable"),
    /** The key set has no {@code mfa} key: no TOTP secret can be sealed or opened. */
    MFA_UNAVAILABLE(503, "Second factor unavailable");

    private final int status;
    private final String title;

    Problem(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** {@code urn:authfn:problem:<kebab-case name>}. */
    public String type() {
        return "urn:authfn:problem:" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
