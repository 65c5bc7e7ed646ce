package dev.authfn.core.keys;

/** A key's place in rotation; stored in each JWK as the member {@code "status"}. */
public enum KeyStatus {
    /** Signs new credentials (exactly one per purpose) and verifies. */
    ACTIVE("active"),
    /** Verifies credentials it signed earlier; signs nothing new. */
    VERIFY_ONLY("verify-only"),
    /** Kept for the record; neither signs nor verifies. */
    RETIRED("retired");

    private final String wireName;

    KeyStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static KeyStatus fromWireName(String value) {
        for (KeyStatus status : values()) {
            if (status.wireName.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown key status: " + value);
    }
}
