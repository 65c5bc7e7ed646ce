package dev.authfn.core.password;

import java.util.Optional;

/**
 * Hashes and verifies passwords. The port the login flow depends on; the Argon2id implementation
 * ({@code dev.authfn.password.Argon2idHasher}, module {@code shared/password}) is the only one and
 * lives apart so that Bouncy Castle reaches only the functions that hash (login and the admin CLI).
 *
 * <p><b>What a password is.</b> 8 to 1024 characters, where a character is a Unicode code point
 * (as NIST SP 800-63B counts them), so 1024 emoji are as allowed as 1024 ASCII letters. The
 * password is used exactly as received: no truncation, no trimming, no Unicode normalization. A
 * string with an unpaired surrogate is not Unicode text and is refused. {@link #check} says why a
 * password is refused, before any hashing.
 *
 * <p><b>Timing.</b> For any given input, {@link #verify} against a hash made with the configured
 * parameters and {@link #verifyDummy} do the same work, so an unknown username costs what a wrong
 * password costs.
 */
public interface PasswordHasher {

    /** Fewest code points a password may have. */
    int MIN_LENGTH = 8;
    /** Most code points a password may have; the bound that stops hashing-DoS. */
    int MAX_LENGTH = 1024;

    /** Why a password is refused before any hashing; a reason code, never the password. */
    enum Rejection {
        TOO_SHORT,
        TOO_LONG,
        /** Holds an unpaired UTF-16 surrogate, so it is not Unicode text. */
        NOT_UNICODE
    }

    /** Why {@code password} may not be hashed or verified, or empty when it may. */
    static Optional<Rejection> check(CharSequence password) {
        int length = password.length();
        if (length > 2 * MAX_LENGTH) {
            return Optional.of(Rejection.TOO_LONG); // a code point is at most two chars
        }
        int codePoints = 0;
        for (int i = 0; i < length; codePoints++) {
            int codePoint = Character.codePointAt(password, i);
            if (codePoint <= Character.MAX_VALUE && Character.isSurrogate((char) codePoint)) {
                return Optional.of(Rejection.NOT_UNICODE);
            }
            i += Character.charCount(codePoint);
        }
        if (codePoints > MAX_LENGTH) {
            return Optional.of(Rejection.TOO_LONG);
        }
        if (codePoints < MIN_LENGTH) {
            return Optional.of(Rejection.TOO_SHORT);
        }
        return Optional.empty();
    }

    /**
     * Hashes a new password with a fresh salt. Call {@link #check} first to turn a bad password
     * into a response; this method treats one as a programming error.
     *
     * @throws IllegalArgumentException when {@link #check} refuses the password; the message holds
     *     only the reason code
     */
    String hash(char[] password);

    /** As {@link #hash(char[])}. */
    String hash(String password);

    /**
     * Whether {@code password} matches {@code storedHash}, compared in constant time; false (never
     * an exception) for a wrong password, a refused password or a malformed stored hash.
     */
    boolean verify(String password, String storedHash);

    /**
     * Costs what {@link #verify} costs against a hash with the configured parameters, and is
     * always false: for an unknown username, so it cannot be told from a wrong password by time.
     */
    boolean verifyDummy(String password);

    /** Whether {@code storedHash} should be replaced by a fresh hash after a successful login. */
    boolean needsRehash(String storedHash);
}
