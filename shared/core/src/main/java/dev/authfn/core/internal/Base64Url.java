package dev.authfn.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Unpadded base64url and the constant-time comparison of its ASCII text. */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    /** Indexed by character: true for [A-Za-z0-9_-]. A table, since access tokens are checked a kilobyte at a time. */
    private static final boolean[] ALPHABET = new boolean[128];

    static {
        for (char c : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray()) {
            ALPHABET[c] = true;
        }
    }

    private Base64Url() {
    }

    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /** base64url(SHA-256(bytes)): how a store keeps a credential it must not keep in the clear. */
    public static String sha256(byte[] bytes) {
        try {
            return encode(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** {@link #sha256(byte[])} of ASCII text (tokens and codes are ASCII). */
    public static String sha256(String ascii) {
        return sha256(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    /** Length of the unpadded encoding of {@code byteCount} bytes. */
    public static int encodedLength(int byteCount) {
        return (byteCount * 8 + 5) / 6;
    }

    /** True when every character of {@code s} in [from, to) is in the base64url alphabet. */
    public static boolean isAlphabet(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= ALPHABET.length || !ALPHABET[c]) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when {@code s} in [from, to) is unpadded base64url exactly as an encoder writes it:
     * alphabet characters only, a length that encodes whole bytes, and zero in the unused low
     * bits of the last character, so that no other string decodes to the same bytes. The empty
     * range is canonical. Allocates nothing.
     */
    public static boolean isCanonical(String s, int from, int to) {
        int length = to - from;
        if (length % 4 == 1 || !isAlphabet(s, from, to)) {
            return false;
        }
        return switch (length % 4) {
            case 2 -> (value(s.charAt(to - 1)) & 0x0F) == 0; // 12 bits carry one byte
            case 3 -> (value(s.charAt(to - 1)) & 0x03) == 0; // 18 bits carry two bytes
            default -> true;
        };
    }

    /** The 6-bit value of a base64url alphabet character. */
    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : 63;
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
