package dev.authfn.core.keys;

/** What a key in the key set is for; stored in each JWK as the member {@code "purpose"}. */
public enum KeyPurpose {
    /** Signs access tokens (RSA, EC, OKP or, for HS256, oct). */
    JWT("jwt"),
    /** HMAC-SHA256 of the session cookie envelope (oct). */
    COOKIE("cookie"),
    /** HMAC-SHA256 of CSRF tokens (oct). */
    CSRF("csrf"),
    /**
     * The second factor's key (oct), never used as is: HKDF derives one subkey from it to seal TOTP
     * secrets at rest and another to MAC the {@code mfa_token} (see {@code dev.authfn.core.mfa}).
     * Optional, unlike the others: a key set from before MFA has none, and
     * {@link KeySet#rotate(KeyPurpose, java.time.Clock) rotate(MFA)} adds one.
     */
    MFA("mfa");

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
