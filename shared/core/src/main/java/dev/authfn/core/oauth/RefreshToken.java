package dev.authfn.core.oauth;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * A refresh token as the client holds it: {@code <familyId>.<secret>}, both
 * {@link OAuthCredential}s (256 random bits each). The id finds the family; only the secret's hash
 * is stored.
 */
public record RefreshToken(String familyId, String secret) {

    /** 43 + 1 + 43. */
    public static final int LENGTH = 2 * OAuthCredential.ENCODED_LENGTH + 1;

    public RefreshToken {
        if (!OAuthCredential.isWellFormed(familyId) || !OAuthCredential.isWellFormed(secret)) {
            throw new IllegalArgumentException("a refresh token is two OAuthCredentials");
        }
    }

    /** A token opening a new family. */
    public static RefreshToken generate(SecureRandom random) {
        return new RefreshToken(OAuthCredential.generate(random), OAuthCredential.generate(random));
    }

    /** The next token of the same family. */
    public RefreshToken next(SecureRandom random) {
        return new RefreshToken(familyId, OAuthCredential.generate(Objects.requireNonNull(random, "random")));
    }

    /** The token in {@code value}, or empty when it does not have the shape of one (checked before any read). */
    public static Optional<RefreshToken> parse(String value) {
        if (value == null || value.length() != LENGTH || value.charAt(OAuthCredential.ENCODED_LENGTH) != '.') {
            return Optional.empty();
        }
        String id = value.substring(0, OAuthCredential.ENCODED_LENGTH);
        String secret = value.substring(OAuthCredential.ENCODED_LENGTH + 1);
        return OAuthCredential.isWellFormed(id) && OAuthCredential.isWellFormed(secret)
                ? Optional.of(new RefreshToken(id, secret)) : Optional.empty();
    }

    public String secretHash() {
        return OAuthCredential.hash(secret);
    }

    /** What the client gets. */
    public String encoded() {
        return familyId + "." + secret;
    }

    @Override
    public String toString() {
        return "RefreshToken[<redacted>]";
    }
}
