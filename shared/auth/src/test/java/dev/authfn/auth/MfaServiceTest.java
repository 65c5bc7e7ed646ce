package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.authz.Amr;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.mfa.RecoveryCodes;
import dev.authfn.core.mfa.Totp;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

/**
 * The TOTP flows over the in-memory stores: enrolment, the login's two steps, removal, and the
 * password change that needs the factor. Codes are computed from the secret the enrolment showed,
 * as an authenticator app would.
 */
class MfaServiceTest {

    private static final Instant START = Instant.parse("2026-12-03T10:00:10Z");
    private static final String PASSWORD = "correct horse battery staple";
    private static final CredentialCodecs.Settings SETTINGS = new CredentialCodecs.Settings(
            "https://auth.example.com", "authfn-api", "authfn-web",
            Duration.ofMinutes(5), Duration.ofSeconds(60), SessionTimeouts.DEFAULT);

    private static final dev.authfn.core.password.PasswordPolicy ANY_PASSWORD = new dev.authfn.core.password.PasswordPolicy() {
        @Override
        public Optional<Rejection> checkNew(String password, String username) {
            return Optional.empty();
        }

        @Override
        public int minLength() {
            return 1;
        }
    };

    private final MutableClock clock = new MutableClock(START);
    private final SecureRandom random = new SecureRandom();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final InMemorySessionStore sessions = new InMemorySessionStore();
    private final KeySet keys = KeySet.generate(Clock.fixed(START, ZoneOffset.UTC));
    private final CredentialCodecs codecs = new CredentialCodecs(keys, SETTINGS, random, clock);
    private final PlainHasher hasher = new PlainHasher();
    private final LoginService login = new LoginService(users, sessions, hasher, () -> codecs, SessionTimeouts.DEFAULT,
            LockoutPolicy.DEFAULT, random, clock);
    private final MfaService mfa = new MfaService(users, sessions, users.mfa(), () -> codecs, SessionTimeouts.DEFAULT,
            LockoutPolicy.DEFAULT, random, clock, "Example");
    private final Totp totp = new Totp();

    // --- enrolment ---

    @Test
    void enrolsWithASecretAndAnOtpauthUriAndConfirmsWithTheAppsFirstCode() {
        User alice = givenUser("alice");

        MfaService.Enrolment enrolment = (MfaService.Enrolment) mfa.begin(principal(alice, Amr.PASSWORD));

        assertThat(enrolment.secret()).matches("[A-Z2-7]{32}");
        assertThat(enrolment.otpauthUri()).isEqualTo("otpauth://totp/Example:alice?secret=" + enrolment.secret()
                + "&issuer=Example&algorithm=SHA1&digits=6&period=30");
        assertThat(enrolment.toString()).doesNotContain(enrolment.secret());
        assertThat(users.get("alice").orElseThrow().mfaEnrolled()).isFalse();
        assertThat(users.mfa().totp("alice").orElseThrow().sealedSecret()).doesNotContain(enrolment.secret());

        MfaService.ConfirmOutcome confirmed = mfa.confirm(principal(alice, Amr.PASSWORD), codeNow(enrolment));

        assertThat(confirmed).isInstanceOf(MfaService.Confirmed.class);
        List<String> codes = ((MfaService.Confirmed) confirmed).recoveryCodes();
        assertThat(codes).hasSize(10).doesNotHaveDuplicates()
                .allSatisfy(code -> assertThat(code).matches("([a-z2-7]{5}-){5}[a-z2-7]"));
        assertThat(confirmed.toString()).doesNotContain(codes.get(0));
        assertThat(users.get("alice").orElseThrow().mfaEnrolled()).isTrue();
        assertThat(users.mfa().totp("alice").orElseThrow().recoveryCodesLeft()).isEqualTo(10);
    }

