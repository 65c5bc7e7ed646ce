package dev.authfn.core.account;

import dev.authfn.core.internal.Base64Url;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * A token sent in a mail (verify an address, reset a password): 256 random bits, base64url
 * without padding (43 characters). Only its {@link #hash} is stored. {@code toString} never shows
 * the token.
 */
public record MailToken(String value) {

    /** Bytes of randomness; the credential rules ask for at least 16. */
    static final int RANDOM_BYTES = 32;
    static final int LENGTH = 43;

    /** What a mail token is for; a token of one kind never works for another. */
    public enum Kind {
        VERIFY_EMAIL("verify"),
        RESET_PASSWORD("reset");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Kind fromWireName(String name) {
            for (Kind kind : values()) {
                if (kind.wireName.equals(name)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown mail token kind");
        }
    }

    public MailToken {
        Objects.requireNonNull(value, "value");
    }

    public static MailToken generate(SecureRandom random) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return new MailToken(Base64Url.encode(bytes));
    }

    /** Whether {@code text} has the form of a token (so a store read is worth making). */
    public static boolean wellFormed(String text) {
        if (text == null || text.length() != LENGTH) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** base64url(SHA-256(token)): the store's key for it. */
    public String hash() {
        return hash(value);
    }

    public static String hash(String token) {
        return Base64Url.sha256(token);
    }

    @Override
    public String toString() {
        return "MailToken[<redacted>]";
    }
}
