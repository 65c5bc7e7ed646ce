package dev.authfn.core.user;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The canonical form of usernames, the key of the users table. Two inputs name the same user
 * exactly when their canonical forms are equal.
 *
 * <p>Canonicalization, in order:
 * <ol>
 *   <li>Input longer than {@value #MAX_INPUT_CHARS} UTF-16 chars is {@code TOO_LONG} without
 *       further work (the bound is generous: NFKC rarely shortens text that much).
 *   <li>Unicode NFKC (fullwidth {@code Ａ} becomes {@code A}, the ligature {@code ﬁ} becomes
 *       {@code fi}), lower-case with {@link Locale#ROOT}, then NFKC again so that the result is
 *       stable: canonicalizing a canonical username returns it unchanged.
 *   <li>Any control or format character (general categories Cc and Cf: NUL, CR, LF, tab, zero-width
 *       joiner, bidi overrides, ...) anywhere, even at the ends, is {@code CONTROL_CHARACTER}.
 *   <li>Leading and trailing whitespace is removed; whitespace left inside is {@code WHITESPACE}.
 *   <li>The result must be 1 to {@value #MAX_LENGTH} code points ({@code EMPTY}, {@code TOO_LONG}).
 *   <li>Every code point must be a letter (Unicode category L), a decimal digit (Nd) or one of
 *       {@code . _ @ + -}; anything else, including combining marks, is
 *       {@code DISALLOWED_CHARACTER}.
 * </ol>
 *
 * <p>Bad input is a value, never an exception; a {@link Rejected} holds only the reason, never
 * the input, so it can be logged as is.
 */
public final class Usernames {

    /** Most code points a canonical username may have. */
    public static final int MAX_LENGTH = 64;
    /** Longest raw input, in UTF-16 chars, that is canonicalized at all. */
    public static final int MAX_INPUT_CHARS = 4 * MAX_LENGTH;

    private static final String ALLOWED_PUNCTUATION = "._@+-";

    private Usernames() {}

    /** Why a username was refused. */
    public enum Reason {
        EMPTY,
        TOO_LONG,
        CONTROL_CHARACTER,
        WHITESPACE,
        DISALLOWED_CHARACTER
    }

    /** The outcome of {@link #canonicalize(String)}. */
    public sealed interface Result permits Canonical, Rejected {

        /** The canonical username, or empty when it was rejected. */
        default Optional<String> toOptional() {
            return this instanceof Canonical canonical ? Optional.of(canonical.username()) : Optional.empty();
        }
    }

    /** A valid username in canonical form. */
    public record Canonical(String username) implements Result {
        public Canonical {
            Objects.requireNonNull(username, "username");
        }
    }

    /** An invalid username, with the reason only. */
    public record Rejected(Reason reason) implements Result {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The canonical form of {@code raw}, or why it is not a username; null is {@code EMPTY}. */
    public static Result canonicalize(String raw) {
        if (raw == null) {
            return new Rejected(Reason.EMPTY);
        }
        if (raw.length() > MAX_INPUT_CHARS) {
            return new Rejected(Reason.TOO_LONG);
        }
        String normalized = Normalizer.normalize(
                Normalizer.normalize(raw, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT),
                Normalizer.Form.NFKC);
        if (normalized.codePoints().anyMatch(Usernames::isControl)) {
            return new Rejected(Reason.CONTROL_CHARACTER);
        }
        String username = normalized.strip();
        if (username.isEmpty()) {
            return new Rejected(Reason.EMPTY);
        }
        if (username.codePointCount(0, username.length()) > MAX_LENGTH) {
            return new Rejected(Reason.TOO_LONG);
        }
        if (username.codePoints().anyMatch(Usernames::isWhitespace)) {
            return new Rejected(Reason.WHITESPACE);
        }
        if (!username.codePoints().allMatch(Usernames::isAllowed)) {
            return new Rejected(Reason.DISALLOWED_CHARACTER);
        }
        return new Canonical(username);
    }

    private static boolean isControl(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT;
    }

    private static boolean isWhitespace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    private static boolean isAllowed(int codePoint) {
        return Character.isLetter(codePoint)
                || Character.getType(codePoint) == Character.DECIMAL_DIGIT_NUMBER
                || ALLOWED_PUNCTUATION.indexOf(codePoint) >= 0;
    }
}
