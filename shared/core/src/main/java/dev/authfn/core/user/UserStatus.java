package dev.authfn.core.user;

public enum UserStatus {
    ACTIVE("active"),
    DISABLED("disabled");

    private final String wireName;

    UserStatus(String wireName) {
        this.wireName = wireName;
    }

    /** The value stored in the users table. */
    public String wireName() {
        return wireName;
    }

    public static UserStatus fromWireName(String value) {
        for (UserStatus status : values()) {
            if (status.wireName.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown user status: " + value);
    }
}
