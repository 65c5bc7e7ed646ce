package dev.authfn.core.mfa;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * HKDF-Expand (RFC 5869 section 2.3) with HMAC-SHA256, for one 32-byte block:
 * {@code OKM = T(1) = HMAC(PRK, info || 0x01)}.
 *
 * <p><b>Why no Extract step.</b> The input is a key-set key: 256 bits from {@link
 * java.security.SecureRandom}, already a uniformly random key, which RFC 5869 section 3.3 lets
 * serve as the PRK directly. <b>Why written here.</b> The JDK's {@code javax.crypto.KDF} (JEP 510)
 * exists only from Java 25 on; authfn compiles for release 21, the Lambda {@code java21} runtime,
 * and one block of Expand is one HMAC. The tests check it against RFC 5869's test case 1.
 */
final class Hkdf {

    /** The length of the one block made: the output of HMAC-SHA256. */
    static final int LENGTH = 32;
    private static final String HMAC_SHA256 = "HmacSHA256";

    private Hkdf() {
    }

    /** The first 32 bytes of HKDF-Expand(PRK = {@code prk}, {@code info}). */
    static byte[] expand(SecretKey prk, byte[] info) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(prk);
            mac.update(info);
            mac.update((byte) 0x01);
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable for HKDF", e);
        }
    }
}
