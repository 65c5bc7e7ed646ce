package dev.authfn.core.testing;

import dev.authfn.core.keys.HmacKey;
import dev.authfn.core.keys.KeyStatus;
import java.security.SecureRandom;
import javax.crypto.spec.SecretKeySpec;

/** HMAC keys made fresh in each test. */
public final class TestKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestKeys() {
    }

    public static HmacKey hmac(String kid, KeyStatus status) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new HmacKey(kid, new SecretKeySpec(bytes, HmacKey.ALGORITHM), status);
    }

    /** A character of the base64url alphabet other than {@code c}. */
    public static char otherBase64UrlChar(char c) {
        return c == 'A' ? 'B' : 'A';
    }
}
