package dev.authfn.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** Unpadded base64url and the constant-time comparison of its ASCII text. */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Base64Url() {
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /** Length of the unpadded encoding of {@code byteCount} bytes. */
    public static int encodedLength(int byteCount) {
        return (byteCount * 8 + 5) / 6;
    }

    /** True when every character of {@code s} in [from, to) is in the base64url alphabet. */
    public static boolean isAlphabet(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares two encodings in constant time for equal lengths. Comparing the text, not the
     * decoded bytes, means that no second spelling of a value (differing only in unused low bits
     * of the last character) is accepted.
     */
    public static boolean constantTimeEquals(String expected, String presented) {
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }
}
