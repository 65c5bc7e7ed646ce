package dev.authfn.core.authz;

/** How a request proved its identity; the authorizer context carries it as {@code auth_type}. */
public enum AuthType {
    /** The session cookie (unsafe methods also need the CSRF token). */
    COOKIE("cookie"),
    /** {@code Authorization: Bearer <access token>}. */
    BEARER("bearer");

    private final String wireName;

    AuthType(String wireName) {
        this.wireName = wireName;
    }

    /** The value in the authorizer context and in {@code GET /protected}'s {@code auth_type}. */
    public String wireName() {
        return wireName;
    }

    public static AuthType fromWireName(String value) {
        for (AuthType type : values()) {
            if (type.wireName.equals(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown auth type: " + value);
    }
}
