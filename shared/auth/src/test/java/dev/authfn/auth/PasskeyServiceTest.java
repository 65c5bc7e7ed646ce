package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.authz.Amr;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyChallenge;
import dev.authfn.core.passkey.PasskeyStore;
import dev.authfn.core.session.Session;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.testkit.InMemorySessionStore;
import dev.authfn.testkit.InMemoryUserStore;
import dev.authfn.testkit.MutableClock;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The passkey flows over the in-memory stores, with the WebAuthn checks scripted
 * ({@link ScriptedCeremonies}): what this class decides is everything but those checks —
 * challenges, users, lockout, counters and sessions.
 */
class PasskeyServiceTest {

    private static final Instant START = Instant.parse("2026-12-04T10:00:00Z");
    private static final CredentialCodecs.Settings SETTINGS = new CredentialCodecs.Settings(
            "https://auth.example.com", "authfn-api", "authfn-web",
            Duration.ofMinutes(5), Duration.ofSeconds(60), SessionTimeouts.DEFAULT);

    private final MutableClock clock = new MutableClock(START);
    private final SecureRandom random = new SecureRandom();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final InMemorySessionStore sessions = new InMemorySessionStore();
    private final PasskeyStore store = users.passkeys();
    private final KeySet keys = KeySet.generate(Clock.fixed(START, ZoneOffset.UTC));
    private final CredentialCodecs codecs = new CredentialCodecs(keys, SETTINGS, random, clock);
    private final ScriptedCeremonies ceremonies = new ScriptedCeremonies();
    private final PasskeyService service = service(false);

    // --- names ---

    @Test
    void namesAreStrippedDefaultedAndBounded() {
        assertThat(PasskeyService.name(null)).contains("Passkey");
        assertThat(PasskeyService.name("  ")).contains("Passkey");
        assertThat(PasskeyService.name("  Work laptop ")).contains("Work laptop");
        assertThat(PasskeyService.name("x".repeat(64))).contains("x".repeat(64));
        assertThat(PasskeyService.name("x".repeat(65))).isEmpty();
        assertThat(PasskeyService.name("tab\there")).isEmpty();
        assertThat(PasskeyService.name("\uD83D\uDD11".repeat(64))).as("64 characters, 128 UTF-16 units").isPresent();
        assertThat(PasskeyService.name("\uD83D\uDD11".repeat(65))).isEmpty();
        assertThat(PasskeyService.name("admin\u202Egnp.exe")).as("a right-to-left override").isEmpty();
        assertThat(PasskeyService.name("pass\u200Bkey")).as("a zero-width space").isEmpty();
    }

    // --- registration ---

