package dev.authfn.core.passkey;

import dev.authfn.core.internal.Base64Url;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * A WebAuthn ceremony's challenge: {@value #BYTES} random bytes (WebAuthn asks for at least 16),
 * given to the browser in the ceremony's options and signed by the authenticator inside the
 * client data. The store keeps only {@link #hash(byte[])} of it, for {@link #LIFETIME}, and
 * spends it at the first response that names it.
 */
public final class PasskeyChallenge {

    /** 256 bits from {@link SecureRandom}. */
    public static final int BYTES = 32;

    /** How long a ceremony may take, from its options to its response. */
    public static final Duration LIFETIME = Duration.ofMinutes(5);

    private final byte[] bytes;

    private PasskeyChallenge(byte[] bytes) {
        this.bytes = bytes;
    }

    public static PasskeyChallenge generate(SecureRandom random) {
        byte[] bytes = new byte[BYTES];
        Objects.requireNonNull(random, "random").nextBytes(bytes);
        return new PasskeyChallenge(bytes);
    }

    /** The challenge as the options carry it: unpadded base64url. */
    public String encoded() {
        return Base64Url.encode(bytes);
    }

    /** The store's key for it. */
    public String hash() {
        return hash(bytes);
    }

    /** base64url(SHA-256(challenge bytes)). */
    public static String hash(byte[] challenge) {
        return Base64Url.sha256(challenge);
    }

    @Override
    public String toString() {
        return "PasskeyChallenge[<redacted>]";
    }
}
