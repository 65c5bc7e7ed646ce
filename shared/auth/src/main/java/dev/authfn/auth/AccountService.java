package dev.authfn.auth;

import dev.authfn.core.account.AccountStore;
import dev.authfn.core.account.Emails;
import dev.authfn.core.account.MailRequest;
import dev.authfn.core.account.MailToken;
import dev.authfn.core.account.Outbox;
import dev.authfn.core.account.Registration;
import dev.authfn.core.account.StoredToken;
import dev.authfn.core.authz.Amr;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.config.AccountSettings;
import dev.authfn.core.mfa.MfaStore;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.core.password.PasswordPolicy;
import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.AttemptReservation;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import dev.authfn.core.user.Usernames;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The account routes' request side (docs/API.md §15): sign-up, verifying an address, asking for
 * mails again, and setting a password by a reset token or by the current password.
 *
 * <p><b>Nothing on the request path tells whether an account exists.</b> A request that could be
 * about someone else's account (resend, forgot, a sign-up with a taken address) writes exactly one
 * {@link MailRequest} to the {@link Outbox} and answers the same whatever the account; the mailer
 * ({@link MailerService}) resolves the account off the request path, where its time and answers
 * cannot be seen. Tokens are spent by the store in the same atomic write as their effect.
 */
public final class AccountService {

    /** A sign-up request. {@code toString} never shows the password. */
    public record SignUp(String username, String email, String password) {
        @Override
        public String toString() {
            return "SignUp[<redacted>]";
        }
    }

    public sealed interface SignUpOutcome permits SignedUp, SignUpRefused {
    }

    /**
     * Answered for a new account and, identically, for an address another user holds (then
     * {@code userId} is a stand-in's, which holds the name unverified and without the address,
     * see {@link AccountStore#register}, and the holder of the address is mailed).
     */
    public record SignedUp(String userId, boolean mustVerify) implements SignUpOutcome {
    }

    public record SignUpRefused(SignUpReason reason, Optional<PasswordPolicy.Rejection> password)
            implements SignUpOutcome {
    }

    public enum SignUpReason {
        CLOSED,
        MALFORMED_USERNAME,
        MALFORMED_EMAIL,
        WEAK_PASSWORD,
        USERNAME_TAKEN
    }

    /** Why a token was refused; for the audit log only, the client gets one answer for all. */
    public enum TokenReason {
        MALFORMED,
        UNKNOWN,
        WRONG_KIND,
        EXPIRED,
        SPENT,
        /** A reset token older than the user's newest one, or the account changed under it. */
        SUPERSEDED
    }

    public sealed interface TokenOutcome permits TokenAccepted, TokenRefused, WeakPassword {
    }

    /** The token worked; for a reset, {@code sessionsEnded} counts the sessions it ended. */
    public record TokenAccepted(String username, int sessionsEnded) implements TokenOutcome {
    }

    public record TokenRefused(TokenReason reason) implements TokenOutcome {
    }

    public record WeakPassword(PasswordPolicy.Rejection rejection) implements TokenOutcome, ChangeOutcome {
    }

    public sealed interface ChangeOutcome permits Changed, WeakPassword, WrongPassword, ChangeLocked, CallerEnded,
            SecondFactorNeeded, WrongSecondFactor {
    }

    /**
     * The password was right, but the user has a second factor that the caller's session did not
     * use, and no code came with the request: nothing changed, and the attempt stays counted toward
     * the lockout (docs/API.md §16.5).
     */
    public record SecondFactorNeeded() implements ChangeOutcome {
    }

    /** The password was right, the second factor was not (counted toward the lockout). */
    public record WrongSecondFactor(LoginService.Reason reason) implements ChangeOutcome {
    }

    /** The password changed; every session ended and the caller has this new one. */
    public record Changed(LoginService.LoggedIn session, int sessionsEnded) implements ChangeOutcome {
    }

    /** The current password was wrong (counted toward the lockout like a failed login). */
    public record WrongPassword() implements ChangeOutcome {
    }