    @Test
    void creationOptionsCarryAFreshChallengeAndARandomUserHandleKeptForTheUser() {
        User alice = givenUser("alice");
        Principal caller = principal(alice);

        PasskeyService.CreationOptions first = (PasskeyService.CreationOptions) service.registrationOptions(caller);
        PasskeyService.CreationOptions second = (PasskeyService.CreationOptions) service.registrationOptions(caller);

        assertThat(first.challenge()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(second.challenge());
        assertThat(first.userHandle()).matches("[A-Za-z0-9_-]{43}").isEqualTo(second.userHandle())
                .isNotEqualTo(alice.userId()).isNotEqualTo("alice");
        assertThat(first.username()).isEqualTo("alice");
        assertThat(first.existing()).isEmpty();
        assertThat(first.userHandle()).isNotEqualTo("A".repeat(43));
        assertThat(first.toString()).isEqualTo("CreationOptions[challenge=<redacted>, existing=0]");
        PasskeyStore.Challenge stored = store.spendChallenge(PasskeyChallenge.hash(decode(first.challenge()))).orElseThrow();
        assertThat(stored.ceremony()).isEqualTo(PasskeyStore.Ceremony.REGISTRATION);
        assertThat(stored.expiresAt()).isEqualTo(START.plus(PasskeyChallenge.LIFETIME));
        assertThat(stored.registrant()).contains(new PasskeyStore.Registrant("alice", alice.userId(), caller.sessionId(),
                first.userHandle()));
    }

    @Test
    void registersAVerifiedCredentialUnderTheNameGivenAndListsIt() {
        User alice = givenUser("alice");
        Principal caller = principal(alice);
        PasskeyService.CreationOptions options = (PasskeyService.CreationOptions) service.registrationOptions(caller);
        ceremonies.respond(options.challenge(), "cred-1", null);
        ceremonies.registration = newCredential("cred-1", true, true);

        PasskeyService.RegisterOutcome outcome = service.register(caller, "{}", "Work laptop");

        Passkey passkey = ((PasskeyService.Registered) outcome).passkey();
        assertThat(passkey).isEqualTo(new Passkey("cred-1", "alice", alice.userId(), options.userHandle(), "cose-key",
                7, "00000000-0000-0000-0000-000000000000", List.of("internal"), true, true, "Work laptop", START,
                Optional.empty(), false));
        assertThat(ceremonies.verifiedChallenge).isEqualTo(decode(options.challenge()));
        assertThat(service.list(caller)).isEqualTo(new PasskeyService.Passkeys(List.of(passkey)));
        PasskeyService.CreationOptions next = (PasskeyService.CreationOptions) service.registrationOptions(caller);
        assertThat(next.existing()).containsExactly(passkey);
    }

    @Test
    void aRegistrationChallengeIsGoodForOneResponseWhateverItsFate() {
        User alice = givenUser("alice");
        Principal caller = principal(alice);
        PasskeyService.CreationOptions options = (PasskeyService.CreationOptions) service.registrationOptions(caller);
        ceremonies.respond(options.challenge(), "cred-1", null);
        ceremonies.registration = new PasskeyCeremonies.Failed(PasskeyRefusal.ORIGIN_MISMATCH);

        assertThat(service.register(caller, "{}", "Passkey"))
                .isEqualTo(new PasskeyService.Refused(PasskeyRefusal.ORIGIN_MISMATCH));
        ceremonies.registration = newCredential("cred-1", false, false);
        assertThat(service.register(caller, "{}", "Passkey"))
                .isEqualTo(new PasskeyService.Refused(PasskeyRefusal.CHALLENGE_UNKNOWN));
        assertThat(store.list("alice", alice.userId())).isEmpty();
    }

    @Test
    void refusesAResponseWebAuthnCannotReadBeforeSpendingAnything() {
        User alice = givenUser("alice");
        Principal caller = principal(alice);
        PasskeyService.CreationOptions options = (PasskeyService.CreationOptions) service.registrationOptions(caller);
        ceremonies.read = Optional.empty();

        assertThat(service.register(caller, "not json", "Passkey"))
                .isEqualTo(new PasskeyService.Refused(PasskeyRefusal.MALFORMED_RESPONSE));
        assertThat(ceremonies.lastRead).isEqualTo(PasskeyStore.Ceremony.REGISTRATION);
        assertThat(store.spendChallenge(PasskeyChallenge.hash(decode(options.challenge())))).isPresent();
    }

    @Test
    void refusesARegistrationWithASignInChallengeOrAnExpiredOne() {
        User alice = givenUser("alice");
        Principal caller = principal(alice);
        ceremonies.respond(service.signInOptions(), "cred-1", null);
        ceremonies.registration = newCredential("cred-1", false, false);

        assertThat(service.register(caller, "{}", "Passkey"))
                .isEqualTo(new PasskeyService.Refused(PasskeyRefusal.CHALLENGE_OTHER_CEREMONY));

        PasskeyService.CreationOptions late = (PasskeyService.CreationOptions) service.registrationOptions(caller);
        ceremonies.respond(late.challenge(), "cred-1", null);
        clock.advance(PasskeyChallenge.LIFETIME);
        assertThat(service.register(caller, "{}", "Passkey"))
                .isEqualTo(new PasskeyService.Refused(PasskeyRefusal.CHALLENGE_EXPIRED));

        PasskeyService.CreationOptions inTime = (PasskeyService.CreationOptions) service.registrationOptions(caller);
        ceremonies.respond(inTime.challenge(), "cred-1", null);
        clock.advance(PasskeyChallenge.LIFETIME.minusMillis(1));
        assertThat(service.register(caller, "{}", "Passkey")).isInstanceOf(PasskeyService.Registered.class);
    }

    @Test
    void refusesAChallengeIssuedToAnotherSessionOrUser() {
        User alice = givenUser("alice");
        User bob = givenUser("bob");
        PasskeyService.CreationOptions options = (PasskeyService.CreationOptions) service.registrationOptions(
                principal(alice, "sid-first"));
        ceremonies.respond(options.challenge(), "cred-1", null);
        ceremonies.registration = newCredential("cred-1", false, false);

        assertThat(service.register(principal(alice, "sid-second"), "{}", "Passkey"))
                .isEqualTo(new PasskeyService.Refused(PasskeyRefusal.CHALLENGE_OTHER_SESSION));

        PasskeyService.CreationOptions alices = (PasskeyService.CreationOptions) service.registrationOptions(
                principal(alice, "sid-alice"));
        ceremonies.respond(alices.challenge(), "cred-1", null);
        assertThat(service.register(principal(bob, "sid-bob"), "{}", "Passkey"))
                .isEqualTo(new PasskeyService.Refused(PasskeyRefusal.CHALLENGE_OTHER_SESSION));
        assertThat(store.list("bob", bob.userId())).isEmpty();
    }

    @Test
    void refusesACredentialIdRegisteredAlready() {
        User alice = givenUser("alice");
        User bob = givenUser("bob");
        registered(alice, "cred-1", false);
        Principal caller = principal(bob);
        PasskeyService.CreationOptions options = (PasskeyService.CreationOptions) service.registrationOptions(caller);
        ceremonies.respond(options.challenge(), "cred-1", null);
        ceremonies.registration = newCredential("cred-1", false, false);

        assertThat(service.register(caller, "{}", "Passkey"))
                .isEqualTo(new PasskeyService.Refused(PasskeyRefusal.DUPLICATE_CREDENTIAL));
    }

    @Test
    void stopsAtTenPasskeysAtTheOptionsAndAtTheRegistration() {
        User alice = givenUser("alice");
        Principal caller = principal(alice);
        for (int i = 0; i < PasskeyService.MAX_PASSKEYS - 1; i++) {
            registered(alice, "cred-" + i, false);
        }
        PasskeyService.CreationOptions last = (PasskeyService.CreationOptions) service.registrationOptions(caller);
        registered(alice, "cred-9", false);
        ceremonies.respond(last.challenge(), "cred-10", null);
        ceremonies.registration = newCredential("cred-10", false, false);

        assertThat(service.register(caller, "{}", "Passkey")).isEqualTo(new PasskeyService.LimitReached());
        assertThat(service.registrationOptions(caller)).isEqualTo(new PasskeyService.LimitReached());
        assertThat(store.list("alice", alice.userId())).hasSize(PasskeyService.MAX_PASSKEYS);
    }

    @Test
    void anEndedSessionOrADisabledUserChangesNothing() {
        User alice = givenUser("alice");
        Principal caller = principal(alice);
        Passkey passkey = registered(alice, "cred-1", false);
        sessions.revoke(caller.sessionId(), alice.userId());
        ceremonies.reads = 0;

        assertThat(service.registrationOptions(caller)).isEqualTo(new PasskeyService.CallerEnded());
        assertThat(service.register(caller, "{}", "Passkey")).isEqualTo(new PasskeyService.CallerEnded());
        assertThat(service.list(caller)).isEqualTo(new PasskeyService.CallerEnded());
        assertThat(service.rename(caller, "cred-1", "New")).isEqualTo(new PasskeyService.CallerEnded());
        assertThat(service.remove(caller, "cred-1", "agent", "198.51.100.7")).isEqualTo(new PasskeyService.CallerEnded());

        Principal live = principal(alice);
        users.disable("alice");
        assertThat(service.registrationOptions(live)).isEqualTo(new PasskeyService.CallerEnded());
        assertThat(store.find("cred-1")).contains(passkey);
        assertThat(ceremonies.reads).isZero();
    }

    @Test
    void aPasswordSessionAddsTheFirstFactorButChangesNoFactorOfAnAccountThatHasOne() {
        User alice = givenUser("alice");
        Principal password = principal(alice, "sid-password", Amr.PASSWORD);
        assertThat(service.registrationOptions(password)).isInstanceOf(PasskeyService.CreationOptions.class);
        registered(alice, "cred-1", false);

        assertThat(service.registrationOptions(password)).isEqualTo(new PasskeyService.MultiFactorRequired());
        assertThat(service.remove(password, "cred-1", "agent", "198.51.100.7"))
                .isEqualTo(new PasskeyService.MultiFactorRequired());
        assertThat(store.find("cred-1")).isPresent();
        assertThat(sessions.find("sid-password", clock.instant())).isPresent();
        Principal otp = principal(alice, "sid-otp", Amr.PASSWORD_AND_OTP);
        assertThat(service.registrationOptions(otp)).isInstanceOf(PasskeyService.CreationOptions.class);
    }

    @Test
    void aPasswordSessionAddsNoPasskeyToAnAccountWithATotpFactor() {
        User bob = givenUser("bob");
        users.mfa().beginTotp("bob", bob.userId(), "sealed", START);
        users.mfa().confirmTotp("bob", bob.userId(), "sealed", 1, Set.of("h1"), START);
        User enrolled = users.get("bob").orElseThrow();
        assertThat(enrolled.mfaEnrolled()).isTrue();

        assertThat(service.registrationOptions(principal(enrolled, "sid-password", Amr.PASSWORD)))
                .isEqualTo(new PasskeyService.MultiFactorRequired());
        assertThat(service.registrationOptions(principal(enrolled, "sid-otp", Amr.PASSWORD_AND_OTP)))
                .isInstanceOf(PasskeyService.CreationOptions.class);
    }

    // --- list, rename, remove ---

    @Test
    void renamesOnlyTheCallersOwnPasskey() {
        User alice = givenUser("alice");
        User bob = givenUser("bob");
        registered(alice, "cred-1", false);

        assertThat(service.rename(principal(bob), "cred-1", "Mine now")).isEqualTo(new PasskeyService.NotFound());
        assertThat(store.find("cred-1").orElseThrow().name()).isEqualTo("Passkey");
        assertThat(service.rename(principal(alice), "cred-1", "Phone")).isEqualTo(new PasskeyService.Renamed());
        assertThat(store.find("cred-1").orElseThrow().name()).isEqualTo("Phone");
    }

    @Test
    void removingAPasskeyEndsEverySessionAndGivesTheCallerANewOne() {
        User alice = givenUser("alice");
        User bob = givenUser("bob");
        registered(alice, "cred-1", false);
        Principal other = principal(alice, "sid-other");
        Principal caller = principal(alice, "sid-caller");
        clock.advance(Duration.ofMinutes(1));

        assertThat(service.remove(principal(bob), "cred-1", "agent", "198.51.100.7")).isEqualTo(new PasskeyService.NotFound());
        PasskeyService.Removed removed = (PasskeyService.Removed) service.remove(caller, "cred-1", "agent", "198.51.100.7");

        assertThat(store.find("cred-1")).isEmpty();
        // The caller's, the other one, and the one the passkey was registered from.
        assertThat(removed.sessionsEnded()).isEqualTo(3);
        assertThat(sessions.find(other.sessionId(), clock.instant())).isEmpty();
        assertThat(sessions.find(caller.sessionId(), clock.instant())).isEmpty();
        Session fresh = removed.session().session();
        assertThat(sessions.find(fresh.id(), clock.instant())).isPresent();
        // Removing proves nothing new: the caller's session goes on with its methods, login time and end.
        assertThat(fresh.amr()).isEqualTo(caller.amr());
        assertThat(fresh.authTime()).isEqualTo(START).isBefore(clock.instant());
        assertThat(fresh.absoluteExpiresAt()).isEqualTo(START.plus(SessionTimeouts.DEFAULT.absolute()));
        assertThat(removed.session().accessToken()).isNotBlank();
        assertThat(service.remove(principal(alice), "cred-1", "agent", "198.51.100.7")).isEqualTo(new PasskeyService.NotFound());
    }

    // --- sign-in ---

    @Test
    void signsInWithADeviceBoundPasskeyAsMultiFactorAndRecordsItsUse() {
        User alice = givenUser("alice");
        registered(alice, "cred-1", false);
        failLogins("alice", 3);
        ceremonies.respond(service.signInOptions(), "cred-1", handle(alice));
        ceremonies.assertion = new PasskeyCeremonies.Asserted(8, false);
        clock.advance(Duration.ofSeconds(2));

        PasskeyService.SignInOutcome outcome = service.signIn(signIn());

        LoginService.LoggedIn loggedIn = ((PasskeyService.SignedIn) outcome).loggedIn();
        assertThat(loggedIn.session().amr()).isEqualTo(Amr.DEVICE_PASSKEY);
        assertThat(loggedIn.session().authTime()).isEqualTo(clock.instant());
        assertThat(loggedIn.session().userAgent()).isEqualTo("agent");
        assertThat(sessions.find(loggedIn.session().id(), clock.instant())).isPresent();
        Passkey used = store.find("cred-1").orElseThrow();
        assertThat(used.signCount()).isEqualTo(8);
        assertThat(used.lastUsedAt()).contains(clock.instant());
        assertThat(users.get("alice").orElseThrow().failedLogins()).isZero();
        assertThat(ceremonies.lastRead).isEqualTo(PasskeyStore.Ceremony.AUTHENTICATION);
        assertThat(ceremonies.assertedPasskey.credentialId()).isEqualTo("cred-1");
    }

    @Test
    void aSyncedPasskeyIsASoftwareKey() {
        User alice = givenUser("alice");
        registered(alice, "cred-1", true);
        ceremonies.respond(service.signInOptions(), "cred-1", handle(alice));
        ceremonies.assertion = new PasskeyCeremonies.Asserted(0, true);

        LoginService.LoggedIn loggedIn = ((PasskeyService.SignedIn) service.signIn(signIn())).loggedIn();

        assertThat(loggedIn.session().amr()).isEqualTo(Amr.SYNCED_PASSKEY);
        assertThat(store.find("cred-1").orElseThrow().backedUp()).isTrue();
    }

    @Test
    void aSignInChallengeIsSpentOnceAndOnlyForASignInWithinFiveMinutes() {
        User alice = givenUser("alice");
        registered(alice, "cred-1", false);
        ceremonies.assertion = new PasskeyCeremonies.Asserted(8, false);

        ceremonies.respond(service.signInOptions(), "cred-1", handle(alice));
        assertThat(service.signIn(signIn())).isInstanceOf(PasskeyService.SignedIn.class);
        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Refused(PasskeyRefusal.CHALLENGE_UNKNOWN));

        PasskeyService.CreationOptions registration = (PasskeyService.CreationOptions) service.registrationOptions(
                principal(alice));
        ceremonies.respond(registration.challenge(), "cred-1", handle(alice));
        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Refused(PasskeyRefusal.CHALLENGE_OTHER_CEREMONY));

