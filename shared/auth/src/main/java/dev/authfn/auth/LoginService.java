package dev.authfn.auth;

import dev.authfn.core.authz.Amr;
import dev.authfn.core.mfa.MfaToken;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.AttemptReservation;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import dev.authfn.core.user.Usernames;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Checks a username and password and, when they are right, starts a brand-new session.
 *
 * <p>Every wrong answer looks the same to the caller ({@link Refused}; the reason is for logs
 * only), and an unknown or malformed username costs one Argon2id verification against a dummy
 * hash, like a wrong password. A locked account is refused without looking at the password until
 * the lock expires. Every attempt that gets as far as a hash is first reserved in the store
 * (counted as a failure, in one conditional write that refuses while locked), and a success gives
 * the reservation back; so however many attempts run at once, no more hashes happen in one lock
 * window than the policy allows. Attempts on a well-formed unknown name are reserved and lock the
 * name by the same policy (in the store, never as a user), so that lockout does not tell
 * accounts from unknown names either. The session id is always fresh: nothing the client sent is
 * adopted.
 */
public final class LoginService {

    /** One login attempt. {@code toString} never shows the password. */
    public record Attempt(String username, String password, String userAgent, String sourceIp) {
        @Override
        public String toString() {
            return "Attempt[username=<redacted>, password=<redacted>]";
        }
    }

    /** The outcome of {@link #login}. */
    public sealed interface Outcome permits LoggedIn, Refused, Locked, Unverified, MfaRequired {
    }

    /**
     * The password was right and the user has a second factor: no session yet. The client sends
     * {@code mfaToken} with a code to {@code POST /auth/mfa/verify} ({@link MfaService#verify})
     * within {@link dev.authfn.core.mfa.MfaToken#LIFETIME}. {@code toString} hides the token.
     *
     * @param methods what the second step takes, in the order docs/API.md §16 lists them
     */
    public record MfaRequired(String mfaToken, List<String> methods) implements Outcome {
        /** The methods every confirmed TOTP factor offers. */
        public static final List<String> TOTP_METHODS = List.of("totp", "recovery_code");

        public MfaRequired {
            Objects.requireNonNull(mfaToken, "mfaToken");
            methods = List.copyOf(methods);
        }

        @Override
        public String toString() {
            return "MfaRequired[mfaToken=<redacted>, methods=" + methods + "]";
        }
    }

    /**
     * The password was right, but sign-up is {@code verified} and the user has not verified their
     * address yet: no session. Said only to someone who knew the password (docs/API.md §15).
     */
    public record Unverified() implements Outcome {
    }

    /** A new session and its credentials. {@code toString} shows none of them. */
    public record LoggedIn(
            Session session, String sessionCookie, String csrfToken, String accessToken, Duration accessTokenLifetime)
            implements Outcome {
        @Override
        public String toString() {
            return "LoggedIn[sessionId=" + session.id() + "]";
        }
    }

    /** Wrong credentials of any kind; the caller answers the same generic 401 for every reason. */
    public record Refused(Reason reason) implements Outcome {
    }

    /** The account is locked for {@code retryAfter} more (whole seconds, at least one). */
    public record Locked(Duration retryAfter) implements Outcome {
    }

    /** Why a login was refused; for logs and metrics, never for the client. */
    public enum Reason {
        MALFORMED_USERNAME,
        PASSWORD_LENGTH,
        UNKNOWN_USER,
        WRONG_PASSWORD,
        DISABLED,
        /**
         * The password was right, but the user's sessions were all ended (a password change, a
         * disable, a logout everywhere) while this login ran: the session it had created is ended
         * again, unused, and the login answers like any refusal. Logging in again works if the
         * password still does.
         */
        SESSIONS_ENDED,
        /** The second step's {@code mfa_token} is malformed, tampered with, expired or of a retired key. */
        MFA_TOKEN_INVALID,
        /** The {@code mfa_token} completed a login already. */
        MFA_TOKEN_SPENT,
        /** The TOTP code fits none of the accepted time steps. */
        WRONG_CODE,
        /** The TOTP code's time step was used already (a replay, or two requests with one code). */
        CODE_REPLAYED,
        /** The recovery code is malformed, unknown or used. */
        WRONG_RECOVERY_CODE,
        /** The user has no confirmed second factor (any more). */
        NO_SECOND_FACTOR,
        /** No key of the key set opens the stored secret (its key was retired): logged as an error. */
        SECRET_UNREADABLE
    }

