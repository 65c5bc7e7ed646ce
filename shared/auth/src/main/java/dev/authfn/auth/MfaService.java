package dev.authfn.auth;

import dev.authfn.core.authz.Amr;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.mfa.MfaStore;
import dev.authfn.core.mfa.MfaToken;
import dev.authfn.core.mfa.RecoveryCodes;
import dev.authfn.core.mfa.SecretBox;
import dev.authfn.core.mfa.Totp;
import dev.authfn.core.mfa.TotpSecret;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.AttemptReservation;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The TOTP second factor (docs/API.md §16): the second step of a login, and enrolling, confirming
 * and removing the factor.
 *
 * <p>The second step takes the {@code mfa_token} a right password earned ({@link
 * LoginService.MfaRequired}) and a code. Like a password it is checked only with a lockout
 * reservation in hand, so wrong codes count toward the account's lockout; the password step of
 * a user with a factor gives no reservation back ({@link LoginService}), so a known password
 * does not buy fresh guesses. A right code is spent, together with the token's login attempt, in
 * one conditional write: a code is good once, and a token makes one session.
 */
public final class MfaService {

    /** The second step of a login. {@code toString} shows neither the token nor the code. */
    public record SecondStep(String mfaToken, MfaProof proof, String userAgent, String sourceIp) {
        public SecondStep {
            Objects.requireNonNull(mfaToken, "mfaToken");
            Objects.requireNonNull(proof, "proof");
        }

        @Override
        public String toString() {
            return "SecondStep[mfaToken=<redacted>, " + proof + "]";
        }
    }

    /** The outcome of {@link #begin}. */
    public sealed interface EnrolOutcome permits Enrolment, AlreadyEnrolled, CallerEnded, Unavailable,
            MultiFactorRequired {
    }

    /**
     * The account has passkeys and the caller's session used none (its {@code amr} has no
     * {@code mfa}): adding a factor then needs a multi-factor login, as adding a passkey does
     * ({@link PasskeyService.MultiFactorRequired}).
     */
    public record MultiFactorRequired() implements EnrolOutcome {
    }

    /**
     * A new pending factor: the secret in base32 and as an {@code otpauth://} URI, shown once.
     * {@code toString} shows neither.
     */
    public record Enrolment(String secret, String otpauthUri) implements EnrolOutcome {
        @Override
        public String toString() {
            return "Enrolment[secret=<redacted>]";
        }
    }

    /** The user has a confirmed factor already: remove it first. */
    public record AlreadyEnrolled() implements EnrolOutcome, ConfirmOutcome {
    }

    /** The caller's session has ended, or its account is gone, re-created or disabled: nothing changed. */
    public record CallerEnded() implements EnrolOutcome, ConfirmOutcome, RemoveOutcome {
    }

    /** The key set has no {@code mfa} key, so no secret can be sealed (or opened). */
    public record Unavailable() implements EnrolOutcome {
    }

    /** The outcome of {@link #confirm}. */
    public sealed interface ConfirmOutcome permits Confirmed, WrongCode, NothingPending, AlreadyEnrolled, CallerEnded {
    }

    /** The factor is on; the recovery codes are shown once and stored only as hashes. */
    public record Confirmed(List<String> recoveryCodes) implements ConfirmOutcome {
        public Confirmed {
            recoveryCodes = List.copyOf(recoveryCodes);
        }

        @Override
        public String toString() {
            return "Confirmed[recoveryCodes=<redacted>]";
        }
    }

    /** The code does not fit the pending secret (or was used already). */
    public record WrongCode(LoginService.Reason reason) implements ConfirmOutcome, RemoveOutcome {
    }

    /** There is no pending factor to confirm (none begun, or a newer one replaced it). */
    public record NothingPending() implements ConfirmOutcome {
    }

    /** The outcome of {@link #remove}. */
    public sealed interface RemoveOutcome permits Removed, WrongCode, RemoveLocked, NotEnrolled, CallerEnded {
    }

    /** The factor is gone; every session of the user ended and the caller has this new one. */
    public record Removed(LoginService.LoggedIn session, int sessionsEnded) implements RemoveOutcome {
    }

    /** The account is locked: nothing was checked. */
    public record RemoveLocked(java.time.Duration retryAfter) implements RemoveOutcome {
    }

    /** The user has no confirmed factor. */
    public record NotEnrolled() implements RemoveOutcome {
    }

    private final UserStore users;
    private final SessionStore sessions;
    private final MfaStore factors;
    private final Supplier<CredentialCodecs> codecs;
    private final LockoutPolicy lockout;
    private final SecureRandom random;
    private final Clock clock;
    private final String issuer;
    private final SessionStarter starter;
    private final SecondFactors secondFactors;
    private final Predicate<User> hasPasskeys;