        ceremonies.respond(service.signInOptions(), "cred-1", handle(alice));
        clock.advance(PasskeyChallenge.LIFETIME);
        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Refused(PasskeyRefusal.CHALLENGE_EXPIRED));
        assertThat(ceremonies.assertions).isEqualTo(1);
    }

    @Test
    void refusesAMalformedResponseAnUnknownCredentialAndAForeignUserHandleWithoutCounting() {
        User alice = givenUser("alice");
        registered(alice, "cred-1", false);

        ceremonies.read = Optional.empty();
        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Refused(PasskeyRefusal.MALFORMED_RESPONSE));

        ceremonies.respond(service.signInOptions(), "cred-unknown", handle(alice));
        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Refused(PasskeyRefusal.UNKNOWN_CREDENTIAL));

        ceremonies.respond(service.signInOptions(), "cred-1", "someone-else");
        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Refused(PasskeyRefusal.USER_HANDLE_MISMATCH));

        ceremonies.respond(service.signInOptions(), "cred-1", null);
        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Refused(PasskeyRefusal.USER_HANDLE_MISMATCH));

        assertThat(users.get("alice").orElseThrow().failedLogins()).isZero();
        assertThat(ceremonies.assertions).isZero();
    }

    @Test
    void failedSignaturesCountTowardTheLockoutAndALockedUserIsNotChecked() {
        User alice = givenUser("alice");
        registered(alice, "cred-1", false);
        ceremonies.assertion = new PasskeyCeremonies.Failed(PasskeyRefusal.SIGNATURE_INVALID);

        for (int i = 1; i < LockoutPolicy.DEFAULT.freeAttempts(); i++) {
            ceremonies.respond(service.signInOptions(), "cred-1", handle(alice));
            assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Refused(PasskeyRefusal.SIGNATURE_INVALID, Optional.of("alice")));
        }
        ceremonies.respond(service.signInOptions(), "cred-1", handle(alice));
        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Locked(Duration.ofSeconds(1), Optional.of("alice")));

        ceremonies.assertion = new PasskeyCeremonies.Asserted(9, false);
        ceremonies.respond(service.signInOptions(), "cred-1", handle(alice));
        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Locked(Duration.ofSeconds(1), Optional.of("alice")));
        assertThat(ceremonies.assertions).isEqualTo(LockoutPolicy.DEFAULT.freeAttempts());
        assertThat(store.find("cred-1").orElseThrow().flagged()).isFalse();
    }

    @Test
    void aCounterRegressionFlagsThePasskeyWhichThenSignsNoOneIn() {
        User alice = givenUser("alice");
        registered(alice, "cred-1", false);
        ceremonies.assertion = new PasskeyCeremonies.Failed(PasskeyRefusal.COUNTER_REGRESSION);
        ceremonies.respond(service.signInOptions(), "cred-1", handle(alice));

        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Refused(PasskeyRefusal.COUNTER_REGRESSION, Optional.of("alice")));
        assertThat(store.find("cred-1").orElseThrow().flagged()).isTrue();

        ceremonies.assertion = new PasskeyCeremonies.Asserted(100, false);
        ceremonies.respond(service.signInOptions(), "cred-1", handle(alice));
        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Refused(PasskeyRefusal.CREDENTIAL_FLAGGED, Optional.of("alice")));
        assertThat(ceremonies.assertions).isEqualTo(1);
        assertThat(users.get("alice").orElseThrow().failedLogins()).isEqualTo(2);
    }

    @Test
    void aDisabledUserFailsLikeAWrongSignatureAndIsCounted() {
        User alice = givenUser("alice");
        registered(alice, "cred-1", false);
        users.disable("alice");
        ceremonies.assertion = new PasskeyCeremonies.Asserted(8, false);
        ceremonies.respond(service.signInOptions(), "cred-1", handle(alice));

        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Refused(PasskeyRefusal.DISABLED, Optional.of("alice")));
        assertThat(users.get("alice").orElseThrow().failedLogins()).isEqualTo(1);
        assertThat(store.find("cred-1").orElseThrow().signCount()).isEqualTo(7);
    }

    @Test
    void twoSignInsVerifiedAgainstOneCounterRecordOne() {
        User alice = givenUser("alice");
        registered(alice, "cred-1", false);
        ceremonies.assertion = new PasskeyCeremonies.Asserted(8, false);
        // Another sign-in records its use while this one is being verified.
        ceremonies.duringAssertion = passkey -> store.recordUse("cred-1", 7, 8, false, clock.instant());
        ceremonies.respond(service.signInOptions(), "cred-1", handle(alice));

        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Refused(PasskeyRefusal.CONCURRENT_USE, Optional.of("alice")));
        assertThat(users.get("alice").orElseThrow().failedLogins()).isEqualTo(1);
    }

    @Test
    void sessionsEndedDuringTheSignInStartNone() {
        User alice = givenUser("alice");
        registered(alice, "cred-1", false);
        ceremonies.assertion = new PasskeyCeremonies.Asserted(8, false);
        ceremonies.duringAssertion = passkey -> users.closeSessionEpoch("alice", alice.userId(), clock.instant());
        ceremonies.respond(service.signInOptions(), "cred-1", handle(alice));

        assertThat(service.signIn(signIn())).isEqualTo(new PasskeyService.Refused(PasskeyRefusal.SESSIONS_ENDED, Optional.of("alice")));
        // Only the session the passkey was registered from: the sign-in started none.
        assertThat(sessions.listLive(alice.userId(), clock.instant())).hasSize(1);
    }

    @Test
    void inVerifiedSignUpAnUnverifiedAddressSignsNoOneIn() {
        PasskeyService verified = service(true);
        User carol = givenUser("carol", false);
        User dave = givenUser("dave", true);
        registered(carol, "cred-c", false);
        registered(dave, "cred-d", false);
        ceremonies.assertion = new PasskeyCeremonies.Asserted(8, false);

        ceremonies.respond(verified.signInOptions(), "cred-c", handle(carol));
        assertThat(verified.signIn(signIn())).isEqualTo(new PasskeyService.Unverified());
        ceremonies.respond(verified.signInOptions(), "cred-d", handle(dave));
        assertThat(verified.signIn(signIn())).isInstanceOf(PasskeyService.SignedIn.class);
    }

    @Test
    void aSignInShowsNothingOfItsResponse() {
        assertThat(new PasskeyService.SignIn("{\"secret\":1}", "agent", "ip").toString()).isEqualTo("SignIn[<redacted>]");
    }

    // --- helpers ---

    private PasskeyService service(boolean requireVerifiedEmail) {
        return new PasskeyService(users, sessions, store, ceremonies, () -> codecs, SessionTimeouts.DEFAULT,
                LockoutPolicy.DEFAULT, random, clock, requireVerifiedEmail);
    }

    private User givenUser(String name) {
        return givenUser(name, true);
    }

    private User givenUser(String name, boolean emailVerified) {
        User user = new User(name, "u-" + name, "hash", Set.of("user"), Set.of(), UserStatus.ACTIVE, 0, null, 0,
                name + "@example.com", emailVerified);
        assertThat(users.create(user)).isTrue();
        return user;
    }

    /** A passkey stored through the real registration, with counter 7. */
    private Passkey registered(User user, String credentialId, boolean synced) {
        Principal caller = principal(user);
        PasskeyService.CreationOptions options = (PasskeyService.CreationOptions) service.registrationOptions(caller);
        ceremonies.respond(options.challenge(), credentialId, null);
        ceremonies.registration = newCredential(credentialId, synced, synced);
        return ((PasskeyService.Registered) service.register(caller, "{}", "Passkey")).passkey();
    }

    private String handle(User user) {
        return store.userHandle(user.username(), user.userId(), "unused").orElseThrow();
    }

    private void failLogins(String username, int failures) {
        for (int i = 0; i < failures; i++) {
            users.reserveAttempt(username, clock.instant(), LockoutPolicy.DEFAULT);
        }
    }

    private static PasskeyCeremonies.NewCredential newCredential(String id, boolean backupEligible, boolean backedUp) {
        return new PasskeyCeremonies.NewCredential(id, "cose-key", 7, "00000000-0000-0000-0000-000000000000",
                List.of("internal"), backupEligible, backedUp);
    }

    /** A multi-factor caller (a passkey sign-in), which may change the account's factors. */
    private Principal principal(User user) {
        return principal(user, "sid-" + user.username() + "-" + random.nextInt(1_000_000));
    }

    private Principal principal(User user, String sessionId) {
        return principal(user, sessionId, Amr.DEVICE_PASSKEY);
    }

    private Principal principal(User user, String sessionId, List<String> amr) {
        Instant now = clock.instant();
        sessions.create(new Session(sessionId, "not a hash", user.userId(), user.username(), user.roles(),
                user.permissions(), now, now, now.plus(SessionTimeouts.DEFAULT.idle()),
                now.plus(SessionTimeouts.DEFAULT.absolute()), "agent", "198.51.100.7", amr, now));
        return new Principal(user.userId(), user.username(), user.roles(), user.permissions(), sessionId,
                AuthType.COOKIE, amr, Optional.of(now));
    }

    private static PasskeyService.SignIn signIn() {
        return new PasskeyService.SignIn("{}", "agent", "198.51.100.7");
    }

    private static byte[] decode(String base64url) {
        return Base64.getUrlDecoder().decode(base64url);
    }

    /** WebAuthn's checks, scripted: what {@code read} finds and what the verifications answer. */
    private static final class ScriptedCeremonies implements PasskeyCeremonies {
        Optional<Response> read = Optional.empty();
        Registration registration;
        Assertion assertion;
        Consumer<Passkey> duringAssertion = passkey -> { };
        PasskeyStore.Ceremony lastRead;
        byte[] verifiedChallenge;
        Passkey assertedPasskey;
        int reads;
        int assertions;

        void respond(String challenge, String credentialId, String userHandle) {
            read = Optional.of(new Response(decode(challenge), credentialId, Optional.ofNullable(userHandle)));
        }

        @Override
        public Optional<Response> read(String credentialJson, PasskeyStore.Ceremony ceremony) {
            reads++;
            lastRead = ceremony;
            return read;
        }

        @Override
        public Registration verifyRegistration(String credentialJson, byte[] challenge) {
            verifiedChallenge = challenge;
            return registration;
        }

        @Override
        public Assertion verifyAssertion(String credentialJson, byte[] challenge, Passkey passkey) {
            assertions++;
            assertedPasskey = passkey;
            duringAssertion.accept(passkey);
            return assertion;
        }
    }
}