    private final UserStore users;
    private final PasswordHasher hasher;
    private final LockoutPolicy lockout;
    private final Clock clock;
    private final SessionStarter starter;
    private final Supplier<CredentialCodecs> codecs;
    private final boolean requireVerifiedEmail;

    public LoginService(
            UserStore users,
            SessionStore sessions,
            PasswordHasher hasher,
            Supplier<CredentialCodecs> codecs,
            SessionTimeouts timeouts,
            LockoutPolicy lockout,
            SecureRandom random,
            Clock clock) {
        this(users, sessions, hasher, codecs, timeouts, lockout, random, clock, false);
    }

    /** @param requireVerifiedEmail true when sign-up is {@code verified}: an unverified user cannot log in */
    public LoginService(
            UserStore users,
            SessionStore sessions,
            PasswordHasher hasher,
            Supplier<CredentialCodecs> codecs,
            SessionTimeouts timeouts,
            LockoutPolicy lockout,
            SecureRandom random,
            Clock clock,
            boolean requireVerifiedEmail) {
        this.users = Objects.requireNonNull(users, "users");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.lockout = Objects.requireNonNull(lockout, "lockout");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.starter = new SessionStarter(users, sessions, codecs, timeouts, random);
        this.codecs = codecs;
        this.requireVerifiedEmail = requireVerifiedEmail;
    }

    /**
     * @throws dev.authfn.core.StoreUnavailableException when a store cannot answer; no credential
     *     is issued (it is made only once the session is written and registered; a session item
     *     whose registration failed is left with no credential pointing at it, and idles out),
     *     and a reservation already written stays counted as a failure, so the lockout fails closed
     */
    public Outcome login(Attempt attempt) {
        if (attempt.password() == null || PasswordHasher.check(attempt.password()).isPresent()) {
            // Too short or too long for any account: no hash can match, and the answer does not
            // depend on the user, so nothing is learnt from skipping the hash.
            return new Refused(Reason.PASSWORD_LENGTH);
        }
        if (!(Usernames.canonicalize(attempt.username()) instanceof Usernames.Canonical canonical)) {
            hasher.verifyDummy(attempt.password());
            return new Refused(Reason.MALFORMED_USERNAME);
        }
        Instant now = clock.instant();
        // One read answers both cases, so an unknown name costs the same reads as an account.
        return switch (users.lookup(canonical.username(), now)) {
            case UserLookup.Found(User user) -> loginAs(user, attempt, now);
            case UserLookup.Unknown unknown -> refuseUnknown(canonical.username(), unknown, attempt.password(), now);
        };
    }

    /**
     * Reserves the attempt before the hash (ASVS 6.3.1: the lock cannot be raced), then checks the
     * password. Locked at the read or at the reservation: refused without hashing or counting.
     */
    private Outcome loginAs(User user, Attempt attempt, Instant now) {
        if (user.isLockedAt(now)) {
            return locked(user.lockedUntil(), now);
        }
        return switch (users.reserveAttempt(user.username(), now, lockout)) {
            case AttemptReservation.Reserved reserved -> checkPassword(user, attempt, reserved, now);
            case AttemptReservation.Locked locked -> locked(locked.lockedUntil(), now);
            case AttemptReservation.KindChanged gone -> refuseUnreserved(attempt.password());
        };
    }