    @Test
    void anAccountWithAPasskeyAddsATotpFactorOnlyFromAMultiFactorSession() {
        MfaService withPasskeys = new MfaService(users, sessions, users.mfa(), () -> codecs, SessionTimeouts.DEFAULT,
                LockoutPolicy.DEFAULT, random, clock, "Example", user -> user.username().equals("alice"));
        User alice = givenUser("alice");
        User bob = givenUser("bob");

        assertThat(withPasskeys.begin(principal(alice, Amr.PASSWORD))).isEqualTo(new MfaService.MultiFactorRequired());
        assertThat(users.mfa().totp("alice")).isEmpty();
        assertThat(withPasskeys.begin(principal(alice, Amr.DEVICE_PASSKEY))).isInstanceOf(MfaService.Enrolment.class);
        assertThat(withPasskeys.begin(principal(bob, Amr.PASSWORD))).isInstanceOf(MfaService.Enrolment.class);
    }

    @Test
    void aSiteNameWithAColonStillMakesAKeyUriTheAppsCanSplit() {
        MfaService colon = new MfaService(users, sessions, users.mfa(), () -> codecs, SessionTimeouts.DEFAULT,
                LockoutPolicy.DEFAULT, random, clock, "Acme: Shop");
        User alice = givenUser("alice");

        MfaService.Enrolment enrolment = (MfaService.Enrolment) colon.begin(principal(alice, Amr.PASSWORD));

        assertThat(enrolment.otpauthUri()).startsWith("otpauth://totp/Acme%20%20Shop:alice?secret=")
                .contains("&issuer=Acme%20%20Shop&");
        assertThat(MfaService.totpIssuer(" : ")).isEqualTo("authfn");
    }

    @Test
    void refusesAWrongConfirmationCodeAndKeepsTheFactorPending() {
        User alice = givenUser("alice");
        MfaService.Enrolment enrolment = (MfaService.Enrolment) mfa.begin(principal(alice, Amr.PASSWORD));

        MfaService.ConfirmOutcome wrong = mfa.confirm(principal(alice, Amr.PASSWORD), otherCode(codeNow(enrolment)));

        assertThat(wrong).isEqualTo(new MfaService.WrongCode(LoginService.Reason.WRONG_CODE));
        assertThat(users.get("alice").orElseThrow().mfaEnrolled()).isFalse();
        assertThat(mfa.confirm(principal(alice, Amr.PASSWORD), codeNow(enrolment)))
                .isInstanceOf(MfaService.Confirmed.class);
    }

    @Test
    void aSecondBeginReplacesThePendingSecretSoOnlyTheNewestConfirms() {
        User alice = givenUser("alice");
        MfaService.Enrolment first = (MfaService.Enrolment) mfa.begin(principal(alice, Amr.PASSWORD));
        MfaService.Enrolment second = (MfaService.Enrolment) mfa.begin(principal(alice, Amr.PASSWORD));

        assertThat(second.secret()).isNotEqualTo(first.secret());
        assertThat(mfa.confirm(principal(alice, Amr.PASSWORD), codeNow(first)))
                .isEqualTo(new MfaService.WrongCode(LoginService.Reason.WRONG_CODE));
        assertThat(mfa.confirm(principal(alice, Amr.PASSWORD), codeNow(second))).isInstanceOf(MfaService.Confirmed.class);
    }

    @Test
    void refusesToEnrolTwiceOrToConfirmWithNothingPending() {
        User alice = givenUser("alice");
        assertThat(mfa.confirm(principal(alice, Amr.PASSWORD), "123456")).isEqualTo(new MfaService.NothingPending());

        enrol(alice);

        assertThat(mfa.begin(principal(alice, Amr.PASSWORD))).isEqualTo(new MfaService.AlreadyEnrolled());
        assertThat(mfa.confirm(principal(alice, Amr.PASSWORD), "123456")).isEqualTo(new MfaService.AlreadyEnrolled());
    }

    @Test
    void aDisabledOrRecreatedCallerCannotEnrol() {
        User alice = givenUser("alice");
        Principal stale = new Principal("someone-else", "alice", Set.of(), Set.of(), "sid", AuthType.COOKIE);

        assertThat(mfa.begin(stale)).isEqualTo(new MfaService.CallerEnded());
        users.disable("alice");
        assertThat(mfa.begin(principal(alice, Amr.PASSWORD))).isEqualTo(new MfaService.CallerEnded());
    }

