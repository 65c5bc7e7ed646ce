package dev.authfn.auth;

import dev.authfn.core.authz.Amr;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyChallenge;
import dev.authfn.core.passkey.PasskeyStore;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.AttemptReservation;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Passkeys (docs/API.md §17): adding them to an account, listing, renaming and removing them,
 * and signing in with one, username-less. The WebAuthn checks of each response are
 * {@link PasskeyCeremonies}'; this class keeps the ceremonies' challenges, users, lockout and
 * sessions.
 *
 * <p>Every response first spends the challenge it names, before anything else is looked at, so a
 * challenge is good for one response whatever that response's fate. A sign-in is checked only
 * with a lockout reservation of the passkey's user in hand, as a password is: failures count
 * toward the account's lock and a success gives the reservation back. A user-verified passkey is
 * two factors (the key and the PIN or biometric that unlocked it), so it starts a session whose
 * {@code amr} ends in {@code mfa} and needs no TOTP step after it.
 */
public final class PasskeyService {

    /** The most passkeys one user may have. */
    public static final int MAX_PASSKEYS = 10;

    /** What a passkey is called until its user renames it. */
    public static final String DEFAULT_NAME = "Passkey";

    /** Random bytes in a WebAuthn user handle (WebAuthn allows up to 64). */
    static final int USER_HANDLE_BYTES = 32;

    /** A sign-in's response and where it came from. {@code toString} shows none of it. */
    public record SignIn(String credentialJson, String userAgent, String sourceIp) {
        public SignIn {
            Objects.requireNonNull(credentialJson, "credentialJson");
        }

        @Override
        public String toString() {
            return "SignIn[<redacted>]";
        }
    }

    /** The outcome of {@link #signIn}. */
    public sealed interface SignInOutcome permits SignedIn, Refused, Locked, Unverified {
    }

    /** A new session, as a password login gives. */
    public record SignedIn(LoginService.LoggedIn loggedIn) implements SignInOutcome {
    }

    /**
     * The ceremony failed a check; the reason is for the audit log only, and so is {@code user}:
     * the canonical username of the passkey's user, once a sign-in found the passkey and checked
     * its user handle (so that a flagged or refused passkey's account can be told in the log);
     * empty before that, and for a registration (whose caller the handler names).
     */
    public record Refused(PasskeyRefusal reason, Optional<String> user) implements SignInOutcome, RegisterOutcome {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(user, "user");
        }

