package dev.authfn.core.password;

import java.text.Normalizer;
import java.util.Optional;

/**
 * Hashes and verifies passwords. The port the login flow depends on; the Argon2id implementation
 * ({@code dev.authfn.password.Argon2idHasher}, module {@code shared/password}) is the only one and
 * lives apart so that Bouncy Castle reaches only the functions that hash (login and the admin CLI).
 *
 * <p><b>What a password is.</b> 8 to 1024 characters, where a character is a Unicode code point
 * (as NIST SP 800-63B counts them) of the password in Unicode NFKC ({@link #normalized}), so 1024
 * emoji are as allowed as 1024 ASCII letters. The password is hashed and verified in NFKC, so the
 * same password typed on any device (é precomposed or as e and a combining accent, a full-width
 * or a ligature letter) matches; nothing else is changed: no truncation, no trimming, no case
 * folding. A string with an unpaired surrogate is not Unicode text and is refused. {@link #check}
 * says why a password is refused, before any hashing.
 *
 * <p><b>Login and new passwords.</b> {@link #check} is the rule of login: 8 code points, so that
 * every account made before the longer minimum of new passwords can still log in. A new password
 * must also pass the stricter {@link PasswordPolicy} (12 code points by default, the breach
 * corpus).
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

    /**
     * Why {@code password} may not be hashed or verified, or empty when it may. Input over
     * {@code 2 * MAX_LENGTH} UTF-16 chars is refused before anything else; the length is then
     * counted in code points of the NFKC form.
     */
    static Optional<Rejection> check(CharSequence password) {
        if (password.length() > 2 * MAX_LENGTH) {
            return Optional.of(Rejection.TOO_LONG); // so normalizing never sees more than this
        }
        if (!isUnicode(password)) {
            return Optional.of(Rejection.NOT_UNICODE);
        }
        String normalized = normalized(password);
        int codePoints = normalized.codePointCount(0, normalized.length());
        if (codePoints > MAX_LENGTH) {
            return Optional.of(Rejection.TOO_LONG);
        }
        if (codePoints < MIN_LENGTH) {
            return Optional.of(Rejection.TOO_SHORT);
        }
        return Optional.empty();
    }

    /**
     * The form a password is hashed, verified, counted and checked for breaches in: Unicode NFKC.
     * Call it only on text {@link #check} accepts (NFKC of an unpaired surrogate is undefined).
     */
    static String normalized(CharSequence password) {
        return Normalizer.normalize(password, Normalizer.Form.NFKC);
    }

    /** Whether {@code text} holds no unpaired UTF-16 surrogate. */
    private static boolean isUnicode(CharSequence text) {
        int length = text.length();
        for (int i = 0; i < length; ) {
            int codePoint = Character.codePointAt(text, i);
            if (codePoint <= Character.MAX_VALUE && Character.isSurrogate((char) codePoint)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    /**
     * Hashes a new password, in its {@link #normalized} form, with a fresh salt. Call
     * {@link #check} (and, for a password a person chooses, {@link PasswordPolicy#checkNew})
     * first to turn a bad password into a response; this method treats one as a programming
     * error.
     *
     * @throws IllegalArgumentException when {@link #check} refuses the password; the message holds
     *     only the reason code
     */
    String hash(char[] password);

    /** As {@link #hash(char[])}. */
    String hash(String password);

    /**
     * Whether {@code password}, in its {@link #normalized} form, matches {@code storedHash},
     * compared in constant time; false (never
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