    @Test
    void aKeySetWithoutAnMfaKeyCannotEnrol() {
        KeySet withoutMfa = KeySet.parse(keys.toJson().replaceAll(
                "\\{[^{}]*\"purpose\":\"mfa\"[^{}]*\\},?", "").replace(",]", "]"));
        assertThat(withoutMfa.toString()).doesNotContain("purpose=mfa");
        CredentialCodecs plain = new CredentialCodecs(withoutMfa, SETTINGS, random, clock);
        MfaService service = new MfaService(users, sessions, users.mfa(), () -> plain, SessionTimeouts.DEFAULT,
                LockoutPolicy.DEFAULT, random, clock, "Example");

        assertThat(service.begin(principal(givenUser("alice"), Amr.PASSWORD))).isEqualTo(new MfaService.Unavailable());
    }

    // --- the login's two steps ---

    @Test
    void aRightPasswordOfAnEnrolledUserAsksForTheSecondStepAndStartsNoSession() {
        User alice = givenUser("alice");
        enrol(alice);

        LoginService.Outcome outcome = login.login(attempt("alice"));

        assertThat(outcome).isInstanceOf(LoginService.MfaRequired.class);
        LoginService.MfaRequired required = (LoginService.MfaRequired) outcome;
        assertThat(required.methods()).containsExactly("totp", "recovery_code");
        assertThat(required.toString()).doesNotContain(required.mfaToken());
        assertThat(sessions.listLive(alice.userId(), clock.instant())).as("only the enrolling caller's")
                .extracting(Session::id).containsExactly("sid-alice");
        // The password step stays counted until the second step succeeds.
        assertThat(users.get("alice").orElseThrow().failedLogins()).isEqualTo(1);
    }