    public record ChangeLocked(Duration retryAfter) implements ChangeOutcome {
    }

    /** The caller's account or session is gone or disabled: nothing changed. */
    public record CallerEnded() implements ChangeOutcome {
    }

    private final UserStore users;
    private final SessionStore sessions;
    private final AccountStore accounts;
    private final Outbox outbox;
    private final PasswordHasher hasher;
    private final PasswordPolicy policy;
    private final LockoutPolicy lockout;
    private final AccountSettings settings;
    private final SessionStarter starter;
    private final SecondFactors secondFactors;
    private final SecureRandom random;
    private final Clock clock;

    AccountService(UserStore users, SessionStore sessions, AccountStore accounts, Outbox outbox, MfaStore factors,
            PasswordHasher hasher, PasswordPolicy policy, LockoutPolicy lockout, AccountSettings settings,
            Supplier<CredentialCodecs> codecs, SessionTimeouts timeouts, SecureRandom random, Clock clock) {
        this.users = Objects.requireNonNull(users, "users");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.accounts = Objects.requireNonNull(accounts, "accounts");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.hasher = Objects.requireNonNull(hasher, "hasher");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.lockout = Objects.requireNonNull(lockout, "lockout");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.starter = new SessionStarter(users, sessions, codecs, timeouts, random);
        this.secondFactors = new SecondFactors(factors, codecs);
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public AccountSettings settings() {
        return settings;
    }

    /**
     * Opens an account: checks the name, the address and the password, hashes it, and writes the
     * user with the claim on the address. A taken address is answered as a success (a made-up id;
     * its holder is mailed instead), so sign-up does not tell which addresses have accounts; a
     * taken username is said (usernames are public handles).
     */
    public SignUpOutcome register(SignUp request) {
        if (settings.signup() == AccountSettings.SignupMode.CLOSED) {
            return new SignUpRefused(SignUpReason.CLOSED, Optional.empty());
        }
        if (!(Usernames.canonicalize(request.username()) instanceof Usernames.Canonical canonical)) {
            return new SignUpRefused(SignUpReason.MALFORMED_USERNAME, Optional.empty());
        }
        if (!(Emails.normalize(request.email()) instanceof Emails.Normal email)) {
            return new SignUpRefused(SignUpReason.MALFORMED_EMAIL, Optional.empty());
        }
        Optional<PasswordPolicy.Rejection> weak = request.password() == null
                ? Optional.of(PasswordPolicy.Rejection.TOO_SHORT)
                : policy.checkNew(request.password(), canonical.username());
        if (weak.isPresent()) {
            return new SignUpRefused(SignUpReason.WEAK_PASSWORD, weak);
        }
        User user = new User(canonical.username(), UUID.randomUUID().toString(), hasher.hash(request.password()),
                Set.of(), Set.of(), UserStatus.ACTIVE, 0, Instant.EPOCH, 0, email.address(), false);
        boolean mustVerify = settings.signup() == AccountSettings.SignupMode.VERIFIED;
        // A stand-in holding the name of a sign-up with a held address lives as long as a verification mail.
        return switch (accounts.register(user, clock.instant().plus(settings.verificationTokenTtl()))) {
            case CREATED -> {
                enqueue(MailRequest.Kind.VERIFY_EMAIL, user.username());
                yield new SignedUp(user.userId(), mustVerify);
            }
            case EMAIL_TAKEN -> {
                enqueue(MailRequest.Kind.REGISTRATION_ATTEMPT, email.address());
                yield new SignedUp(user.userId(), mustVerify);
            }
            case USERNAME_TAKEN -> new SignUpRefused(SignUpReason.USERNAME_TAKEN, Optional.empty());
        };
    }

    /** Spends a verification token and marks its address verified. */
    public TokenOutcome verifyEmail(String token) {
        Instant now = clock.instant();
        return switch (usable(token, MailToken.Kind.VERIFY_EMAIL, now)) {
            case Unusable(TokenRefused refused) -> refused;
            case Usable(StoredToken stored) -> accounts.verifyEmail(stored, now)
                    ? new TokenAccepted(stored.username(), 0)
                    : new TokenRefused(afterRace(stored));
        };
    }

    /**
     * Asks for the verification mail again. False only when the address is malformed (a 400 that
     * depends on the input alone); otherwise one outbox write, whatever the account.
     */
    public boolean resendVerification(String email) {
        if (!(Emails.normalize(email) instanceof Emails.Normal normal)) {
            return false;
        }
        enqueue(MailRequest.Kind.RESEND_VERIFICATION, normal.address());
        return true;
    }

    /**
     * Asks for a reset mail, by username or by address (an input with {@code @} that is a valid
     * address is taken as one). False only when the input is neither; otherwise one outbox
     * write, whatever the account.
     */
    public boolean forgotPassword(String username, String email) {
        if (email != null && Emails.normalize(email) instanceof Emails.Normal normal) {
            enqueue(MailRequest.Kind.FORGOT_BY_EMAIL, normal.address());
            return true;
        }
        if (email == null && Usernames.canonicalize(username) instanceof Usernames.Canonical canonical) {
            enqueue(MailRequest.Kind.FORGOT_BY_USERNAME, canonical.username());
            return true;
        }
        return false;
    }

    /**
     * Sets a new password with a reset token: spends the token, sets the hash, clears the lockout
     * (one atomic write), then ends every session of the user and queues a notice to the address.
     */
    public TokenOutcome resetPassword(String token, String newPassword) {
        Instant now = clock.instant();
        return switch (usable(token, MailToken.Kind.RESET_PASSWORD, now)) {
            case Unusable(TokenRefused refused) -> refused;
            case Usable(StoredToken stored) -> {
                Optional<PasswordPolicy.Rejection> weak = newPassword == null
                        ? Optional.of(PasswordPolicy.Rejection.TOO_SHORT)
                        : policy.checkNew(newPassword, stored.username());
                if (weak.isPresent()) {
                    yield new WeakPassword(weak.get());
                }
                if (!accounts.resetPassword(stored, hasher.hash(newPassword), now)) {
                    yield new TokenRefused(afterRace(stored));
                }
                int ended = AllSessions.end(users, sessions, stored.username(), stored.userId(), clock.instant());
                enqueue(MailRequest.Kind.PASSWORD_CHANGED, stored.username());
                yield new TokenAccepted(stored.username(), ended);
            }
        };
    }

    /**
     * Changes the caller's password (ASVS 6.2.3: the current one is asked for; 7.2.4: every
     * session ends and the caller gets a new one). The current password is checked with a
     * reservation, like a login, so wrong guesses lock the account.
     */
    public ChangeOutcome changePassword(Principal caller, String currentPassword, String newPassword, String userAgent,
            String sourceIp) {
        return changePassword(caller, currentPassword, newPassword, Optional.empty(), userAgent, sourceIp);
    }

    /**
     * As {@link #changePassword(Principal, String, String, String, String)}, with the caller's second
     * factor: a user with one whose session's {@code amr} lacks {@code mfa} must prove it too, so a
     * session that never used the factor cannot take the account over by changing its password.
     */
    public ChangeOutcome changePassword(Principal caller, String currentPassword, String newPassword,
            Optional<MfaProof> proof, String userAgent, String sourceIp) {
        Instant now = clock.instant();
        Optional<User> read = users.get(caller.username()).filter(user -> user.userId().equals(caller.userId()));
        Optional<Session> replaced = sessions.find(caller.sessionId(), now);
        if (read.isEmpty() || read.get().status() != UserStatus.ACTIVE || replaced.isEmpty()) {
            return new CallerEnded();
        }
        // The new session was authenticated as the one it replaces (a second factor stays), and now:
        // the current password has just been proved again.
        List<String> amr = replaced.get().amr();
        User user = read.get();
        if (user.isLockedAt(now)) {
            return new ChangeLocked(LoginService.retryAfter(user.lockedUntil(), now));
        }
        if (currentPassword == null || PasswordHasher.check(currentPassword).isPresent()) {
            return new WrongPassword();
        }
        Optional<PasswordPolicy.Rejection> weak = newPassword == null
                ? Optional.of(PasswordPolicy.Rejection.TOO_SHORT) : policy.checkNew(newPassword, user.username());
        if (weak.isPresent()) {
            return new WeakPassword(weak.get());
        }
        return switch (users.reserveAttempt(user.username(), now, lockout)) {
            case AttemptReservation.Locked locked -> new ChangeLocked(LoginService.retryAfter(locked.lockedUntil(), now));
            case AttemptReservation.KindChanged gone -> new CallerEnded();
            case AttemptReservation.Reserved reserved -> {
                if (!hasher.verify(currentPassword, user.passwordHash())) {
                    yield reserved.isLockedAt(now) ? new ChangeLocked(LoginService.retryAfter(reserved.lockedUntil(), now))
                            : new WrongPassword();
                }
                // A session that proves the factor here goes on as one that used it.
                List<String> newAmr = amr;
                if (user.mfaEnrolled() && !amr.contains(Amr.MFA)) {
                    if (proof.isEmpty()) {
                        yield new SecondFactorNeeded();
                    }
                    if (secondFactors.check(user, proof.get(), Optional.empty(), now) instanceof SecondFactors.Failed failed) {
                        yield reserved.isLockedAt(now)
                                ? new ChangeLocked(LoginService.retryAfter(reserved.lockedUntil(), now))
                                : new WrongSecondFactor(failed.reason());
                    }
                    newAmr = Amr.PASSWORD_AND_OTP;
                }
                users.recordSuccessfulLogin(user.username());
                // Only over the hash just checked: a reset or another change since the read wins.
                if (!users.replacePasswordHash(user, hasher.hash(newPassword))) {
                    yield new CallerEnded();
                }
                int ended = AllSessions.end(users, sessions, user.username(), user.userId(), clock.instant());
                Optional<User> after = users.get(user.username());
                List<String> sessionAmr = newAmr;
                Optional<LoginService.LoggedIn> fresh = after.flatMap(
                        changed -> starter.start(changed, sessionAmr, userAgent, sourceIp, clock.instant()));
                enqueue(MailRequest.Kind.PASSWORD_CHANGED, user.username());
                yield fresh.<ChangeOutcome>map(session -> new Changed(session, ended)).orElseGet(CallerEnded::new);
            }
        };
    }

    private sealed interface Check permits Usable, Unusable {
    }

    private record Usable(StoredToken token) implements Check {
    }

    private record Unusable(TokenRefused refused) implements Check {
    }

    /** The stored token when it may be used now; checked in code (TTL only cleans up). */
    private Check usable(String token, MailToken.Kind kind, Instant now) {
        if (!MailToken.wellFormed(token)) {
            return new Unusable(new TokenRefused(TokenReason.MALFORMED));
        }
        Optional<StoredToken> stored = accounts.token(MailToken.hash(token));
        if (stored.isEmpty()) {
            return new Unusable(new TokenRefused(TokenReason.UNKNOWN));
        }
        StoredToken found = stored.get();
        if (found.kind() != kind) {
            return new Unusable(new TokenRefused(TokenReason.WRONG_KIND));
        }
        if (found.spent()) {
            return new Unusable(new TokenRefused(TokenReason.SPENT));
        }
        if (found.expiredAt(now)) {
            return new Unusable(new TokenRefused(TokenReason.EXPIRED));
        }
        return new Usable(found);
    }

    /** Why the store refused a token that looked usable: spent meanwhile, or superseded. */
    private TokenReason afterRace(StoredToken stored) {
        return accounts.token(stored.hash()).map(StoredToken::spent).orElse(false)
                ? TokenReason.SPENT : TokenReason.SUPERSEDED;
    }

    private void enqueue(MailRequest.Kind kind, String subject) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        outbox.enqueue(new MailRequest(HexFormat.of().formatHex(id), kind, subject, clock.instant()));
    }

}