    private Outcome checkPassword(User user, Attempt attempt, AttemptReservation.Reserved reserved, Instant now) {
        boolean matches = hasher.verify(attempt.password(), user.passwordHash());
        // A disabled account fails like a wrong password, counter included, whatever the password:
        // were the right one not counted, the lock (429) or its absence (401) after a few tries
        // would tell which password was right. A failure keeps its reservation as its count.
        if (!matches || user.status() != UserStatus.ACTIVE) {
            return failed(reserved, matches ? Reason.DISABLED : Reason.WRONG_PASSWORD, now);
        }
        if (user.mfaEnrolled()) {
            return secondFactorNeeded(user, attempt, reserved, now);
        }
        // Gives the reservation back: a success resets the count and any lock.
        users.recordSuccessfulLogin(user.username());
        if (hasher.needsRehash(user.passwordHash())) {
            // Only over the hash just checked, so a rehash never undoes a reset that came in between.
            users.replacePasswordHash(user, hasher.hash(attempt.password()));
        }
        if (requireVerifiedEmail && !user.emailVerified()) {
            return new Unverified();
        }
        return startSession(user, attempt, now);
    }

    /**
     * The right password of a user with a second factor: the reservation is <em>not</em> given
     * back, so the password step counts as a failure until the second step succeeds and resets the
     * count; else knowing the password would buy fresh code guesses with every login. A rehash
     * waits for a later login too. In {@code verified} mode an unverified address is said first,
     * as for every user.
     *
     * @throws IllegalStateException when the key set has no {@code mfa} key to sign the token with
     */
    private Outcome secondFactorNeeded(User user, Attempt attempt, AttemptReservation.Reserved reserved, Instant now) {
        if (reserved.isLockedAt(now)) {
            return locked(reserved.lockedUntil(), now);
        }
        if (requireVerifiedEmail && !user.emailVerified()) {
            return new Unverified();
        }
        MfaToken tokens = codecs.get().mfaTokens();
        return new MfaRequired(tokens.issue(user.userId(), user.username(), now).token(), MfaRequired.TOTP_METHODS);
    }

    /**
     * Answers a name no user holds exactly as a wrong password for an account: refused without
     * hashing while the name is locked, else the attempt reserved in the name's count, one dummy
     * hash, and the lock that reservation set, by the same policy (ASVS 6.3.8: a 429 must not
     * reveal that an account exists).
     */
    private Outcome refuseUnknown(String username, UserLookup.Unknown unknown, String password, Instant now) {
        if (unknown.isLockedAt(now)) {
            return locked(unknown.lockedUntil(), now);
        }
        return switch (users.reserveUnknownAttempt(username, now, lockout)) {
            case AttemptReservation.Reserved reserved -> {
                hasher.verifyDummy(password);
                yield failed(reserved, Reason.UNKNOWN_USER, now);
            }
            case AttemptReservation.Locked locked -> locked(locked.lockedUntil(), now);
            case AttemptReservation.KindChanged taken -> refuseUnreserved(password);
        };
    }

    /**
     * The name changed kind between the read and the reservation (a user took it), so nothing
     * was counted: one dummy hash, as for any unknown name, and the generic refusal. The attempt
     * was checked against no account's hash.
     */
    private Outcome refuseUnreserved(String password) {
        hasher.verifyDummy(password);
        return new Refused(Reason.UNKNOWN_USER);
    }

    /** A failed attempt: 429 when its reservation set a lock, else the generic refusal. */
    private static Outcome failed(AttemptReservation.Reserved reserved, Reason reason, Instant now) {
        return reserved.isLockedAt(now) ? locked(reserved.lockedUntil(), now) : new Refused(reason);
    }

    /**
     * The new password session (see {@link SessionStarter}); refused when the user's sessions were
     * ended meanwhile.
     */
    private Outcome startSession(User user, Attempt attempt, Instant now) {
        return starter.start(user, Amr.PASSWORD, attempt.userAgent(), attempt.sourceIp(), now)
                .<Outcome>map(loggedIn -> loggedIn).orElseGet(() -> new Refused(Reason.SESSIONS_ENDED));
    }

    static Locked locked(Instant lockedUntil, Instant now) {
        return new Locked(retryAfter(lockedUntil, now));
    }

    /** What is left of a lock, in whole seconds rounded up, at least one: {@code Retry-After}. */
    static Duration retryAfter(Instant lockedUntil, Instant now) {
        Duration left = Duration.between(now, lockedUntil);
        return Duration.ofSeconds(Math.max(1, left.toSeconds() + (left.toNanosPart() > 0 ? 1 : 0)));
    }
}
