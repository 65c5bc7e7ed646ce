package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.auth.AccountService.CallerEnded;
import dev.authfn.auth.AccountService.ChangeLocked;
import dev.authfn.auth.AccountService.ChangeOutcome;
import dev.authfn.auth.AccountService.Changed;
import dev.authfn.auth.AccountService.SignUp;
import dev.authfn.auth.AccountService.SignUpReason;
import dev.authfn.auth.AccountService.SignUpRefused;
import dev.authfn.auth.AccountService.SignedUp;
import dev.authfn.auth.AccountService.TokenAccepted;
import dev.authfn.auth.AccountService.TokenReason;
import dev.authfn.auth.AccountService.TokenRefused;
import dev.authfn.auth.AccountService.WeakPassword;
import dev.authfn.auth.AccountService.WrongPassword;
import dev.authfn.core.account.AccountStore;
import dev.authfn.core.account.MailRequest;
import dev.authfn.core.account.MailToken;
import dev.authfn.core.account.Outbox;
import dev.authfn.core.account.StoredToken;
import dev.authfn.core.authz.Amr;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.config.AccountSettings;
import dev.authfn.core.config.AccountSettings.SignupMode;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.password.PasswordPolicy;
import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import dev.authfn.testkit.CountingPasswordHasher;
import dev.authfn.testkit.InMemoryOutbox;
import dev.authfn.testkit.InMemorySessionStore;
import dev.authfn.testkit.InMemoryUserStore;
import dev.authfn.testkit.MutableClock;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AccountServiceTest {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final KeySet KEYS = KeySet.generate(Clock.fixed(START, ZoneOffset.UTC));
    private static final CredentialCodecs.Settings CODEC_SETTINGS = new CredentialCodecs.Settings(
            "https://auth.example.com", "authfn-api", "authfn-web", Duration.ofMinutes(5), Duration.ofSeconds(60),
            SessionTimeouts.DEFAULT);
    private static final String PASSWORD = "correct horse battery staple";
    private static final String NEW_PASSWORD = "a new and long passphrase";
    private static final String BREACHED = "password1234";

    /** Refuses under 12 code points and one "breached" password; nothing else. */
    private static final PasswordPolicy POLICY = new PasswordPolicy() {
        @Override
        public Optional<Rejection> checkNew(String password, String username) {
            if (password.codePointCount(0, password.length()) < 12) {
                return Optional.of(Rejection.TOO_SHORT);
            }
            return password.equals(BREACHED) ? Optional.of(Rejection.BREACHED) : Optional.empty();
        }

        @Override
        public int minLength() {
            return 12;
        }
    };

    private final MutableClock clock = new MutableClock(START);
    private final SecureRandom random = new SecureRandom();
    private final InMemoryUserStore memory = new InMemoryUserStore();
    private final InMemorySessionStore memorySessions = new InMemorySessionStore();
    private final InMemoryOutbox memoryOutbox = new InMemoryOutbox();
    /** Every store call the service makes, in order. */
    private final List<String> calls = new ArrayList<>();
    private final UserStore users = Recorded.of(UserStore.class, memory, calls);
    private final SessionStore sessions = Recorded.of(SessionStore.class, memorySessions, calls);
    private final Outbox outbox = Recorded.of(Outbox.class, memoryOutbox, calls);
    private final CountingPasswordHasher hasher = new CountingPasswordHasher(new PlainHasher());
    private final CredentialCodecs codecs = new CredentialCodecs(KEYS, CODEC_SETTINGS, random, clock);

    private AccountService service(SignupMode mode) {
        return service(mode, Recorded.of(AccountStore.class, memory.accounts(), calls));
    }

    private AccountService service(SignupMode mode, AccountStore accounts) {
        AccountSettings settings = new AccountSettings(mode, Duration.ofHours(24), Duration.ofMinutes(30), 5, "Example",
                Optional.empty());
        return new AccountService(users, sessions, accounts, outbox, memory.mfa(), hasher, POLICY, LockoutPolicy.DEFAULT,
                settings,
                () -> codecs, SessionTimeouts.DEFAULT, random, clock);
    }

    private final AccountService open = service(SignupMode.OPEN);

    private LoginService login() {
        return new LoginService(users, sessions, hasher, () -> codecs, SessionTimeouts.DEFAULT, LockoutPolicy.DEFAULT,
                random, clock);
    }

    // --- given ---

    private User givenUser(String username, String email, UserStatus status, boolean verified) {
        User user = new User(username, UUID.randomUUID().toString(), hasher.hash(PASSWORD), Set.of("user"), Set.of(),
                status, 0, Instant.EPOCH, 0, email, verified);
        memory.accounts().register(user, dev.authfn.testkit.AccountStoreContract.STAND_IN_EXPIRY);
        return user;
    }

    private User givenAlice() {
        return givenUser("alice", "Alice@example.com", UserStatus.ACTIVE, false);
    }

    /** Issues a token of {@code user} straight into the store, as the mailer would; returns the token. */
    private String givenToken(User user, MailToken.Kind kind, Duration ttl) {
        MailToken token = MailToken.generate(random);
        memory.accounts().issue(new StoredToken(token.hash(), kind, user.username(), user.userId(), user.email(), 0,
                clock.instant().plus(ttl), false));
        return token.value();
    }

    private LoginService.LoggedIn loggedIn(User user) {
        return (LoginService.LoggedIn) login().login(new LoginService.Attempt(user.username(), PASSWORD, "JUnit", "192.0.2.1"));
    }

    private static Principal principal(User user, LoginService.LoggedIn login) {
        return new Principal(user.userId(), user.username(), user.roles(), user.permissions(), login.session().id(),
                AuthType.COOKIE);
    }

    private User stored(String username) {
        return memory.get(username).orElseThrow();
    }

    private List<MailRequest> mails() {
        return memoryOutbox.take(100);
    }

    private void forgetCalls() {
        calls.clear();
    }

    // --- register ---

    @Test
    void aClosedSignUpIsRefusedBeforeAnyWork() {
        assertThat(service(SignupMode.CLOSED).register(new SignUp("alice", "alice@example.com", PASSWORD)))
                .isEqualTo(new SignUpRefused(SignUpReason.CLOSED, Optional.empty()));

        assertThat(hasher.hashes()).isZero();
        assertThat(calls).isEmpty();
    }

    @Test
    void refusesMalformedNamesAddressesAndWeakPasswordsBeforeHashing() {
        assertThat(open.register(new SignUp("a b", "alice@example.com", PASSWORD)))
                .isEqualTo(new SignUpRefused(SignUpReason.MALFORMED_USERNAME, Optional.empty()));
        assertThat(open.register(new SignUp(null, "alice@example.com", PASSWORD)))
                .isEqualTo(new SignUpRefused(SignUpReason.MALFORMED_USERNAME, Optional.empty()));
        assertThat(open.register(new SignUp("alice", "alice@localhost", PASSWORD)))
                .isEqualTo(new SignUpRefused(SignUpReason.MALFORMED_EMAIL, Optional.empty()));
        assertThat(open.register(new SignUp("alice", null, PASSWORD)))
                .isEqualTo(new SignUpRefused(SignUpReason.MALFORMED_EMAIL, Optional.empty()));
        assertThat(open.register(new SignUp("alice", "alice@example.com", "short")))
                .isEqualTo(new SignUpRefused(SignUpReason.WEAK_PASSWORD, Optional.of(PasswordPolicy.Rejection.TOO_SHORT)));
        assertThat(open.register(new SignUp("alice", "alice@example.com", BREACHED)))
                .isEqualTo(new SignUpRefused(SignUpReason.WEAK_PASSWORD, Optional.of(PasswordPolicy.Rejection.BREACHED)));
        assertThat(open.register(new SignUp("alice", "alice@example.com", null)))
                .isEqualTo(new SignUpRefused(SignUpReason.WEAK_PASSWORD, Optional.of(PasswordPolicy.Rejection.TOO_SHORT)));

        assertThat(hasher.hashes()).isZero();
        assertThat(calls).isEmpty();
    }

    @Test
    void opensAnUnverifiedAccountUnderTheCanonicalNameAndNormalAddressAndQueuesItsVerificationMail() {
        SignedUp signedUp = (SignedUp) open.register(new SignUp("Alice", " Alice@EXAMPLE.com ", PASSWORD));

        User alice = stored("alice");
        assertThat(signedUp).isEqualTo(new SignedUp(alice.userId(), false));
        assertThat(alice.email()).isEqualTo("Alice@example.com");
        assertThat(alice.emailVerified()).isFalse();
        assertThat(alice.status()).isEqualTo(UserStatus.ACTIVE);
        assertThat(alice.roles()).isEmpty();
        assertThat(alice.permissions()).isEmpty();
        assertThat(hasher.verify(PASSWORD, alice.passwordHash())).isTrue();
        assertThat(memory.accounts().findByEmail("Alice@example.com")).contains(alice);
        assertThat(mails()).singleElement().satisfies(mail -> {
            assertThat(mail.kind()).isEqualTo(MailRequest.Kind.VERIFY_EMAIL);
            assertThat(mail.subject()).isEqualTo("alice");
            assertThat(mail.createdAt()).isEqualTo(START);
            assertThat(mail.id()).matches("[0-9a-f]{32}");
        });
    }

    @Test
    void inVerifiedModeTheAnswerSaysTheAddressMustBeVerified() {
        SignedUp signedUp = (SignedUp) service(SignupMode.VERIFIED).register(new SignUp("bob", "bob@example.com", PASSWORD));

        assertThat(signedUp.mustVerify()).isTrue();
        assertThat(signedUp.userId()).isEqualTo(stored("bob").userId());
    }

    @Test
    void aTakenUsernameIsSaidAndNothingIsQueued() {
        givenAlice();

        assertThat(open.register(new SignUp("ALICE", "other@example.com", PASSWORD)))
                .isEqualTo(new SignUpRefused(SignUpReason.USERNAME_TAKEN, Optional.empty()));
        assertThat(mails()).isEmpty();
        assertThat(memory.accounts().findByEmail("other@example.com")).isEmpty();
    }

    @Test
    void aTakenAddressAnswersLikeASuccessWithTheSameWorkAndMailsItsHolderInstead() {
        User alice = givenAlice();
        int hashesBefore = hasher.hashes();
        forgetCalls();

        SignedUp fresh = (SignedUp) open.register(new SignUp("carol", "carol@example.com", PASSWORD));
        List<String> freshCalls = List.copyOf(calls);
        int freshHashes = hasher.hashes() - hashesBefore;
        List<MailRequest> freshMails = mails();
        forgetCalls();
        SignedUp taken = (SignedUp) open.register(new SignUp("mallory", "Alice@EXAMPLE.COM", PASSWORD));

        assertThat(taken.mustVerify()).isEqualTo(fresh.mustVerify()).isFalse();
        assertThat(taken.userId()).isNotEqualTo(alice.userId()).hasSameSizeAs(fresh.userId())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(calls).isEqualTo(freshCalls).containsExactly("AccountStore.register", "Outbox.enqueue");
        assertThat(hasher.hashes() - hashesBefore - freshHashes).isEqualTo(freshHashes).isOne();
        assertThat(freshMails).extracting(MailRequest::kind).containsExactly(MailRequest.Kind.VERIFY_EMAIL);
        assertThat(mails()).singleElement().satisfies(mail -> {
            assertThat(mail.kind()).isEqualTo(MailRequest.Kind.REGISTRATION_ATTEMPT);
            assertThat(mail.subject()).isEqualTo("Alice@example.com");
        });
        assertThat(memory.get("mallory")).hasValueSatisfying(standIn -> {
            assertThat(standIn.userId()).isEqualTo(taken.userId());
            assertThat(standIn.hasEmail()).isFalse();
            assertThat(standIn.emailVerified()).isFalse();
        });
        assertThat(open.register(new SignUp("mallory", "other@example.com", PASSWORD)))
                .as("the name answers as a new account's would").isEqualTo(new AccountService.SignUpRefused(
                        AccountService.SignUpReason.USERNAME_TAKEN, java.util.Optional.empty()));
        assertThat(stored("alice")).isEqualTo(alice);
    }

    @Test
    void aSignUpNeverShowsItsPassword() {
        assertThat(new SignUp("alice", "alice@example.com", PASSWORD).toString()).isEqualTo("SignUp[<redacted>]");
    }

    @Test
    void everyQueuedRequestHasItsOwnRandomId() {
        open.resendVerification("a@example.com");
        open.resendVerification("a@example.com");

        List<MailRequest> queued = mails();
        assertThat(queued.get(0).id()).isNotEqualTo(queued.get(1).id()).isNotEqualTo("0".repeat(32));
    }

    // --- verify ---

    @Test
    void aVerificationTokenVerifiesItsOwnersAddressOnce() {
        User alice = givenAlice();
        User bob = givenUser("bob", "bob@example.com", UserStatus.ACTIVE, false);
        String token = givenToken(alice, MailToken.Kind.VERIFY_EMAIL, Duration.ofHours(24));

        assertThat(open.verifyEmail(token)).isEqualTo(new TokenAccepted("alice", 0));
        assertThat(open.verifyEmail(token)).isEqualTo(new TokenRefused(TokenReason.SPENT));

        assertThat(stored("alice").emailVerified()).isTrue();
        assertThat(stored("bob")).isEqualTo(bob);
    }

    @Test
    void refusesMalformedUnknownExpiredAndWrongKindTokens() {
        User alice = givenAlice();
        String reset = givenToken(alice, MailToken.Kind.RESET_PASSWORD, Duration.ofMinutes(30));
        String expiring = givenToken(alice, MailToken.Kind.VERIFY_EMAIL, Duration.ofHours(24));
        clock.advance(Duration.ofHours(24));
        forgetCalls();

        assertThat(open.verifyEmail(null)).isEqualTo(new TokenRefused(TokenReason.MALFORMED));
        assertThat(open.verifyEmail(expiring + "A")).isEqualTo(new TokenRefused(TokenReason.MALFORMED));
        assertThat(calls).as("a malformed token costs no read").isEmpty();
        assertThat(open.verifyEmail(MailToken.generate(random).value())).isEqualTo(new TokenRefused(TokenReason.UNKNOWN));
        assertThat(open.verifyEmail(expiring)).isEqualTo(new TokenRefused(TokenReason.EXPIRED));
        assertThat(open.verifyEmail(reset)).isEqualTo(new TokenRefused(TokenReason.WRONG_KIND));
        assertThat(stored("alice").emailVerified()).isFalse();
    }

    @Test
    void aTokenSpentBetweenTheReadAndTheSpendIsSaidSpent() {
        User alice = givenAlice();
        String token = givenToken(alice, MailToken.Kind.VERIFY_EMAIL, Duration.ofHours(1));
        StoredToken stored = memory.accounts().token(MailToken.hash(token)).orElseThrow();
        AccountStore racing = Recorded.of(AccountStore.class, memory.accounts(), new ArrayList<>(),
                () -> memory.accounts().verifyEmail(stored, START));

        assertThat(service(SignupMode.OPEN, racing).verifyEmail(token)).isEqualTo(new TokenRefused(TokenReason.SPENT));
    }

    // --- resend and forgot ---

    @Test
    void resendQueuesOneRequestWhateverTheAccount() {
        givenUser("alice", "alice@example.com", UserStatus.ACTIVE, false);
        givenUser("bob", "bob@example.com", UserStatus.ACTIVE, true);
        givenUser("dave", "dave@example.com", UserStatus.DISABLED, false);
        List<List<String>> work = new ArrayList<>();

        for (String email : List.of("alice@example.com", "bob@example.com", "dave@example.com", "nobody@example.com",
                "NoBody@EXAMPLE.com")) {
            forgetCalls();
            assertThat(open.resendVerification(email)).isTrue();
            work.add(List.copyOf(calls));
        }

        assertThat(work).containsOnly(List.of("Outbox.enqueue"));
        assertThat(mails()).extracting(MailRequest::kind, MailRequest::subject).containsExactly(
                org.assertj.core.groups.Tuple.tuple(MailRequest.Kind.RESEND_VERIFICATION, "alice@example.com"),
                org.assertj.core.groups.Tuple.tuple(MailRequest.Kind.RESEND_VERIFICATION, "bob@example.com"),
                org.assertj.core.groups.Tuple.tuple(MailRequest.Kind.RESEND_VERIFICATION, "dave@example.com"),
                org.assertj.core.groups.Tuple.tuple(MailRequest.Kind.RESEND_VERIFICATION, "nobody@example.com"),
                org.assertj.core.groups.Tuple.tuple(MailRequest.Kind.RESEND_VERIFICATION, "NoBody@example.com"));
    }

    @Test
    void resendRefusesOnlyAMalformedAddress() {
        assertThat(open.resendVerification("not an address")).isFalse();
        assertThat(open.resendVerification(null)).isFalse();
        assertThat(calls).isEmpty();
    }

    @Test
    void forgotQueuesOneRequestWhateverTheAccount() {
        givenUser("alice", "alice@example.com", UserStatus.ACTIVE, true);
        givenUser("dave", "dave@example.com", UserStatus.DISABLED, true);
        givenUser("erin", "erin@example.com", UserStatus.ACTIVE, false);
        List<List<String>> work = new ArrayList<>();

        for (String username : List.of("alice", "dave", "erin", "nobody", "ALICE")) {
            forgetCalls();
            assertThat(open.forgotPassword(username, null)).isTrue();
            work.add(List.copyOf(calls));
        }
        for (String email : List.of("alice@example.com", "dave@example.com", "nobody@example.com")) {
            forgetCalls();
            assertThat(open.forgotPassword(null, email)).isTrue();
            work.add(List.copyOf(calls));
        }

        assertThat(work).containsOnly(List.of("Outbox.enqueue"));
        assertThat(mails()).extracting(mail -> mail.kind().wireName() + " " + mail.subject()).containsExactly(
                "forgot-username alice", "forgot-username dave", "forgot-username erin", "forgot-username nobody",
                "forgot-username alice", "forgot-email alice@example.com", "forgot-email dave@example.com",
                "forgot-email nobody@example.com");
    }

    @Test
    void forgotRefusesWhatIsNeitherAUsernameNorAnAddress() {
        assertThat(open.forgotPassword(null, null)).isFalse();
        assertThat(open.forgotPassword("a b", null)).isFalse();
        assertThat(open.forgotPassword(null, "alice@localhost")).isFalse();
        assertThat(open.forgotPassword("alice", "not an address")).as("an address given must be one").isFalse();
        assertThat(calls).isEmpty();
    }

    // --- reset ---

    @Test
    void aResetSetsThePasswordEndsEverySessionClearsTheLockoutSpendsTheTokenAndQueuesANotice() {
        User alice = givenAlice();
        LoginService.LoggedIn first = loggedIn(alice);
        LoginService.LoggedIn second = loggedIn(alice);
        for (int i = 0; i < LockoutPolicy.DEFAULT.freeAttempts(); i++) {
            login().login(new LoginService.Attempt("alice", "wrong password", "JUnit", "192.0.2.1"));
        }
        assertThat(stored("alice").isLockedAt(clock.instant())).isTrue();
        String token = givenToken(alice, MailToken.Kind.RESET_PASSWORD, Duration.ofMinutes(30));

        assertThat(open.resetPassword(token, NEW_PASSWORD)).isEqualTo(new TokenAccepted("alice", 2));

        User after = stored("alice");
        assertThat(hasher.verify(NEW_PASSWORD, after.passwordHash())).isTrue();
        assertThat(after.failedLogins()).isZero();
        assertThat(after.lockedUntil()).isEqualTo(Instant.EPOCH);
        assertThat(after.emailVerified()).isTrue();
        assertThat(memorySessions.find(first.session().id(), clock.instant())).isEmpty();
        assertThat(memorySessions.find(second.session().id(), clock.instant())).isEmpty();
        assertThat(memorySessions.listLive(alice.userId(), clock.instant())).isEmpty();
        assertThat(memory.accounts().token(MailToken.hash(token)).orElseThrow().spent()).isTrue();
        assertThat(mails()).filteredOn(mail -> mail.kind() == MailRequest.Kind.PASSWORD_CHANGED)
                .singleElement().extracting(MailRequest::subject).isEqualTo("alice");
        assertThat(open.resetPassword(token, "yet another passphrase")).isEqualTo(new TokenRefused(TokenReason.SPENT));
        assertThat(login().login(new LoginService.Attempt("alice", NEW_PASSWORD, "JUnit", "192.0.2.1")))
                .isInstanceOf(LoginService.LoggedIn.class);
    }

    @Test
    void aWeakNewPasswordKeepsTheTokenAndHashesNothing() {
        User alice = givenAlice();
        String token = givenToken(alice, MailToken.Kind.RESET_PASSWORD, Duration.ofMinutes(30));
        int hashes = hasher.hashes();

        assertThat(open.resetPassword(token, "short")).isEqualTo(new WeakPassword(PasswordPolicy.Rejection.TOO_SHORT));
        assertThat(open.resetPassword(token, BREACHED)).isEqualTo(new WeakPassword(PasswordPolicy.Rejection.BREACHED));
        assertThat(open.resetPassword(token, null)).isEqualTo(new WeakPassword(PasswordPolicy.Rejection.TOO_SHORT));

        assertThat(hasher.hashes()).isEqualTo(hashes);
        assertThat(memory.accounts().token(MailToken.hash(token)).orElseThrow().spent()).isFalse();
        assertThat(open.resetPassword(token, NEW_PASSWORD)).isEqualTo(new TokenAccepted("alice", 0));
    }

    @Test
    void refusesMalformedUnknownExpiredWrongKindAndSupersededResetTokens() {
        User alice = givenAlice();
        String verify = givenToken(alice, MailToken.Kind.VERIFY_EMAIL, Duration.ofHours(24));
        String older = givenToken(alice, MailToken.Kind.RESET_PASSWORD, Duration.ofMinutes(30));
        String newer = givenToken(alice, MailToken.Kind.RESET_PASSWORD, Duration.ofMinutes(30));

        assertThat(open.resetPassword("not a token", NEW_PASSWORD)).isEqualTo(new TokenRefused(TokenReason.MALFORMED));
        assertThat(open.resetPassword(MailToken.generate(random).value(), NEW_PASSWORD))
                .isEqualTo(new TokenRefused(TokenReason.UNKNOWN));
        assertThat(open.resetPassword(verify, NEW_PASSWORD)).isEqualTo(new TokenRefused(TokenReason.WRONG_KIND));
        assertThat(open.resetPassword(older, NEW_PASSWORD)).isEqualTo(new TokenRefused(TokenReason.SUPERSEDED));
        clock.advance(Duration.ofMinutes(30));
        assertThat(open.resetPassword(newer, NEW_PASSWORD)).isEqualTo(new TokenRefused(TokenReason.EXPIRED));

        assertThat(stored("alice").passwordHash()).isEqualTo(alice.passwordHash());
        assertThat(mails()).isEmpty();
    }

    @Test
    void aResetTokenSpentByARacingResetIsSaidSpent() {
        User alice = givenAlice();
        String token = givenToken(alice, MailToken.Kind.RESET_PASSWORD, Duration.ofMinutes(30));
        StoredToken stored = memory.accounts().token(MailToken.hash(token)).orElseThrow();
        AccountStore racing = Recorded.of(AccountStore.class, memory.accounts(), new ArrayList<>(),
                () -> memory.accounts().resetPassword(stored, "$argon2id$raced", START));

        assertThat(service(SignupMode.OPEN, racing).resetPassword(token, NEW_PASSWORD))
                .isEqualTo(new TokenRefused(TokenReason.SPENT));
        assertThat(mails()).isEmpty();
    }

    // --- change ---

    @Test
    void aChangeEndsEverySessionAndGivesTheCallerANewOne() {
        User alice = givenAlice();
        LoginService.LoggedIn caller = loggedIn(alice);
        LoginService.LoggedIn other = loggedIn(alice);

        ChangeOutcome outcome = open.changePassword(principal(alice, caller), PASSWORD, NEW_PASSWORD, "Agent", "192.0.2.9");

        Changed changed = (Changed) outcome;
        assertThat(changed.sessionsEnded()).isEqualTo(2);
        assertThat(changed.session().session().id()).isNotEqualTo(caller.session().id())
                .isNotEqualTo(other.session().id());
        assertThat(changed.session().session().userAgent()).isEqualTo("Agent");
        assertThat(memorySessions.find(caller.session().id(), clock.instant())).isEmpty();
        assertThat(memorySessions.find(other.session().id(), clock.instant())).isEmpty();
        assertThat(memorySessions.find(changed.session().session().id(), clock.instant())).isPresent();
        assertThat(hasher.verify(NEW_PASSWORD, stored("alice").passwordHash())).isTrue();
        assertThat(mails()).singleElement().satisfies(mail -> {
            assertThat(mail.kind()).isEqualTo(MailRequest.Kind.PASSWORD_CHANGED);
            assertThat(mail.subject()).isEqualTo("alice");
        });
    }

    @Test
    void theNewSessionOfAPasswordSessionIsAPasswordSessionAuthenticatedAtTheChange() {
        User alice = givenAlice();
        LoginService.LoggedIn caller = loggedIn(alice);
        clock.advance(Duration.ofMinutes(7));

        Changed changed = (Changed) open.changePassword(principal(alice, caller), PASSWORD, NEW_PASSWORD, "JUnit",
                "192.0.2.1");

        assertThat(changed.session().session().amr()).containsExactly("pwd");
        assertThat(changed.session().session().authTime()).isEqualTo(START.plus(Duration.ofMinutes(7)));
    }

    /** A password change proves the password again; it neither drops a second factor nor adds one. */
    @Test
    void theNewSessionKeepsTheSecondFactorOfTheSessionItReplaces() {
        User alice = givenAlice();
        Session multiFactor = new Session("MFAMFAMFAMFAMFAMFAMFAA", "aGFzaA", alice.userId(), alice.username(),
                alice.roles(), alice.permissions(), START, START, START.plus(Duration.ofMinutes(30)),
                START.plus(Duration.ofHours(8)), "JUnit", "192.0.2.1", Amr.PASSWORD_AND_OTP, START);
        memorySessions.create(multiFactor);
        clock.advance(Duration.ofMinutes(3));
        Principal caller = new Principal(alice.userId(), alice.username(), alice.roles(), alice.permissions(),
                multiFactor.id(), AuthType.COOKIE);

        Changed changed = (Changed) open.changePassword(caller, PASSWORD, NEW_PASSWORD, "JUnit", "192.0.2.1");

        Session fresh = changed.session().session();
        assertThat(fresh.amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(fresh.authTime()).isEqualTo(START.plus(Duration.ofMinutes(3)));
        assertThat(memorySessions.find(fresh.id(), clock.instant())).contains(fresh);
    }

    @Test
    void aWrongCurrentPasswordCountsTowardTheLockoutLikeAFailedLogin() {
        User alice = givenAlice();
        Principal caller = principal(alice, loggedIn(alice));
        int free = LockoutPolicy.DEFAULT.freeAttempts();
        for (int i = 1; i < free - 1; i++) {
            login().login(new LoginService.Attempt("alice", "wrong password", "JUnit", "192.0.2.1"));
        }

        assertThat(open.changePassword(caller, "wrong password", NEW_PASSWORD, "JUnit", "192.0.2.1"))
                .isEqualTo(new WrongPassword());
        assertThat(stored("alice").failedLogins()).isEqualTo(free - 1);
        assertThat(open.changePassword(caller, "wrong again", NEW_PASSWORD, "JUnit", "192.0.2.1"))
                .isEqualTo(new ChangeLocked(Duration.ofSeconds(1)));
        assertThat(open.changePassword(caller, PASSWORD, NEW_PASSWORD, "JUnit", "192.0.2.1"))
                .as("locked, even for the right password").isEqualTo(new ChangeLocked(Duration.ofSeconds(1)));
        assertThat(login().login(new LoginService.Attempt("alice", PASSWORD, "JUnit", "192.0.2.1")))
                .as("the login sees the same lock").isInstanceOf(LoginService.Locked.class);
        assertThat(hasher.verify(PASSWORD, stored("alice").passwordHash())).isTrue();

        clock.advance(Duration.ofSeconds(1));
        assertThat(open.changePassword(caller, PASSWORD, NEW_PASSWORD, "JUnit", "192.0.2.1")).isInstanceOf(Changed.class);
        assertThat(stored("alice").failedLogins()).isZero();
    }

    @Test
    void aWeakOrMissingPasswordChangesAndCountsNothing() {
        User alice = givenAlice();
        Principal caller = principal(alice, loggedIn(alice));

        assertThat(open.changePassword(caller, PASSWORD, "short", "JUnit", "192.0.2.1"))
                .isEqualTo(new WeakPassword(PasswordPolicy.Rejection.TOO_SHORT));
        assertThat(open.changePassword(caller, PASSWORD, null, "JUnit", "192.0.2.1"))
                .isEqualTo(new WeakPassword(PasswordPolicy.Rejection.TOO_SHORT));
        assertThat(open.changePassword(caller, null, NEW_PASSWORD, "JUnit", "192.0.2.1")).isEqualTo(new WrongPassword());
        assertThat(open.changePassword(caller, "x".repeat(1025), NEW_PASSWORD, "JUnit", "192.0.2.1"))
                .isEqualTo(new WrongPassword());

        assertThat(stored("alice").failedLogins()).isZero();
        assertThat(stored("alice").passwordHash()).isEqualTo(alice.passwordHash());
        assertThat(mails()).isEmpty();
    }

    @Test
    void aCallerWhoseSessionOrAccountEndedChangesNothing() {
        User alice = givenAlice();
        LoginService.LoggedIn ended = loggedIn(alice);
        memorySessions.revoke(ended.session().id(), alice.userId());
        LoginService.LoggedIn live = loggedIn(alice);
        Principal impostor = new Principal(UUID.randomUUID().toString(), "alice", Set.of(), Set.of(),
                live.session().id(), AuthType.BEARER);
        Principal nobody = new Principal(alice.userId(), "nobody", Set.of(), Set.of(), live.session().id(),
                AuthType.BEARER);

        assertThat(open.changePassword(principal(alice, ended), PASSWORD, NEW_PASSWORD, "JUnit", "192.0.2.1"))
                .isEqualTo(new CallerEnded());
        assertThat(open.changePassword(impostor, PASSWORD, NEW_PASSWORD, "JUnit", "192.0.2.1")).isEqualTo(new CallerEnded());
        assertThat(open.changePassword(nobody, PASSWORD, NEW_PASSWORD, "JUnit", "192.0.2.1")).isEqualTo(new CallerEnded());
        memory.disable("alice");
        assertThat(open.changePassword(principal(alice, live), PASSWORD, NEW_PASSWORD, "JUnit", "192.0.2.1"))
                .isEqualTo(new CallerEnded());

        assertThat(stored("alice").passwordHash()).isEqualTo(alice.passwordHash());
        assertThat(stored("alice").failedLogins()).isZero();
        assertThat(mails()).isEmpty();
    }

    @Test
    void aCallerLockedBeforeTheChangeIsToldHowLongToWait() {
        User alice = givenAlice();
        Principal caller = principal(alice, loggedIn(alice));
        for (int i = 0; i < LockoutPolicy.DEFAULT.freeAttempts() + 1; i++) {
            clock.advance(Duration.ofSeconds(5));
            login().login(new LoginService.Attempt("alice", "wrong password", "JUnit", "192.0.2.1"));
        }
        clock.advance(Duration.ofMillis(500));

        assertThat(open.changePassword(caller, PASSWORD, NEW_PASSWORD, "JUnit", "192.0.2.1"))
                .isEqualTo(new ChangeLocked(Duration.ofSeconds(2)));
    }
}
