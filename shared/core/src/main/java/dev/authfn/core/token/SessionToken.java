package dev.authfn.core.token;

import dev.authfn.core.internal.Base64Url;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * A session token {@code <id>.<secret>}: the id (128 random bits) is the public session id and
 * the table key; the secret (256 random bits) proves possession and is stored only as its
 * SHA-256. Both are unpadded base64url. {@code toString} never shows the secret.
 */
public record SessionToken(String id, String secret) {

    public static final int ID_BYTES = 16;
    public static final int SECRET_BYTES = 32;
    public static final int ID_LENGTH = Base64Url.encodedLength(ID_BYTES);
    public static final int SECRET_LENGTH = Base64Url.encodedLength(SECRET_BYTES);
    public static final int ENCODED_LENGTH = ID_LENGTH + 1 + SECRET_LENGTH;

    public SessionToken {
        if (!isWellFormedId(id) || !isWellFormed(secret, SECRET_LENGTH)) {
            throw new IllegalArgumentException("not a session token");
        }
    }

    /** A fresh token from the given CSPRNG. */
    public static SessionToken generate(SecureRandom random) {
        byte[] id = new byte[ID_BYTES];
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(id);
        random.nextBytes(secret);
        return new SessionToken(Base64Url.encode(id), Base64Url.encode(secret));
    }

    /** Parses {@code <id>.<secret>} strictly: exact lengths, base64url alphabet, one dot. */
    public static Optional<SessionToken> parse(String presented) {
        if (presented == null || presented.length() != ENCODED_LENGTH || presented.charAt(ID_LENGTH) != '.') {
            return Optional.empty();
        }
        String id = presented.substring(0, ID_LENGTH);
        String secret = presented.substring(ID_LENGTH + 1);
        if (!isWellFormedId(id) || !isWellFormed(secret, SECRET_LENGTH)) {
            return Optional.empty();
        }
        return Optional.of(new SessionToken(id, secret));
    }

    /** True when {@code id} has the shape of a session id (used to validate path parameters). */
    public static boolean isWellFormedId(String id) {
        return isWellFormed(id, ID_LENGTH);
    }

    public String encoded() {
        return id + '.' + secret;
    }

    /** base64url(SHA-256(secret)), the only form of the secret the store keeps. */
    public String secretHash() {
        return hashSecret(secret);
    }

    /** Constant-time check of this token's secret against a stored hash. */
    public boolean matchesHash(String storedSecretHash) {
        Objects.requireNonNull(storedSecretHash, "storedSecretHash");
        return Base64Url.constantTimeEquals(storedSecretHash, secretHash());
    }

    @Override
    public String toString() {
        return "SessionToken[id=" + id + ", secret=<redacted>]";
    }

    private static String hashSecret(String secret) {
        return Base64Url.sha256(secret);
    }

    private static boolean isWellFormed(String s, int length) {
        return s != null && s.length() == length && Base64Url.isAlphabet(s, 0, length);
    }
}
