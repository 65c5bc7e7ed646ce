package dev.authfn.local.testing;

import dev.authfn.core.mfa.Totp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.commons.codec.binary.Base32;

/**
 * The authenticator app of one TOTP secret, for tests that enrol "by scanning nothing": they read
 * the secret the API (or the demo page) shows and compute the codes here, with authfn's own
 * {@link Totp} (RFC 6238, checked against the RFC's vectors in core).
 *
 * <p>The API takes a code of the steps now - 1, now and now + 1 (30 s each) and each step once
 * per user, so {@link #nextCode()} hands out every step at most once, and the earliest one still
 * safely in that window: the previous step while more than {@link #MARGIN} of the current one is
 * left (so it stays good while the request travels), then the current one, then the next one.
 * Only a fourth code within one step waits for the clock. The API's clock is this machine's.
 */
public final class AuthenticatorApp {

    private static final Totp TOTP = new Totp();
    private static final Duration MARGIN = Duration.ofSeconds(5);

    private final byte[] secret;
    private long lastStep = Totp.NO_STEP_USED;

    /** @param base32Secret the secret as the enrolment shows it ({@code secret}, RFC 4648 base32) */
    public AuthenticatorApp(String base32Secret) {
        this.secret = new Base32().decode(base32Secret);
    }

    /** A code of a step not handed out before, waiting for the clock when it must. */
    public synchronized String nextCode() {
        while (true) {
            Instant now = Instant.now();
            long current = TOTP.step(now);
            long leftMillis = (current + 1) * Totp.STEP.toMillis() - now.toEpochMilli();
            long earliest = leftMillis > MARGIN.toMillis() ? current - 1 : current;
            long step = Math.max(lastStep + 1, earliest);
            if (step <= current + 1) {
                lastStep = step;
                return TOTP.code(secret, step);
            }
            sleep(leftMillis + 50);
        }
    }

    /**
     * The current step's code without handing it out: for requests that must be refused before any
     * code is looked at, so that a later {@link #nextCode()} may still give this step.
     */
    public String peekCode() {
        return TOTP.code(secret, TOTP.step(Instant.now()));
    }

    /**
     * A six-digit code the API refuses now: none of the steps now - 1 to now + 2 (the window, and
     * the next step should the clock tick over while the request travels).
     */
    public String wrongCode() {
        long current = TOTP.step(Instant.now());
        List<String> taken = List.of(TOTP.code(secret, current - 1), TOTP.code(secret, current),
                TOTP.code(secret, current + 1), TOTP.code(secret, current + 2));
        for (int candidate = 0; ; candidate++) {
            String code = String.format("%06d", candidate);
            if (!taken.contains(code)) {
                return code;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the next time step", e);
        }
    }

    @Override
    public String toString() {
        return "AuthenticatorApp[secret=<redacted>]";
    }
}
