package dev.authfn.core.oauth;

import dev.authfn.core.internal.Base64Url;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The random part of every OAuth credential authfn hands out: an authorization code, a refresh
 * token's secret, a client secret. {@value #BYTES} bytes from {@link SecureRandom} (256 bits),
 * written as unpadded base64url ({@value #ENCODED_LENGTH} characters). Stores keep only
 * {@link #hash(String)} of it.
 */
public final class OAuthCredential {

    public static final int BYTES = 32;
    public static final int ENCODED_LENGTH = 43;

    private OAuthCredential() {
    }

    /** A new credential, as the client gets it. */
    public static String generate(SecureRandom random) {
        byte[] bytes = new byte[BYTES];
        Objects.requireNonNull(random, "random").nextBytes(bytes);
        return Base64Url.encode(bytes);
    }

    /** True when {@code value} has the shape {@link #generate} writes: checked before any hashing or read. */
    public static boolean isWellFormed(String value) {
        return value != null && value.length() == ENCODED_LENGTH && Base64Url.isCanonical(value, 0, ENCODED_LENGTH);
    }

    /** base64url(SHA-256(value)): what a store keeps. */
    public static String hash(String value) {
        return Base64Url.sha256(value);
    }

    /** Constant-time comparison of {@code value}'s hash with {@code storedHash}. */
    public static boolean matches(String value, String storedHash) {
        return Base64Url.constantTimeEquals(hash(value), storedHash);
    }
}