    /** For accounts without passkeys (tests): as the other constructor, no user having any. */
    public MfaService(UserStore users, SessionStore sessions, MfaStore factors, Supplier<CredentialCodecs> codecs,
            SessionTimeouts timeouts, LockoutPolicy lockout, SecureRandom random, Clock clock, String issuer) {
        this(users, sessions, factors, codecs, timeouts, lockout, random, clock, issuer, user -> false);
    }

    /**
     * @param issuer the name authenticator apps show beside the account (the site name)
     * @param hasPasskeys whether a user has a passkey: such an account needs a multi-factor
     *     session to add a TOTP factor
     */
    public MfaService(UserStore users, SessionStore sessions, MfaStore factors, Supplier<CredentialCodecs> codecs,
            SessionTimeouts timeouts, LockoutPolicy lockout, SecureRandom random, Clock clock, String issuer,
            Predicate<User> hasPasskeys) {
        this.hasPasskeys = Objects.requireNonNull(hasPasskeys, "hasPasskeys");
        this.users = Objects.requireNonNull(users, "users");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.factors = Objects.requireNonNull(factors, "factors");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
        this.lockout = Objects.requireNonNull(lockout, "lockout");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.issuer = totpIssuer(Objects.requireNonNull(issuer, "issuer"));
        this.starter = new SessionStarter(users, sessions, codecs, timeouts, random);
        this.secondFactors = new SecondFactors(factors, codecs);
    }

    /**
     * The second step of a login: a valid, unspent {@code mfa_token} of an active user with a
     * confirmed factor, and a right code, start a session whose {@code amr} is
     * {@code ["pwd","otp","mfa"]}.
     *
     * @return {@link LoginService.LoggedIn}, {@link LoginService.Refused} (the reason is for logs)
     *     or {@link LoginService.Locked}
     * @throws dev.authfn.core.StoreUnavailableException when a store cannot answer; a reservation
     *     already written stays counted as a failure
     */
    public LoginService.Outcome verify(SecondStep step) {
        Instant now = clock.instant();
        Optional<MfaToken.Verified> token = codecs.get().mfaTokens().verify(step.mfaToken(), now);
        if (token.isEmpty()) {
            return new LoginService.Refused(LoginService.Reason.MFA_TOKEN_INVALID);
        }
        MfaToken.Verified verified = token.get();
        if (!(users.lookup(verified.username(), now) instanceof UserLookup.Found(User user))
                || !user.userId().equals(verified.userId())) {
            return new LoginService.Refused(LoginService.Reason.UNKNOWN_USER);
        }
        if (user.isLockedAt(now)) {
            return LoginService.locked(user.lockedUntil(), now);
        }
        if (user.status() != UserStatus.ACTIVE) {
            return new LoginService.Refused(LoginService.Reason.DISABLED);
        }
        return switch (users.reserveAttempt(user.username(), now, lockout)) {
            case AttemptReservation.Reserved reserved -> checkSecondStep(user, step, verified, reserved, now);
            case AttemptReservation.Locked locked -> LoginService.locked(locked.lockedUntil(), now);
            case AttemptReservation.KindChanged gone -> new LoginService.Refused(LoginService.Reason.UNKNOWN_USER);
        };
    }

    private LoginService.Outcome checkSecondStep(User user, SecondStep step, MfaToken.Verified token,
            AttemptReservation.Reserved reserved, Instant now) {
        SecondFactors.Check check = secondFactors.check(user, step.proof(),
                Optional.of(new MfaStore.Attempt(token.attemptHash(), token.expiresAt())), now);
        if (check instanceof SecondFactors.Failed failed) {
            return reserved.isLockedAt(now) ? LoginService.locked(reserved.lockedUntil(), now)
                    : new LoginService.Refused(failed.reason());
        }
        users.recordSuccessfulLogin(user.username());
        return starter.start(user, Amr.PASSWORD_AND_OTP, step.userAgent(), step.sourceIp(), now)
                .<LoginService.Outcome>map(loggedIn -> loggedIn)
                .orElseGet(() -> new LoginService.Refused(LoginService.Reason.SESSIONS_ENDED));
    }

