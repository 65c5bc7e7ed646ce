package dev.authfn.core.keys;

import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * One HMAC-SHA256 key of the key set, for cookies or CSRF tokens, or the mfa key that the second
 * factor's subkeys are derived from. {@code toString} never shows the key material.
 */
public record HmacKey(String kid, SecretKeySpec secret, KeyStatus status) {

    public static final String ALGORITHM = "HmacSHA256";
    /** At least 256 bits, as RFC 7518 section 3.2 asks of HS256 keys. */
    public static final int MIN_BYTES = 32;

    public HmacKey {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(status, "status");
        if (!ALGORITHM.equals(secret.getAlgorithm())) {
            throw new IllegalArgumentException("HMAC key " + kid + " is not " + ALGORITHM);
        }
        if (secret.getEncoded().length < MIN_BYTES) {
            throw new IllegalArgumentException("HMAC key " + kid + " is shorter than 256 bits");
        }
    }

    public boolean canVerify() {
        return status != KeyStatus.RETIRED;
    }

    @Override
    public String toString() {
        return "HmacKey[kid=" + kid + ", status=" + status + "]";
    }
}