    @Test
    void theRightCodeStartsASessionWithPasswordAndOtpAndResetsTheCount() {
        User alice = givenUser("alice");
        MfaService.Enrolment enrolment = enrol(alice);
        clock.advance(Duration.ofSeconds(30));

        LoginService.Outcome outcome = mfa.verify(step(mfaToken("alice"), MfaProof.code(codeNow(enrolment))));

        LoginService.LoggedIn loggedIn = (LoginService.LoggedIn) outcome;
        Session session = loggedIn.session();
        assertThat(session.amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(session.authTime()).isEqualTo(clock.instant());
        assertThat(users.get("alice").orElseThrow().failedLogins()).isZero();
    }

    @Test
    void aCodeIsAcceptedOncePerUserEvenWithAFreshToken() {
        User alice = givenUser("alice");
        MfaService.Enrolment enrolment = enrol(alice);
        clock.advance(Duration.ofSeconds(30));
        String code = codeNow(enrolment);
        assertThat(mfa.verify(step(mfaToken("alice"), MfaProof.code(code)))).isInstanceOf(LoginService.LoggedIn.class);

        assertThat(mfa.verify(step(mfaToken("alice"), MfaProof.code(code))))
                .isEqualTo(new LoginService.Refused(LoginService.Reason.CODE_REPLAYED));
    }

    @Test
    void oneCodeSentInParallelWithManyTokensStartsOneSession() throws Exception {
        User alice = givenUser("alice");
        MfaService.Enrolment enrolment = enrol(alice);
        clock.advance(Duration.ofSeconds(30));
        String code = codeNow(enrolment);
        List<String> tokens = new ArrayList<>();
        // Two logins and two code checks stay under the lockout's four free failures (the store's
        // contract races many more writers on one step).
        for (int i = 0; i < 2; i++) {
            tokens.add(mfaToken("alice"));
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(tokens.size());
        try {
            List<Future<LoginService.Outcome>> outcomes = new ArrayList<>();
            for (String token : tokens) {
                outcomes.add(pool.submit(() -> {
                    go.await();
                    return mfa.verify(step(token, MfaProof.code(code)));
                }));
            }
            go.countDown();
            List<LoginService.Outcome> results = new ArrayList<>();
            for (Future<LoginService.Outcome> outcome : outcomes) {
                results.add(outcome.get());
            }
            assertThat(results).filteredOn(LoginService.LoggedIn.class::isInstance).hasSize(1);
            assertThat(results).filteredOn(result -> !(result instanceof LoginService.LoggedIn))
                    .containsOnly(new LoginService.Refused(LoginService.Reason.CODE_REPLAYED));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTokenMakesOneSessionEvenWithTwoRightCodes() {
        User alice = givenUser("alice");
        MfaService.Enrolment enrolment = enrol(alice);
        clock.advance(Duration.ofSeconds(30));
        String token = mfaToken("alice");
        assertThat(mfa.verify(step(token, MfaProof.code(codeNow(enrolment))))).isInstanceOf(LoginService.LoggedIn.class);
        clock.advance(Duration.ofSeconds(30));

        assertThat(mfa.verify(step(token, MfaProof.code(codeNow(enrolment)))))
                .isEqualTo(new LoginService.Refused(LoginService.Reason.MFA_TOKEN_SPENT));
    }

    @Test
    void refusesATamperedExpiredOrMalformedToken() {
        User alice = givenUser("alice");
        MfaService.Enrolment enrolment = enrol(alice);
        clock.advance(Duration.ofSeconds(30));
        String token = mfaToken("alice");
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');

        assertThat(mfa.verify(step(tampered, MfaProof.code(codeNow(enrolment)))))
                .isEqualTo(new LoginService.Refused(LoginService.Reason.MFA_TOKEN_INVALID));
        assertThat(mfa.verify(step("not a token", MfaProof.code(codeNow(enrolment)))))
                .isEqualTo(new LoginService.Refused(LoginService.Reason.MFA_TOKEN_INVALID));
        clock.advance(Duration.ofMinutes(5));
        assertThat(mfa.verify(step(token, MfaProof.code(codeNow(enrolment)))))
                .isEqualTo(new LoginService.Refused(LoginService.Reason.MFA_TOKEN_INVALID));
    }

    @Test
    void anotherUsersTokenChecksTheCodeAgainstThatUserOnly() {
        User alice = givenUser("alice");
        User bob = givenUser("bob");
        enrol(alice);
        MfaService.Enrolment bobs = enrol(bob);
        clock.advance(Duration.ofSeconds(30));

        // Alice's token with Bob's code: checked against Alice's secret, so refused.
        assertThat(mfa.verify(step(mfaToken("alice"), MfaProof.code(codeNow(bobs)))))
                .isEqualTo(new LoginService.Refused(LoginService.Reason.WRONG_CODE));
    }

    @Test
    void wrongCodesCountTowardTheLockoutAndLockTheAccount() {
        User alice = givenUser("alice");
        MfaService.Enrolment enrolment = enrol(alice);
        clock.advance(Duration.ofSeconds(30));
        String token = mfaToken("alice");
        String wrong = otherCode(codeNow(enrolment));

        // The password step counted one; three wrong codes are free, the next locks.
        for (int i = 0; i < 3; i++) {
            assertThat(mfa.verify(step(token, MfaProof.code(wrong))))
                    .isEqualTo(new LoginService.Refused(LoginService.Reason.WRONG_CODE));
        }
        assertThat(mfa.verify(step(token, MfaProof.code(wrong)))).isInstanceOf(LoginService.Locked.class);
        // While locked even the right code is refused without being checked or spent.
        assertThat(mfa.verify(step(token, MfaProof.code(codeNow(enrolment))))).isInstanceOf(LoginService.Locked.class);
    }

    @Test
    void anotherLoginDoesNotGiveBackTheCountOfWrongCodes() {
        User alice = givenUser("alice");
        MfaService.Enrolment enrolment = enrol(alice);
        clock.advance(Duration.ofSeconds(30));
        String wrong = otherCode(codeNow(enrolment));

        mfa.verify(step(mfaToken("alice"), MfaProof.code(wrong)));
        mfa.verify(step(mfaToken("alice"), MfaProof.code(wrong)));

        // Two password steps and two wrong codes: four failures, and the fifth attempt locks.
        assertThat(users.get("alice").orElseThrow().failedLogins()).isEqualTo(4);
        assertThat(login.login(attempt("alice"))).isInstanceOf(LoginService.Locked.class);
    }

    @Test
    void aRecoveryCodeLogsInOnceInAnySpelling() {
        User alice = givenUser("alice");
        List<String> codes = confirm(alice, enrolOnly(alice));
        String spelled = codes.get(3).toUpperCase().replace("-", " ");

        LoginService.Outcome first = mfa.verify(step(mfaToken("alice"), MfaProof.recoveryCode(spelled)));
        assertThat(first).isInstanceOf(LoginService.LoggedIn.class);
        assertThat(((LoginService.LoggedIn) first).session().amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(users.mfa().totp("alice").orElseThrow().recoveryCodesLeft()).isEqualTo(9);

        assertThat(mfa.verify(step(mfaToken("alice"), MfaProof.recoveryCode(codes.get(3)))))
                .isEqualTo(new LoginService.Refused(LoginService.Reason.WRONG_RECOVERY_CODE));
        assertThat(mfa.verify(step(mfaToken("alice"), MfaProof.recoveryCode("not-a-code"))))
                .isEqualTo(new LoginService.Refused(LoginService.Reason.WRONG_RECOVERY_CODE));
    }

    @Test
    void aDisabledUserOrOneWhoseFactorWasResetIsRefused() {
        User alice = givenUser("alice");
        MfaService.Enrolment enrolment = enrol(alice);
        clock.advance(Duration.ofSeconds(30));
        String token = mfaToken("alice");

        users.mfa().removeTotp("alice", alice.userId());
        assertThat(mfa.verify(step(token, MfaProof.code(codeNow(enrolment)))))
                .isEqualTo(new LoginService.Refused(LoginService.Reason.NO_SECOND_FACTOR));

        users.disable("alice");
        assertThat(mfa.verify(step(token, MfaProof.code(codeNow(enrolment)))))
                .isEqualTo(new LoginService.Refused(LoginService.Reason.DISABLED));
    }

    @Test
    void aRotatedMfaKeyStillOpensTheSecretAndVerifiesTheToken() {
        User alice = givenUser("alice");
        MfaService.Enrolment enrolment = enrol(alice);
        clock.advance(Duration.ofSeconds(30));
        String token = mfaToken("alice");
        CredentialCodecs rotated = new CredentialCodecs(keys.rotate(KeyPurpose.MFA, clock), SETTINGS, random, clock);
        MfaService afterRotation = new MfaService(users, sessions, users.mfa(), () -> rotated, SessionTimeouts.DEFAULT,
                LockoutPolicy.DEFAULT, random, clock, "Example");

        assertThat(afterRotation.verify(step(token, MfaProof.code(codeNow(enrolment)))))
                .isInstanceOf(LoginService.LoggedIn.class);
    }

    // --- removal ---

    @Test
    void removingNeedsARightCodeEndsEverySessionAndGivesTheCallerANewOne() {
        User alice = givenUser("alice");
        MfaService.Enrolment enrolment = enrol(alice);
        clock.advance(Duration.ofSeconds(30));
        LoginService.LoggedIn other = (LoginService.LoggedIn) mfa.verify(
                step(mfaToken("alice"), MfaProof.code(codeNow(enrolment))));
        Principal caller = principal(alice, Amr.PASSWORD_AND_OTP);
        clock.advance(Duration.ofSeconds(30));

        assertThat(mfa.remove(caller, MfaProof.code(otherCode(codeNow(enrolment))), "agent", "198.51.100.7"))
                .isEqualTo(new MfaService.WrongCode(LoginService.Reason.WRONG_CODE));
        MfaService.RemoveOutcome removed = mfa.remove(caller, MfaProof.code(codeNow(enrolment)), "agent", "198.51.100.7");

        assertThat(removed).isInstanceOf(MfaService.Removed.class);
        Session fresh = ((MfaService.Removed) removed).session().session();
        assertThat(sessions.find(other.session().id(), clock.instant())).isEmpty();
        assertThat(sessions.listLive(alice.userId(), clock.instant())).extracting(Session::id).containsExactly(fresh.id());
        assertThat(fresh.amr()).isEqualTo(caller.amr());
        assertThat(users.get("alice").orElseThrow().mfaEnrolled()).isFalse();
        assertThat(users.mfa().totp("alice")).isEmpty();
        assertThat(login.login(attempt("alice"))).isInstanceOf(LoginService.LoggedIn.class);
        assertThat(mfa.remove(principal(alice, Amr.PASSWORD_AND_OTP, fresh.id()), MfaProof.code("123456"), "agent", "ip"))
                .isEqualTo(new MfaService.NotEnrolled());
        assertThat(mfa.remove(caller, MfaProof.code("123456"), "agent", "ip"))
                .as("the caller's old session ended with the others").isEqualTo(new MfaService.CallerEnded());
    }

    @Test
    void aCallerWhoseSessionHasEndedCanNeitherEnrolNorConfirmNorRemove() {
        // What a stateless bearer token passes the authorizer with for the minutes it outlives its session.
        User alice = givenUser("alice");
        Principal ended = principal(alice, Amr.PASSWORD);
        MfaService.Enrolment pending = (MfaService.Enrolment) mfa.begin(ended);
        sessions.revoke(ended.sessionId(), alice.userId());

        assertThat(mfa.begin(ended)).isEqualTo(new MfaService.CallerEnded());
        assertThat(mfa.confirm(ended, codeNow(pending))).isEqualTo(new MfaService.CallerEnded());
        assertThat(users.get("alice").orElseThrow().mfaEnrolled()).isFalse();

        MfaService.Enrolment enrolment = enrol(alice);
        Principal before = principal(alice, Amr.PASSWORD);
        sessions.revoke(before.sessionId(), alice.userId());
        clock.advance(Duration.ofSeconds(30));

        assertThat(mfa.remove(before, MfaProof.code(codeNow(enrolment)), "agent", "198.51.100.7"))
                .isEqualTo(new MfaService.CallerEnded());
        assertThat(users.get("alice").orElseThrow().mfaEnrolled()).isTrue();
        assertThat(users.get("alice").orElseThrow().failedLogins()).as("nothing was checked").isZero();
        assertThat(sessions.listLive(alice.userId(), clock.instant())).isEmpty();
    }

    @Test
    void aCallerClaimingAnotherUsersSessionIsRefused() {
        User alice = givenUser("alice");
        User bob = givenUser("bob");
        String bobsSession = principal(bob, Amr.PASSWORD).sessionId();

        assertThat(mfa.begin(principal(alice, Amr.PASSWORD, bobsSession))).isEqualTo(new MfaService.CallerEnded());
        assertThat(users.mfa().totp("alice")).isEmpty();
    }

    // --- the password change ---

    @Test
    void aPasswordChangeBySessionWithoutTheFactorNeedsACode() {
        User alice = givenUser("alice");
        // A session of before the factor: its amr is ["pwd"].
        LoginService.LoggedIn session = (LoginService.LoggedIn) login.login(attempt("alice"));
        MfaService.Enrolment enrolment = enrol(alice);
        AccountService accounts = accounts();
        Principal passwordOnly = principal(alice, Amr.PASSWORD, session.session().id());
        clock.advance(Duration.ofSeconds(30));

        assertThat(accounts.changePassword(passwordOnly, PASSWORD, "a new long passphrase 1", Optional.empty(), "a", "i"))
                .isEqualTo(new AccountService.SecondFactorNeeded());
        assertThat(accounts.changePassword(passwordOnly, PASSWORD, "a new long passphrase 1",
                Optional.of(MfaProof.code(otherCode(codeNow(enrolment)))), "a", "i"))
                .isEqualTo(new AccountService.WrongSecondFactor(LoginService.Reason.WRONG_CODE));
        assertThat(users.get("alice").orElseThrow().passwordHash()).isEqualTo(hasher.hash(PASSWORD));

        AccountService.ChangeOutcome changed = accounts.changePassword(passwordOnly, PASSWORD, "a new long passphrase 1",
                Optional.of(MfaProof.code(codeNow(enrolment))), "a", "i");

        assertThat(changed).isInstanceOf(AccountService.Changed.class);
        assertThat(((AccountService.Changed) changed).session().session().amr()).containsExactly("pwd", "otp", "mfa");
    }

    @Test
    void aPasswordChangeBySessionThatUsedTheFactorNeedsNoCode() {
        User alice = givenUser("alice");
        MfaService.Enrolment enrolment = enrol(alice);
        clock.advance(Duration.ofSeconds(30));
        LoginService.LoggedIn session = (LoginService.LoggedIn) mfa.verify(
                step(mfaToken("alice"), MfaProof.code(codeNow(enrolment))));

        assertThat(accounts().changePassword(principal(alice, Amr.PASSWORD_AND_OTP, session.session().id()), PASSWORD,
                "a new long passphrase 1", Optional.empty(), "a", "i")).isInstanceOf(AccountService.Changed.class);
    }

    // --- helpers ---

    private User givenUser(String name) {
        User user = new User(name, "u-" + name, hasher.hash(PASSWORD), Set.of("user"), Set.of(), UserStatus.ACTIVE, 0,
                null, 0, name + "@example.com", true);
        assertThat(users.create(user)).isTrue();
        return user;
    }

    private MfaService.Enrolment enrolOnly(User user) {
        return (MfaService.Enrolment) mfa.begin(principal(user, Amr.PASSWORD));
    }

    /** Enrols and confirms; the confirming code's step is spent, so tests move the clock on before the next code. */
    private MfaService.Enrolment enrol(User user) {
        MfaService.Enrolment enrolment = enrolOnly(user);
        confirm(user, enrolment);
        return enrolment;
    }

    private List<String> confirm(User user, MfaService.Enrolment enrolment) {
        return ((MfaService.Confirmed) mfa.confirm(principal(user, Amr.PASSWORD), codeNow(enrolment))).recoveryCodes();
    }

    private String mfaToken(String username) {
        return ((LoginService.MfaRequired) login.login(attempt(username))).mfaToken();
    }

    private String codeNow(MfaService.Enrolment enrolment) {
        byte[] secret = new Base32().decode(enrolment.secret());
        return totp.code(secret, totp.step(clock.instant()));
    }

    /** A code that is none of the three accepted ones (the digits of the right one, shifted). */
    private String otherCode(String code) {
        StringBuilder other = new StringBuilder();
        for (char c : code.toCharArray()) {
            other.append((char) ('0' + (c - '0' + 5) % 10));
        }
        return other.toString();
    }

    /**
     * A caller with a live session {@code sid-<username>}, stored now with these methods unless the
     * store has it already (the service reads the caller's session).
     */
    private Principal principal(User user, List<String> amr) {
        Instant now = clock.instant();
        String sessionId = "sid-" + user.username();
        sessions.create(new Session(sessionId, "not a hash", user.userId(), user.username(), user.roles(),
                user.permissions(), now, now, now.plus(SessionTimeouts.DEFAULT.idle()),
                now.plus(SessionTimeouts.DEFAULT.absolute()), "agent", "198.51.100.7", amr, now));
        return principal(user, amr, sessionId);
    }

    private Principal principal(User user, List<String> amr, String sessionId) {
        return new Principal(user.userId(), user.username(), user.roles(), user.permissions(), sessionId,
                AuthType.COOKIE, amr, Optional.of(clock.instant()));
    }

    private static LoginService.Attempt attempt(String username) {
        return new LoginService.Attempt(username, PASSWORD, "agent", "198.51.100.7");
    }

    private static MfaService.SecondStep step(String token, MfaProof proof) {
        return new MfaService.SecondStep(token, proof, "agent", "198.51.100.7");
    }

    private AccountService accounts() {
        return new AccountService(users, sessions, users.accounts(), new dev.authfn.testkit.InMemoryOutbox(), users.mfa(),
                hasher, ANY_PASSWORD, LockoutPolicy.DEFAULT,
                new dev.authfn.core.config.AccountSettings(dev.authfn.core.config.AccountSettings.SignupMode.CLOSED,
                        Duration.ofHours(24), Duration.ofMinutes(30), 5, "Example", Optional.empty()),
                () -> codecs, SessionTimeouts.DEFAULT, random, clock);
    }
}
