package dev.authfn.core.keys;

/** What a key in the key set is for; stored in each JWK as the member {@code "purpose"}. */
public enum KeyPurpose {
    /** Signs access tokens (RSA, EC, OKP or, for HS256, oct). */
    JWT("jwt"),
    /** HMAC-SHA256 of the session cookie envelope (oct). */
    COOKIE("cookie"),
    /** HMAC-SHA256 of CSRF tokens (oct). */
    CSRF("csrf");

    private final String wireName;

    KeyPurpose(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static KeyPurpose fromWireName(String value) {
        for (KeyPurpose purpose : values()) {
            if (purpose.wireName.equals(value)) {
                return purpose;
            }
        }
        throw new IllegalArgumentException("unknown key purpose: " + value);
    }
}
