package dev.authfn.core.mfa;

import com.eatthepath.otp.HmacOneTimePasswordGenerator;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 time-based one-time passwords as authenticator apps make them: HMAC-SHA1,
 * {@value #DIGITS} digits, 30-second steps counted from the Unix epoch.
 *
 * <p>A code is accepted for the current step and one step either side (RFC 6238 section 5.2's
 * "one time step" of network delay and clock drift), and only for a step later than the last one
 * this user spent: a code, once used, never works again, nor does any older one (section 5.2: "the
 * verifier MUST NOT accept the second attempt of the OTP"). The caller stores the step of every
 * {@link Matched} with a conditional write, so two requests racing with one code get one success.
 *
 * <p>The code itself is java-otp's RFC 4226 HOTP generator with the step as its counter: TOTP is
 * HOTP over {@code T} (RFC 6238 section 4.2). Its {@code TimeBasedOneTimePasswordGenerator} would
 * work the step out again from an {@link Instant}'s milliseconds, which overflows for far
 * instants and truncates towards zero before 1970; here {@link #step} owns that arithmetic.
 */
public final class Totp {

    public static final int DIGITS = 6;
    public static final Duration STEP = Duration.ofSeconds(30);
    /** What to pass as the last used step for a factor that has never accepted a code. */
    public static final long NO_STEP_USED = Long.MIN_VALUE;
    /** RFC 6238's HMAC-SHA1: what every authenticator app computes by default. */
    private static final String ALGORITHM = "HmacSHA1";
    private static final long STEP_SECONDS = STEP.toSeconds();
    /** Steps accepted either side of the current one. */
    private static final int SKEW_STEPS = 1;

    /** The outcome of {@link #verify}. */
    public sealed interface Match permits Matched, Replayed, Wrong {
    }

    /** The code is that of {@code step}, later than any step spent before: store it as the last used. */
    public record Matched(long step) implements Match {
    }

    /** The code is right, but for a step already spent (or older than it): refused. */
    public record Replayed() implements Match {
    }

    /** Not the code of any step in the window, or not {@value #DIGITS} ASCII digits at all. */
    public record Wrong() implements Match {
    }

    private static final Wrong WRONG = new Wrong();

    /** Thread-safe: it clones its {@code Mac} for every code. */
    private final HmacOneTimePasswordGenerator hotp = new HmacOneTimePasswordGenerator(DIGITS);

    /** The step {@code now} falls in: whole 30-second periods since the epoch, rounded down. */
    public long step(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), STEP_SECONDS);
    }

    /** The code of {@code step}: {@value #DIGITS} ASCII digits, zero-padded. */
    public String code(byte[] secret, long step) {
        try {
            // Locale.ROOT: the library formats with String.format, which in some locales writes
            // other digits than 0-9.
            return hotp.generateOneTimePasswordString(new SecretKeySpec(secret, ALGORITHM), step, Locale.ROOT);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 refused a TOTP secret", e);
        }
    }

    /**
     * Checks a presented code against steps {@code now - 1}, {@code now} and {@code now + 1}. Every
     * step's code is computed and compared in constant time, whatever matched first. Never throws
     * for any presented code (null, too short or long, letters, non-ASCII digits: {@link Wrong}).
     *
     * @param lastUsedStep the step of the last code this factor accepted, or {@link #NO_STEP_USED}
     * @return {@link Matched} with the earliest matching step later than {@code lastUsedStep};
     *     else {@link Replayed} when the code matches a step at or before it; else {@link Wrong}
     */
    public Match verify(byte[] secret, String presentedCode, Instant now, long lastUsedStep) {
        if (!isDigits(presentedCode)) {
            return WRONG;
        }
        byte[] presented = presentedCode.getBytes(StandardCharsets.US_ASCII);
        long current = step(now);
        Match result = WRONG;
        for (long step = current - SKEW_STEPS; step <= current + SKEW_STEPS; step++) {
            boolean equal = MessageDigest.isEqual(code(secret, step).getBytes(StandardCharsets.US_ASCII), presented);
            // Steps ascend and spent steps are the lowest, so a Replayed may still give way to a
            // later fresh step, and the first Matched stands.
            if (equal && !(result instanceof Matched)) {
                result = step > lastUsedStep ? new Matched(step) : new Replayed();
            }
        }
        return result;
    }

    private static boolean isDigits(String code) {
        if (code == null || code.length() != DIGITS) {
            return false;
        }
        for (int i = 0; i < DIGITS; i++) {
            char c = code.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