        public Refused(PasskeyRefusal reason) {
            this(reason, Optional.empty());
        }
    }

    /** The passkey's user ({@code user}, for the log) is locked out for {@code retryAfter} more. */
    public record Locked(Duration retryAfter, Optional<String> user) implements SignInOutcome {
        public Locked {
            Objects.requireNonNull(retryAfter, "retryAfter");
            Objects.requireNonNull(user, "user");
        }
    }

    /** The passkey was right, but sign-up is {@code verified} and the address is not yet. */
    public record Unverified() implements SignInOutcome {
    }

    /** The outcome of {@link #registrationOptions}. */
    public sealed interface OptionsOutcome permits CreationOptions, CallerEnded, LimitReached, MultiFactorRequired {
    }

    /**
     * The account has a second factor (a passkey or TOTP) and the caller's session did not use
     * one: adding or removing a factor then needs a multi-factor login, so that a password alone
     * cannot bind an attacker's authenticator to the account nor remove the owner's.
     */
    public record MultiFactorRequired() implements OptionsOutcome, RemoveOutcome {
    }

    /**
     * What the creation options name: the challenge (unpadded base64url), the user handle, the
     * username the authenticator shows, and the user's passkeys (to exclude).
     */
    public record CreationOptions(String challenge, String userHandle, String username, List<Passkey> existing)
            implements OptionsOutcome {
        public CreationOptions {
            existing = List.copyOf(existing);
        }

        @Override
        public String toString() {
            return "CreationOptions[challenge=<redacted>, existing=" + existing.size() + "]";
        }
    }

    /** The caller's session has ended, or its account is gone, re-created or disabled: nothing changed. */
    public record CallerEnded() implements OptionsOutcome, RegisterOutcome, ListOutcome, RenameOutcome, RemoveOutcome {
    }

    /** The user has {@link #MAX_PASSKEYS} passkeys already. */
    public record LimitReached() implements OptionsOutcome, RegisterOutcome {
    }

    /** The outcome of {@link #register}. */
    public sealed interface RegisterOutcome permits Registered, Refused, CallerEnded, LimitReached {
    }

    /** The passkey is stored. */
    public record Registered(Passkey passkey) implements RegisterOutcome {
    }

    /** The outcome of {@link #list}. */
    public sealed interface ListOutcome permits Passkeys, CallerEnded {
    }

    /** The caller's passkeys, oldest first. */
    public record Passkeys(List<Passkey> passkeys) implements ListOutcome {
        public Passkeys {
            passkeys = List.copyOf(passkeys);
        }
    }

    /** The outcome of {@link #rename}. */
    public sealed interface RenameOutcome permits Renamed, NotFound, CallerEnded {
    }

    /** The passkey has its new name. */
    public record Renamed() implements RenameOutcome {
    }

    /** The caller has no passkey with that id (someone else's is not the caller's). */
    public record NotFound() implements RenameOutcome, RemoveOutcome {
    }

    /** The outcome of {@link #remove}. */
    public sealed interface RemoveOutcome permits Removed, NotFound, CallerEnded, MultiFactorRequired {
    }

    /** The passkey is gone; every session of the user ended and the caller has this new one. */
    public record Removed(LoginService.LoggedIn session, int sessionsEnded) implements RemoveOutcome {
    }

    private final UserStore users;
    private final SessionStore sessions;
    private final PasskeyStore passkeys;
    private final PasskeyCeremonies ceremonies;
    private final LockoutPolicy lockout;
    private final SecureRandom random;
    private final Clock clock;
    private final SessionStarter starter;
    private final boolean requireVerifiedEmail;

    /** @param requireVerifiedEmail true when sign-up is {@code verified}: an unverified user cannot sign in */
    public PasskeyService(UserStore users, SessionStore sessions, PasskeyStore passkeys, PasskeyCeremonies ceremonies,
            Supplier<CredentialCodecs> codecs, SessionTimeouts timeouts, LockoutPolicy lockout, SecureRandom random,
            Clock clock, boolean requireVerifiedEmail) {
        this.users = Objects.requireNonNull(users, "users");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.passkeys = Objects.requireNonNull(passkeys, "passkeys");
        this.ceremonies = Objects.requireNonNull(ceremonies, "ceremonies");
        this.lockout = Objects.requireNonNull(lockout, "lockout");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.starter = new SessionStarter(users, sessions, codecs, timeouts, random);
        this.requireVerifiedEmail = requireVerifiedEmail;
    }

    /**
     * A name as stored: stripped; {@link #DEFAULT_NAME} when null or blank. Empty when it has more
     * than {@link Passkey#MAX_NAME_LENGTH} characters (code points) or holds a control or format
     * character (bidirectional overrides, zero-width characters: what could make a name in a list
     * read as another).
     */
    public static Optional<String> name(String requested) {
        if (requested == null || requested.isBlank()) {
            return Optional.of(DEFAULT_NAME);
        }
        String name = requested.strip();
        if (name.codePointCount(0, name.length()) > Passkey.MAX_NAME_LENGTH
                || name.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
            return Optional.empty();
        }
        return Optional.of(name);
    }

    /** A sign-in's challenge, stored for {@link PasskeyChallenge#LIFETIME}: the request options' only secret. */
    public String signInOptions() {
        PasskeyChallenge challenge = PasskeyChallenge.generate(random);
        passkeys.saveChallenge(new PasskeyStore.Challenge(challenge.hash(), PasskeyStore.Ceremony.AUTHENTICATION,
                Optional.empty(), clock.instant().plus(PasskeyChallenge.LIFETIME)));
        return challenge.encoded();
    }

    /**
     * Signs in with a passkey: the response's challenge spent, the passkey found by credential id
     * and its user by the passkey, the response verified with a lockout reservation in hand, the
     * passkey's counter recorded, and a session started.
     *
     * @throws dev.authfn.core.StoreUnavailableException when a store cannot answer; a reservation
     *     already written stays counted as a failure
     */
    public SignInOutcome signIn(SignIn signIn) {
        Optional<PasskeyCeremonies.Response> read = ceremonies.read(signIn.credentialJson(),
                PasskeyStore.Ceremony.AUTHENTICATION);
        if (read.isEmpty()) {
            return new Refused(PasskeyRefusal.MALFORMED_RESPONSE);
        }
        PasskeyCeremonies.Response response = read.get();
        Instant now = clock.instant();
        Optional<PasskeyRefusal> challengeRefusal = spend(response, PasskeyStore.Ceremony.AUTHENTICATION, now)
                .refusal();
        if (challengeRefusal.isPresent()) {
            return new Refused(challengeRefusal.get());
        }
        Optional<Passkey> found = passkeys.find(response.credentialId());
        if (found.isEmpty()) {
            return new Refused(PasskeyRefusal.UNKNOWN_CREDENTIAL);
        }
        Passkey passkey = found.get();
        // WebAuthn §7.2 step 6: a discoverable credential's response names its user; it must be the passkey's.
        if (!response.userHandle().map(passkey.userHandle()::equals).orElse(false)) {
            return new Refused(PasskeyRefusal.USER_HANDLE_MISMATCH);
        }
        if (!(users.lookup(passkey.username(), now) instanceof UserLookup.Found(User user))
                || !user.userId().equals(passkey.userId())) {
            return new Refused(PasskeyRefusal.UNKNOWN_CREDENTIAL);
        }
        if (user.isLockedAt(now)) {
            return locked(user, user.lockedUntil(), now);
        }
        return switch (users.reserveAttempt(user.username(), now, lockout)) {
            case AttemptReservation.Reserved reserved -> verify(user, passkey, response, signIn, reserved, now);
            case AttemptReservation.Locked locked -> locked(user, locked.lockedUntil(), now);
            case AttemptReservation.KindChanged gone -> new Refused(PasskeyRefusal.UNKNOWN_CREDENTIAL);
        };
    }

    private SignInOutcome verify(User user, Passkey passkey, PasskeyCeremonies.Response response, SignIn signIn,
            AttemptReservation.Reserved reserved, Instant now) {
        if (passkey.flagged()) {
            return failed(user, reserved, PasskeyRefusal.CREDENTIAL_FLAGGED, now);
        }
        PasskeyCeremonies.Assertion assertion = ceremonies.verifyAssertion(signIn.credentialJson(), response.challenge(),
                passkey);
        if (assertion instanceof PasskeyCeremonies.Failed(PasskeyRefusal reason)) {
            if (reason == PasskeyRefusal.COUNTER_REGRESSION) {
                // WebAuthn §7.2 step 22: a counter that did not move up hints at a cloned authenticator.
                passkeys.flag(passkey.credentialId(), now);
            }
            return failed(user, reserved, reason, now);
        }
        PasskeyCeremonies.Asserted asserted = (PasskeyCeremonies.Asserted) assertion;
        // As for a password: a disabled account fails like a wrong passkey, counter included.
        if (user.status() != UserStatus.ACTIVE) {
            return failed(user, reserved, PasskeyRefusal.DISABLED, now);
        }
        if (!passkeys.recordUse(passkey.credentialId(), passkey.signCount(), asserted.signCount(), asserted.backedUp(),
                now)) {
            return failed(user, reserved, PasskeyRefusal.CONCURRENT_USE, now);
        }
        users.recordSuccessfulLogin(user.username());
        if (requireVerifiedEmail && !user.emailVerified()) {
            return new Unverified();
        }
        List<String> amr = passkey.backupEligible() ? Amr.SYNCED_PASSKEY : Amr.DEVICE_PASSKEY;
        return starter.start(user, amr, signIn.userAgent(), signIn.sourceIp(), now)
                .<SignInOutcome>map(SignedIn::new)
                .orElseGet(() -> new Refused(PasskeyRefusal.SESSIONS_ENDED, Optional.of(user.username())));
    }

    /**
     * The options of a new passkey for the caller: a challenge bound to the caller's session, the
     * user's handle (made at the first registration), and the passkeys it has already. The
     * caller's login must be recent; the handler checks that.
     */
    public OptionsOutcome registrationOptions(Principal caller) {
        Optional<User> found = callerUser(caller);
        if (found.isEmpty()) {
            return new CallerEnded();
        }
        User user = found.get();
        List<Passkey> existing = passkeys.list(user.username(), user.userId());
        if (lacksFactorFor(caller, user, existing)) {
            return new MultiFactorRequired();
        }
        if (existing.size() >= MAX_PASSKEYS) {
            return new LimitReached();
        }
        byte[] candidate = new byte[USER_HANDLE_BYTES];
        random.nextBytes(candidate);
        Optional<String> handle = passkeys.userHandle(user.username(), user.userId(), java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(candidate));
        if (handle.isEmpty()) {
            return new CallerEnded();
        }
        PasskeyChallenge challenge = PasskeyChallenge.generate(random);
        passkeys.saveChallenge(new PasskeyStore.Challenge(challenge.hash(), PasskeyStore.Ceremony.REGISTRATION,
                Optional.of(new PasskeyStore.Registrant(user.username(), user.userId(), caller.sessionId(), handle.get())),
                clock.instant().plus(PasskeyChallenge.LIFETIME)));
        return new CreationOptions(challenge.encoded(), handle.get(), user.username(), existing);
    }

    /**
     * Stores the passkey a registration response creates: its challenge spent, issued to this
     * caller's session, the response verified, and the credential id new.
     *
     * @param name the name as {@link #name} returned it
     */
    public RegisterOutcome register(Principal caller, String credentialJson, String name) {
        Optional<User> found = callerUser(caller);
        if (found.isEmpty()) {
            return new CallerEnded();
        }
        User user = found.get();
        Optional<PasskeyCeremonies.Response> read = ceremonies.read(credentialJson, PasskeyStore.Ceremony.REGISTRATION);
        if (read.isEmpty()) {
            return new Refused(PasskeyRefusal.MALFORMED_RESPONSE);
        }
        Instant now = clock.instant();
        Spent spent = spend(read.get(), PasskeyStore.Ceremony.REGISTRATION, now);
        if (spent.refusal().isPresent()) {
            return new Refused(spent.refusal().get());
        }
        PasskeyStore.Registrant registrant = spent.challenge().orElseThrow().registrant().orElseThrow();
        if (!registrant.sessionId().equals(caller.sessionId()) || !registrant.userId().equals(user.userId())) {
            return new Refused(PasskeyRefusal.CHALLENGE_OTHER_SESSION);
        }
        PasskeyCeremonies.Registration registration = ceremonies.verifyRegistration(credentialJson,
                read.get().challenge());
        if (registration instanceof PasskeyCeremonies.Failed(PasskeyRefusal reason)) {
            return new Refused(reason);
        }
        PasskeyCeremonies.NewCredential credential = (PasskeyCeremonies.NewCredential) registration;
        Passkey passkey = new Passkey(credential.credentialId(), user.username(), user.userId(), registrant.userHandle(),
                credential.publicKey(), credential.signCount(), credential.aaguid(), credential.transports(),
                credential.backupEligible(), credential.backedUp(), name, now, Optional.empty(), false);
        return switch (passkeys.add(passkey, MAX_PASSKEYS)) {
            case ADDED -> new Registered(passkey);
            case DUPLICATE -> new Refused(PasskeyRefusal.DUPLICATE_CREDENTIAL);
            case LIMIT_REACHED -> new LimitReached();
            case NO_USER -> new CallerEnded();
        };
    }

    /** The caller's passkeys, oldest first. */
    public ListOutcome list(Principal caller) {
        return callerUser(caller).<ListOutcome>map(user -> new Passkeys(passkeys.list(user.username(), user.userId())))
                .orElseGet(CallerEnded::new);
    }

    /** @param name the name as {@link #name} returned it */
    public RenameOutcome rename(Principal caller, String credentialId, String name) {
        Optional<User> user = callerUser(caller);
        if (user.isEmpty()) {
            return new CallerEnded();
        }
        return passkeys.rename(user.get().username(), user.get().userId(), credentialId, name) ? new Renamed()
                : new NotFound();
    }

    /**
     * Removes the caller's passkey. Every session of the user ends (a lost device's among them),
     * and the caller gets one that continues its own: the same methods, authentication time and
     * absolute expiry, since removing proves nothing new. The caller's login must be recent (the
     * handler checks that) and, the account having a factor, multi-factor.
     */
    public RemoveOutcome remove(Principal caller, String credentialId, String userAgent, String sourceIp) {
        Optional<Callers.Live> found = Callers.live(users, sessions, caller, clock.instant());
        if (found.isEmpty()) {
            return new CallerEnded();
        }
        User user = found.get().user();
        // The account has a factor at least while this passkey is there: a multi-factor login, or none.
        if (!caller.amr().contains(Amr.MFA)) {
            return passkeys.find(credentialId).filter(passkey -> passkey.userId().equals(user.userId())).isPresent()
                    || user.mfaEnrolled() ? new MultiFactorRequired() : new NotFound();
        }
        if (!passkeys.remove(user.username(), user.userId(), credentialId)) {
            return new NotFound();
        }
        return Callers.endAllAndContinue(users, sessions, starter, user, found.get().session(), userAgent, sourceIp, clock)
                .<RemoveOutcome>map(restarted -> new Removed(restarted.session(), restarted.ended()))
                .orElseGet(CallerEnded::new);
    }

    /**
     * True when the account has a second factor (a TOTP factor or a passkey) and the caller's
     * session used none: NIST SP 800-63B binds a new authenticator only at the account's own
     * assurance level, so a password alone may not change the factors of an account that has one.
     */
    private static boolean lacksFactorFor(Principal caller, User user, List<Passkey> existing) {
        return (user.mfaEnrolled() || !existing.isEmpty()) && !caller.amr().contains(Amr.MFA);
    }

    /** The challenge a response names, spent now, and what was wrong with it if anything. */
    private Spent spend(PasskeyCeremonies.Response response, PasskeyStore.Ceremony ceremony, Instant now) {
        Optional<PasskeyStore.Challenge> spent = passkeys.spendChallenge(PasskeyChallenge.hash(response.challenge()));
        if (spent.isEmpty()) {
            return new Spent(spent, Optional.of(PasskeyRefusal.CHALLENGE_UNKNOWN));
        }
        if (spent.get().ceremony() != ceremony) {
            return new Spent(spent, Optional.of(PasskeyRefusal.CHALLENGE_OTHER_CEREMONY));
        }
        if (!now.isBefore(spent.get().expiresAt())) {
            return new Spent(spent, Optional.of(PasskeyRefusal.CHALLENGE_EXPIRED));
        }
        return new Spent(spent, Optional.empty());
    }

    private record Spent(Optional<PasskeyStore.Challenge> challenge, Optional<PasskeyRefusal> refusal) {
    }

    private Optional<User> callerUser(Principal caller) {
        return Callers.liveUser(users, sessions, caller, clock.instant());
    }

    /** A failed sign-in of {@code user}: locked when its reservation set the lock, else refused. */
    private static SignInOutcome failed(User user, AttemptReservation.Reserved reserved, PasskeyRefusal reason,
            Instant now) {
        return reserved.isLockedAt(now) ? locked(user, reserved.lockedUntil(), now)
                : new Refused(reason, Optional.of(user.username()));
    }

    private static Locked locked(User user, Instant lockedUntil, Instant now) {
        return new Locked(LoginService.retryAfter(lockedUntil, now), Optional.of(user.username()));
    }
}