    /**
     * Begins enrolling a TOTP factor for the caller: a new secret, sealed under the key set's
     * {@code mfa} key with the user id as associated data, stored as pending (replacing an earlier
     * pending one). The caller's login must be recent; the handler checks that.
     */
    public EnrolOutcome begin(Principal caller) {
        Optional<User> user = callerUser(caller);
        if (user.isEmpty()) {
            return new CallerEnded();
        }
        if (user.get().mfaEnrolled()) {
            return new AlreadyEnrolled();
        }
        if (!caller.amr().contains(Amr.MFA) && hasPasskeys.test(user.get())) {
            return new MultiFactorRequired();
        }
        CredentialCodecs current = codecs.get();
        if (!current.canSealSecrets()) {
            return new Unavailable();
        }
        TotpSecret secret = TotpSecret.generate(random);
        SecretBox.Sealed sealed = current.secretBox().seal(secret.bytes(), user.get().userId());
        if (!factors.beginTotp(user.get().username(), user.get().userId(), sealed.encoded(), clock.instant())) {
            // Confirmed, removed or re-created since the read.
            return callerUser(caller).map(again -> again.mfaEnrolled()).orElse(false)
                    ? new AlreadyEnrolled() : new CallerEnded();
        }
        return new Enrolment(secret.base32(), secret.otpauthUri(issuer, user.get().username()));
    }

    /**
     * Confirms the pending factor with a code from the app; the code's time step counts as used.
     * Ten recovery codes are made, and only their hashes stored.
     */
    public ConfirmOutcome confirm(Principal caller, String code) {
        Optional<User> user = callerUser(caller);
        if (user.isEmpty()) {
            return new CallerEnded();
        }
        if (user.get().mfaEnrolled()) {
            return new AlreadyEnrolled();
        }
        Optional<MfaStore.TotpFactor> pending = factors.totp(user.get().username())
                .filter(factor -> !factor.confirmed() && factor.userId().equals(user.get().userId()));
        if (pending.isEmpty()) {
            return new NothingPending();
        }
        Optional<byte[]> secret = secondFactors.openSecret(user.get(), pending.get());
        if (secret.isEmpty()) {
            return new WrongCode(LoginService.Reason.SECRET_UNREADABLE);
        }
        Instant now = clock.instant();
        return switch (secondFactors.totp().verify(secret.get(), code, now, pending.get().lastStep())) {
            case Totp.Matched matched -> {
                RecoveryCodes.Generated codes = RecoveryCodes.generate(random);
                yield factors.confirmTotp(user.get().username(), user.get().userId(), pending.get().sealedSecret(),
                        matched.step(), codes.hashes(), now)
                        ? new Confirmed(codes.codes()) : new NothingPending();
            }
            case Totp.Replayed replayed -> new WrongCode(LoginService.Reason.CODE_REPLAYED);
            case Totp.Wrong wrong -> new WrongCode(LoginService.Reason.WRONG_CODE);
        };
    }

    /**
     * Removes the caller's factor, on a current code or a recovery code checked with a lockout
     * reservation as at login. Every session of the user ends, and the caller gets a new one with
     * the methods and the fresh {@code auth_time} of what it has just proved.
     */
    public RemoveOutcome remove(Principal caller, MfaProof proof, String userAgent, String sourceIp) {
        Optional<User> found = callerUser(caller);
        if (found.isEmpty()) {
            return new CallerEnded();
        }
        User user = found.get();
        if (!user.mfaEnrolled()) {
            return new NotEnrolled();
        }
        Instant now = clock.instant();
        if (user.isLockedAt(now)) {
            return new RemoveLocked(LoginService.retryAfter(user.lockedUntil(), now));
        }
        return switch (users.reserveAttempt(user.username(), now, lockout)) {
            case AttemptReservation.Locked locked -> new RemoveLocked(LoginService.retryAfter(locked.lockedUntil(), now));
            case AttemptReservation.KindChanged gone -> new CallerEnded();
            case AttemptReservation.Reserved reserved -> {
                SecondFactors.Check check = secondFactors.check(user, proof, Optional.empty(), now);
                if (check instanceof SecondFactors.Failed failed) {
                    yield reserved.isLockedAt(now)
                            ? new RemoveLocked(LoginService.retryAfter(reserved.lockedUntil(), now))
                            : new WrongCode(failed.reason());
                }
                users.recordSuccessfulLogin(user.username());
                if (!factors.removeTotp(user.username(), user.userId())) {
                    yield new NotEnrolled();
                }
                yield Callers.endAllAndRestart(users, sessions, starter, user, caller, userAgent, sourceIp, clock)
                        .<RemoveOutcome>map(restarted -> new Removed(restarted.session(), restarted.ended()))
                        .orElseGet(CallerEnded::new);
            }
        };
    }

    /** The caller's user while it and its session are live ({@link Callers#liveUser}). */
    private Optional<User> callerUser(Principal caller) {
        return Callers.liveUser(users, sessions, caller, clock.instant());
    }

    /**
     * The site name as the issuer of a TOTP key URI: apps split the URI's label at its first colon,
     * so a colon (allowed in a site name the mails sign with, "Acme: Shop") becomes a space; a name
     * left blank becomes {@code authfn}.
     */
    static String totpIssuer(String siteName) {
        String issuer = siteName.replace(':', ' ').strip();
        return issuer.isEmpty() ? "authfn" : issuer;
    }
}
