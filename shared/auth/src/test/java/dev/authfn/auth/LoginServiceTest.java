package dev.authfn.auth;

import dev.authfn.testkit.CountingPasswordHasher;
import dev.authfn.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.auth.LoginService.Attempt;
import dev.authfn.auth.LoginService.Locked;
import dev.authfn.auth.LoginService.LoggedIn;
import dev.authfn.auth.LoginService.Outcome;
import dev.authfn.auth.LoginService.Reason;
import dev.authfn.auth.LoginService.Refused;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.cookie.SessionCookieCodec;
import dev.authfn.core.csrf.CsrfTokens;
import dev.authfn.core.jwt.AccessTokenClaims;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import dev.authfn.password.Argon2Params;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.core.session.Session;
import dev.authfn.core.token.SessionToken;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStatus;
import dev.authfn.testkit.InMemorySessionStore;
import dev.authfn.testkit.InMemoryUserStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Argon2id costs tens of milliseconds per hash, so the hashes are made once per class and the
 * lockout states that need no password check are set up directly in the user record.
 */
class LoginServiceTest {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final KeySet KEYS = KeySet.generate(Clock.fixed(START, ZoneOffset.UTC));
    private static final SessionTimeouts TIMEOUTS = SessionTimeouts.DEFAULT;
    private static final CredentialCodecs.Settings SETTINGS = new CredentialCodecs.Settings(
            "https://auth.example.com", "authfn-api", "authfn-web",
            Duration.ofMinutes(5), Duration.ofSeconds(60), TIMEOUTS);

    /** Hashes with the OWASP minimum m=19456, t=2, p=1. */
    private static final PasswordHasher HASHER = new Argon2idHasher();
    private static final String PASSWORD = "correct horse battery staple";
    private static final String PASSWORD_HASH = HASHER.hash(PASSWORD);
    private static final String PASSWORD_64 = "Tr0ub4dor&3-".repeat(5) + "ab$%";
    private static final String PASSWORD_64_HASH = HASHER.hash(PASSWORD_64);
    private static final String PASSWORD_1000 = firstCodePoints("ünïcødé pässwörd 🔑 ".repeat(60), 1000);
    private static final String PASSWORD_1000_HASH = HASHER.hash(PASSWORD_1000);

    private final MutableClock clock = new MutableClock(START);
    private final SecureRandom random = new SecureRandom();
    private final InMemorySessionStore storedSessions = new InMemorySessionStore();
    private final CountingSessionStore sessions = new CountingSessionStore(storedSessions);
    private final CountingUserStore users = new CountingUserStore(new InMemoryUserStore());
    private final CredentialCodecs codecs = new CredentialCodecs(KEYS, SETTINGS, random, clock);
    private final CountingPasswordHasher hasher = new CountingPasswordHasher(HASHER);
    private final LoginService service = service(hasher);

    // --- success ---

    @Test
    void startsANewSessionOnEveryLoginAndNeverReusesAnExistingOne() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);
        Session planted = givenSessionOf("u-alice", "alice");

        LoggedIn first = loggedIn(service.login(attempt("alice", PASSWORD)));
        LoggedIn second = loggedIn(service.login(attempt("alice", PASSWORD)));

        assertThat(first.session().id()).isNotEqualTo(second.session().id());
        assertThat(first.session().id()).isNotEqualTo(planted.id());
        assertThat(second.session().id()).isNotEqualTo(planted.id());
        assertThat(first.sessionCookie()).isNotEqualTo(second.sessionCookie());
        assertThat(storedSessions.listLive("u-alice", START)).hasSize(3);
    }

    @Test
    void recordsTheUserAndTheTimesInTheNewSession() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);
        String longAgent = "Mozilla/5.0 ".repeat(30);
        String longIp = "2001:db8::1,".repeat(10);

        LoggedIn loggedIn = loggedIn(service.login(new Attempt("alice", PASSWORD, longAgent, longIp)));

        Session session = loggedIn.session();
        assertThat(session.userId()).isEqualTo("u-alice");
        assertThat(session.username()).isEqualTo("alice");
        assertThat(session.roles()).containsExactly("user");
        assertThat(session.permissions()).containsExactly("posts:read");
        assertThat(session.createdAt()).isEqualTo(START);
        assertThat(session.lastSeenAt()).isEqualTo(START);
        assertThat(session.idleExpiresAt()).isEqualTo(START.plus(Duration.ofMinutes(30)));
        assertThat(session.absoluteExpiresAt()).isEqualTo(START.plus(Duration.ofHours(8)));
        assertThat(session.userAgent()).isEqualTo(longAgent.substring(0, 256));
        assertThat(session.sourceIp()).isEqualTo(longIp.substring(0, 64));
        assertThat(session.amr()).as("a password login").containsExactly("pwd");
        assertThat(session.authTime()).isEqualTo(START);
        assertThat(storedSessions.find(session.id(), START)).contains(session);
        assertThat(loggedIn.accessTokenLifetime()).isEqualTo(Duration.ofMinutes(5));
        assertThat(loggedIn.toString()).isEqualTo("LoggedIn[sessionId=" + session.id() + "]");
    }

    @Test
    void returnsASessionCookieThatVerifiesAndNamesTheNewSession() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        LoggedIn loggedIn = loggedIn(service.login(attempt("alice", PASSWORD)));

        SessionCookieCodec.Result verified = codecs.cookies().verify(loggedIn.sessionCookie(), START);
        assertThat(verified).isInstanceOf(SessionCookieCodec.Valid.class);
        SessionCookieCodec.Valid valid = (SessionCookieCodec.Valid) verified;
        assertThat(valid.token().id()).isEqualTo(loggedIn.session().id());
        assertThat(valid.token().matchesHash(loggedIn.session().secretHash())).isTrue();
        assertThat(valid.kid()).isEqualTo(KEYS.activeHmac(KeyPurpose.COOKIE).kid());
        assertThat(valid.issuedAt()).isEqualTo(START);
    }

    @Test
    void returnsACsrfTokenBoundToTheNewSession() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        LoggedIn loggedIn = loggedIn(service.login(attempt("alice", PASSWORD)));

        assertThat(codecs.csrf().verify(loggedIn.session().id(), loggedIn.csrfToken())).isEmpty();
        assertThat(codecs.csrf().verify(SessionToken.generate(random).id(), loggedIn.csrfToken()))
                .contains(CsrfTokens.Reason.BAD_SIGNATURE);
    }

    @Test
    void returnsAnAccessTokenForTheUserAndTheNewSession() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        LoggedIn loggedIn = loggedIn(service.login(attempt("alice", PASSWORD)));

        AccessTokenResult result = codecs.verifier().verify(loggedIn.accessToken());
        assertThat(result).isInstanceOf(AccessTokenResult.Verified.class);
        AccessTokenClaims claims = ((AccessTokenResult.Verified) result).claims();
        assertThat(claims.subject()).isEqualTo("u-alice");
        assertThat(claims.username()).isEqualTo("alice");
        assertThat(claims.sessionId()).isEqualTo(loggedIn.session().id());
        assertThat(claims.roles()).containsExactly("user");
        assertThat(claims.permissions()).containsExactly("posts:read");
        assertThat(claims.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
        assertThat(claims.amr()).containsExactly("pwd");
        assertThat(claims.authTime()).isEqualTo(START);
        assertThat(claims.acr()).isEqualTo("urn:authfn:acr:sfa");
    }

    @Test
    void logsInUnderTheCanonicalFormOfTheUsername() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        LoggedIn loggedIn = loggedIn(service.login(attempt(" ＡLICE ", PASSWORD)));

        assertThat(loggedIn.session().username()).isEqualTo("alice");
    }

    @Test
    void keepsAPasswordHashMadeWithTheCurrentParameters() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        loggedIn(service.login(attempt("alice", PASSWORD)));

        assertThat(users.hashReplacements()).isZero();
        assertThat(storedUser("alice").passwordHash()).isEqualTo(PASSWORD_HASH);
    }

    @Test
    void rehashesAPasswordHashWithWeakerParametersOnLogin() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null); // t=2
        PasswordHasher stronger = new Argon2idHasher(new Argon2Params(19_456, 3, 1));

        loggedIn(service(stronger).login(attempt("alice", PASSWORD)));

        String rehashed = storedUser("alice").passwordHash();
        assertThat(users.hashReplacements()).isEqualTo(1);
        assertThat(rehashed).isNotEqualTo(PASSWORD_HASH).startsWith("$argon2id$v=19$m=19456,t=3,p=1$");
        assertThat(stronger.needsRehash(rehashed)).isFalse();
        assertThat(stronger.verify(PASSWORD, rehashed)).isTrue();
    }

    // --- passwords checked exactly as received ---

    @ParameterizedTest
    @ValueSource(ints = {64, 1000})
    void acceptsLongPasswords(int length) {
        String password = length == 64 ? PASSWORD_64 : PASSWORD_1000;
        String hash = length == 64 ? PASSWORD_64_HASH : PASSWORD_1000_HASH;
        givenUser("alice", hash, UserStatus.ACTIVE, 0, null);

        Outcome outcome = service.login(attempt("alice", password));

        assertThat(password.codePointCount(0, password.length())).isEqualTo(length);
        assertThat(outcome).isInstanceOf(LoggedIn.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1000})
    void refusesALongPasswordWithOneCharacterAppended(int length) {
        String password = length == 64 ? PASSWORD_64 : PASSWORD_1000;
        String hash = length == 64 ? PASSWORD_64_HASH : PASSWORD_1000_HASH;
        givenUser("alice", hash, UserStatus.ACTIVE, 0, null);

        Outcome outcome = service.login(attempt("alice", password + "x"));

        assertThat(outcome).isEqualTo(new Refused(Reason.WRONG_PASSWORD));
    }

    @Test
    void refusesThePasswordWithSurroundingWhitespace() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        Outcome outcome = service.login(attempt("alice", " " + PASSWORD));

        assertThat(outcome).isEqualTo(new Refused(Reason.WRONG_PASSWORD));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7, 1025, 4096})
    void refusesAPasswordOfTheWrongLengthWithoutReadingTheStore(int length) {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        Outcome outcome = service.login(attempt("alice", "p".repeat(length)));

        assertThat(outcome).isEqualTo(new Refused(Reason.PASSWORD_LENGTH));
        assertThat(users.reads()).isZero();
        assertThat(storedUser("alice").failedLogins()).isZero();
    }

    @Test
    void refusesAPasswordThatIsNotUnicodeTextWithoutReadingTheStore() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        Outcome outcome = service.login(attempt("alice", "password\uD800"));

        assertThat(outcome).isEqualTo(new Refused(Reason.PASSWORD_LENGTH));
        assertThat(users.reads()).isZero();
    }

    @Test
    void refusesAMissingPasswordWithoutReadingTheStore() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        Outcome outcome = service.login(attempt("alice", null));

        assertThat(outcome).isEqualTo(new Refused(Reason.PASSWORD_LENGTH));
        assertThat(users.reads()).isZero();
    }

    // --- wrong credentials ---

    @Test
    void refusesAWrongPasswordAndCountsTheFailure() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        Outcome outcome = service.login(attempt("alice", "not the password"));

        assertThat(outcome).isEqualTo(new Refused(Reason.WRONG_PASSWORD));
        assertThat(storedUser("alice").failedLogins()).isEqualTo(1);
        assertThat(storedUser("alice").lockedUntil()).isEqualTo(Instant.EPOCH);
        assertThat(storedSessions.listLive("u-alice", START)).isEmpty();
    }

    @Test
    void refusesAnUnknownUserAndCountsTheFailureWithoutCreatingAUser() {
        Outcome outcome = service.login(attempt("mallory", PASSWORD));

        assertThat(outcome).isEqualTo(new Refused(Reason.UNKNOWN_USER));
        assertThat(users.unknownReservations()).isEqualTo(1);
        assertThat(users.get("mallory")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ali\u0000ce", "alice\r\nadmin", "alice\n", "   "})
    void refusesAMalformedUsernameWithoutReadingTheStore(String username) {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        Outcome outcome = service.login(attempt(username, PASSWORD));

        assertThat(outcome).isEqualTo(new Refused(Reason.MALFORMED_USERNAME));
        assertThat(users.reads()).isZero();
        assertThat(storedUser("alice").failedLogins()).isZero();
    }

    @Test
    void refusesAUsernameLongerThanSixtyFourCharactersWithoutReadingTheStore() {
        Outcome outcome = service.login(attempt("a".repeat(65), PASSWORD));

        assertThat(outcome).isEqualTo(new Refused(Reason.MALFORMED_USERNAME));
        assertThat(users.reads()).isZero();
    }

    @Test
    void refusesADisabledUserWithTheRightPasswordAndStartsNoSession() {
        givenUser("alice", PASSWORD_HASH, UserStatus.DISABLED, 0, null);

        Outcome outcome = service.login(attempt("alice", PASSWORD));

        assertThat(outcome).isEqualTo(new Refused(Reason.DISABLED));
        assertThat(storedSessions.listLive("u-alice", START)).isEmpty();
    }

    @Test
    void aDisabledAccountCountsTheRightPasswordAsAFailureSoTheLockTellsNothing() {
        givenUser("alice", PASSWORD_HASH, UserStatus.DISABLED, 0, null);
        givenUser("bob", PASSWORD_HASH, UserStatus.DISABLED, 0, null);

        for (int failure = 1; failure <= 4; failure++) {
            assertThat(service.login(attempt("alice", "wrong password " + failure))).isInstanceOf(Refused.class);
            assertThat(service.login(attempt("bob", "wrong password " + failure))).isInstanceOf(Refused.class);
        }
        Outcome rightPassword = service.login(attempt("alice", PASSWORD));
        Outcome wrongPassword = service.login(attempt("bob", "wrong password 5"));

        assertThat(rightPassword).isEqualTo(new Locked(Duration.ofSeconds(1)));
        assertThat(wrongPassword).isEqualTo(rightPassword);
        assertThat(storedUser("alice").failedLogins()).isEqualTo(storedUser("bob").failedLogins()).isEqualTo(5);
        assertThat(storedSessions.listLive("u-alice", START)).isEmpty();
    }

    // --- lockout (LockoutPolicy.DEFAULT: failure n >= 5 locks for 2^(n-5) s, at most 15 min) ---

    @Test
    void theFifthConsecutiveFailureLocksForOneSecondEvenAgainstTheRightPassword() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        for (int failure = 1; failure <= 4; failure++) {
            assertThat(service.login(attempt("alice", "wrong password " + failure)))
                    .as("failure %d", failure).isEqualTo(new Refused(Reason.WRONG_PASSWORD));
        }
        Outcome fifth = service.login(attempt("alice", "wrong password 5"));
        Outcome rightPasswordWhileLocked = service.login(attempt("alice", PASSWORD));
        clock.advance(Duration.ofSeconds(1));
        Outcome rightPasswordAfterTheLock = service.login(attempt("alice", PASSWORD));

        assertThat(fifth).isEqualTo(new Locked(Duration.ofSeconds(1)));
        assertThat(rightPasswordWhileLocked).isEqualTo(new Locked(Duration.ofSeconds(1)));
        assertThat(rightPasswordAfterTheLock).isInstanceOf(LoggedIn.class);
        assertThat(storedSessions.listLive("u-alice", clock.instant()))
                .containsExactly(((LoggedIn) rightPasswordAfterTheLock).session());
        assertThat(storedUser("alice").failedLogins()).isZero();
        assertThat(storedUser("alice").lockedUntil()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void theFifthConsecutiveFailureRecordsTheLockInTheUserRecord() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 4, null);

        Outcome fifth = service.login(attempt("alice", "wrong password"));

        assertThat(fifth).isEqualTo(new Locked(Duration.ofSeconds(1)));
        assertThat(storedUser("alice").failedLogins()).isEqualTo(5);
        assertThat(storedUser("alice").lockedUntil()).isEqualTo(START.plusSeconds(1));
    }

    @Test
    void refusesTheRightPasswordWhileLockedWithoutCountingIt() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 5, START.plusSeconds(1));

        Outcome outcome = service.login(attempt("alice", PASSWORD));

        assertThat(outcome).isEqualTo(new Locked(Duration.ofSeconds(1)));
        assertThat(storedSessions.listLive("u-alice", START)).isEmpty();
        assertThat(storedUser("alice").failedLogins()).isEqualTo(5);
    }

    @Test
    void refusesAWrongPasswordWhileLockedWithoutCountingIt() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 5, START.plusSeconds(1));

        Outcome outcome = service.login(attempt("alice", "wrong password"));

        assertThat(outcome).isEqualTo(new Locked(Duration.ofSeconds(1)));
        assertThat(storedUser("alice").failedLogins()).isEqualTo(5);
        assertThat(storedUser("alice").lockedUntil()).isEqualTo(START.plusSeconds(1));
    }

    @Test
    void roundsTheRetryAfterUpToWholeSeconds() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 7, START.plusMillis(3_001));

        Outcome outcome = service.login(attempt("alice", PASSWORD));

        assertThat(outcome).isEqualTo(new Locked(Duration.ofSeconds(4)));
    }

    @Test
    void acceptsTheRightPasswordOnceTheLockHasExpiredAndResetsTheCounter() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 5, START.plusSeconds(1));

        clock.advance(Duration.ofSeconds(1));
        Outcome outcome = service.login(attempt("alice", PASSWORD));

        assertThat(outcome).isInstanceOf(LoggedIn.class);
        assertThat(storedUser("alice").failedLogins()).isZero();
        assertThat(storedUser("alice").lockedUntil()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void aSuccessClearsAnExpiredLockEvenWithNoFailureCounted() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, START.minusSeconds(1));

        Outcome outcome = service.login(attempt("alice", PASSWORD));

        assertThat(outcome).isInstanceOf(LoggedIn.class);
        assertThat(storedUser("alice").lockedUntil()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void theSixthFailureAfterTheFirstLockLocksForTwoSeconds() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 5, START.plusSeconds(1));

        clock.advance(Duration.ofSeconds(1));
        Outcome outcome = service.login(attempt("alice", "wrong password"));

        assertThat(outcome).isEqualTo(new Locked(Duration.ofSeconds(2)));
        assertThat(storedUser("alice").failedLogins()).isEqualTo(6);
        assertThat(storedUser("alice").lockedUntil()).isEqualTo(START.plusSeconds(3));
    }

    @Test
    void neverLocksForLongerThanFifteenMinutes() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 40, START);

        Outcome outcome = service.login(attempt("alice", "wrong password"));

        assertThat(outcome).isEqualTo(new Locked(Duration.ofMinutes(15)));
        assertThat(storedUser("alice").lockedUntil()).isEqualTo(START.plus(Duration.ofMinutes(15)));
    }

    @Test
    void aSuccessResetsEarlierFailures() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 3, null);

        Outcome outcome = service.login(attempt("alice", PASSWORD));

        assertThat(outcome).isInstanceOf(LoggedIn.class);
        assertThat(storedUser("alice").failedLogins()).isZero();
    }

    // --- lockout under concurrency: the attempt is reserved before the hash (issue 19, defect 2) ---

    @Test
    void fiftyParallelWrongPasswordsHashOnlyTheFiveFreeAttempts() throws Exception {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        List<Outcome> outcomes = inParallel(50, i -> attempt("alice", "wrong password " + i));

        assertThat(hasher.verifications()).isEqualTo(5);
        assertThat(outcomes).filteredOn(new Refused(Reason.WRONG_PASSWORD)::equals).hasSize(4);
        assertThat(outcomes).filteredOn(new Locked(Duration.ofSeconds(1))::equals).hasSize(46);
        assertThat(storedUser("alice").failedLogins()).isEqualTo(5);
        assertThat(storedUser("alice").lockedUntil()).isEqualTo(START.plusSeconds(1));
    }

    @Test
    void fiftyParallelAttemptsOnAnUnknownNameHashOnlyTheFiveFreeAttemptsLikeAnAccount() throws Exception {
        List<Outcome> outcomes = inParallel(50, i -> attempt("mallory", "wrong password " + i));

        assertThat(hasher.verifications()).isEqualTo(5);
        assertThat(outcomes).filteredOn(new Refused(Reason.UNKNOWN_USER)::equals).hasSize(4);
        assertThat(outcomes).filteredOn(new Locked(Duration.ofSeconds(1))::equals).hasSize(46);
        assertThat(users.lookup("mallory", START)).isEqualTo(new UserLookup.Unknown(START.plusSeconds(1)));
    }

    @Test
    void onceTheLockHasExpiredFiftyParallelAttemptsHashExactlyOne() throws Exception {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 5, START.plusSeconds(1));
        clock.advance(Duration.ofSeconds(1));

        List<Outcome> outcomes = inParallel(50, i -> attempt("alice", "wrong password " + i));

        assertThat(hasher.verifications()).isEqualTo(1);
        assertThat(outcomes).as("the one hashed attempt set the 2 s lock; the others found it")
                .hasSize(50).containsOnly(new Locked(Duration.ofSeconds(2)));
        assertThat(storedUser("alice").failedLogins()).isEqualTo(6);
        assertThat(storedUser("alice").lockedUntil()).isEqualTo(START.plusSeconds(3));
    }

    @Test
    void reservesTheAttemptBeforeHashingAndASuccessGivesItBack() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        loggedIn(service.login(attempt("alice", PASSWORD)));

        assertThat(users.reservations()).isEqualTo(1);
        assertThat(hasher.verifications()).isEqualTo(1);
        assertThat(storedUser("alice").failedLogins()).isZero();
        assertThat(storedUser("alice").lockedUntil()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void anUnknownNameCostsTheSameReadReservationAndHashAsAWrongPassword() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        service.login(attempt("alice", "wrong password"));
        int accountReads = users.reads();
        service.login(attempt("mallory", "wrong password"));

        assertThat(accountReads).isEqualTo(1);
        assertThat(users.reads()).isEqualTo(2);
        assertThat(users.reservations()).isEqualTo(1);
        assertThat(users.unknownReservations()).isEqualTo(1);
        assertThat(hasher.verifications()).isEqualTo(2);
    }

    @Test
    void aStoreThatCannotReserveFailsClosedBeforeAnyHash() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);
        users.failReservations();

        assertThatThrownBy(() -> service.login(attempt("alice", PASSWORD))).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> service.login(attempt("mallory", PASSWORD))).isInstanceOf(StoreUnavailableException.class);

        assertThat(hasher.verifications()).isZero();
        assertThat(storedUser("alice").failedLogins()).isZero();
        assertThat(users.lookup("mallory", START)).isEqualTo(UserLookup.Unknown.NEVER_FAILED);
        assertThat(storedSessions.listLive("u-alice", START)).isEmpty();
    }

    @Test
    void aStoreThatCannotGiveTheReservationBackFailsClosedWithNoSessionAndTheAttemptCounted() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);
        users.failResets();

        assertThatThrownBy(() -> service.login(attempt("alice", PASSWORD))).isInstanceOf(StoreUnavailableException.class);

        assertThat(storedSessions.listLive("u-alice", START)).isEmpty();
        assertThat(storedUser("alice").failedLogins()).as("the reservation stands, as a failure would").isEqualTo(1);
    }

    // --- lockout of unknown names: it must not tell accounts from unknown names (ASVS 6.3.8) ---

    @Test
    void fiveFailuresLockAnUnknownNameWithTheSameRetryAfterAsAnAccount() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        List<Outcome> account = new ArrayList<>();
        List<Outcome> unknown = new ArrayList<>();
        for (int attempt = 1; attempt <= 6; attempt++) {
            account.add(service.login(attempt("alice", "wrong password " + attempt)));
            unknown.add(service.login(attempt("mallory", "wrong password " + attempt)));
        }

        assertThat(account).containsExactly(
                new Refused(Reason.WRONG_PASSWORD), new Refused(Reason.WRONG_PASSWORD),
                new Refused(Reason.WRONG_PASSWORD), new Refused(Reason.WRONG_PASSWORD),
                new Locked(Duration.ofSeconds(1)), new Locked(Duration.ofSeconds(1)));
        assertThat(unknown).containsExactly(
                new Refused(Reason.UNKNOWN_USER), new Refused(Reason.UNKNOWN_USER),
                new Refused(Reason.UNKNOWN_USER), new Refused(Reason.UNKNOWN_USER),
                new Locked(Duration.ofSeconds(1)), new Locked(Duration.ofSeconds(1)));
        assertThat(users.get("mallory")).isEmpty();
    }

    @Test
    void theLockOfAnUnknownNameExpiresAndDoublesLikeAnAccounts() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);
        for (int attempt = 1; attempt <= 5; attempt++) {
            service.login(attempt("alice", "wrong password"));
            service.login(attempt("mallory", "wrong password"));
        }

        clock.advance(Duration.ofSeconds(1));
        Outcome accountSixth = service.login(attempt("alice", "wrong password"));
        Outcome unknownSixth = service.login(attempt("mallory", "wrong password"));
        clock.advance(Duration.ofSeconds(2));
        Outcome accountAfterTheSecondLock = service.login(attempt("alice", PASSWORD));
        Outcome unknownAfterTheSecondLock = service.login(attempt("mallory", PASSWORD));

        assertThat(accountSixth).isEqualTo(new Locked(Duration.ofSeconds(2)));
        assertThat(unknownSixth).isEqualTo(new Locked(Duration.ofSeconds(2)));
        assertThat(accountAfterTheSecondLock).isInstanceOf(LoggedIn.class);
        assertThat(unknownAfterTheSecondLock)
                .as("the seventh counted failure, as a wrong password would be for alice")
                .isEqualTo(new Locked(Duration.ofSeconds(4)));
    }

    @Test
    void refusesALockedUnknownNameWithoutCountingTheAttempt() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            service.login(attempt("mallory", "wrong password"));
        }
        int counted = users.unknownReservations();

        Outcome whileLocked = service.login(attempt("mallory", "wrong password"));

        assertThat(whileLocked).isEqualTo(new Locked(Duration.ofSeconds(1)));
        assertThat(users.unknownReservations()).isEqualTo(counted);
        assertThat(users.lookup("mallory", START)).isEqualTo(new UserLookup.Unknown(START.plusSeconds(1)));
    }

    @Test
    void roundsTheRetryAfterOfAnUnknownNameUpToWholeSecondsLikeAnAccounts() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            service.login(attempt("mallory", "wrong password"));
        }
        clock.advance(Duration.ofSeconds(1));
        service.login(attempt("mallory", "wrong password")); // the sixth: locked for 2 s
        clock.advance(Duration.ofMillis(500));

        Outcome outcome = service.login(attempt("mallory", "wrong password"));

        assertThat(outcome).isEqualTo(new Locked(Duration.ofSeconds(2)));
    }

    @Test
    void aNewUserStartsUnlockedEvenIfTheirNameWasLockedWhileUnknown() {
        for (int attempt = 1; attempt <= 5; attempt++) {
            service.login(attempt("newcomer", "wrong password"));
        }
        assertThat(service.login(attempt("newcomer", PASSWORD))).isEqualTo(new Locked(Duration.ofSeconds(1)));

        givenUser("newcomer", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);
        Outcome outcome = service.login(attempt("newcomer", PASSWORD));

        assertThat(outcome).isInstanceOf(LoggedIn.class);
        assertThat(((LoggedIn) outcome).session().username()).isEqualTo("newcomer");
        assertThat(storedUser("newcomer").failedLogins()).isZero();
    }

    @Test
    void countsNoFailureForAMalformedUsername() {
        Outcome outcome = service.login(attempt("mallory\r\n", PASSWORD));

        assertThat(outcome).isEqualTo(new Refused(Reason.MALFORMED_USERNAME));
        assertThat(users.unknownReservations()).isZero();
    }

    // --- faults and values ---

    @Test
    void letsASessionStoreOutageThroughAndStoresNoSession() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);
        sessions.failWith(new StoreUnavailableException("PutItem sessions: ThrottlingException", null));

        assertThatThrownBy(() -> service.login(attempt("alice", PASSWORD)))
                .isInstanceOf(StoreUnavailableException.class);
        assertThat(storedSessions.listLive("u-alice", START)).isEmpty();
    }

    @Test
    void attemptToStringShowsNeitherUsernameNorPassword() {
        assertThat(attempt("alice", PASSWORD).toString())
                .isEqualTo("Attempt[username=<redacted>, password=<redacted>]");
    }

    // --- helpers ---

    // --- registration (docs/API.md §10.3) ---

    @Test
    void registersEveryNewSessionOnTheUserSoThatEndingAllSessionsNeedsNoIndex() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);

        LoggedIn first = loggedIn(service.login(attempt("alice", PASSWORD)));
        LoggedIn second = loggedIn(service.login(attempt("alice", PASSWORD)));

        assertThat(users.closeSessionEpoch("alice", "u-alice", START))
                .contains(Set.of(first.session().id(), second.session().id()));
    }

    @Test
    void aLoginThatReadTheUserBeforeTheirSessionsWereAllEndedStartsNoSession() {
        givenUser("alice", PASSWORD_HASH, UserStatus.ACTIVE, 0, null);
        // The password changes (and with it all sessions end) while this login hashes.
        PasswordHasher changedMeanwhile = new PasswordHasher() {
            @Override
            public String hash(char[] password) {
                return HASHER.hash(password);
            }

            @Override
            public String hash(String password) {
                return HASHER.hash(password);
            }

            @Override
            public boolean verify(String password, String storedHash) {
                boolean matches = HASHER.verify(password, storedHash);
                new UserAdministration(users, sessions, clock).replacePassword("alice", PASSWORD_64_HASH);
                return matches;
            }

            @Override
            public boolean verifyDummy(String password) {
                return HASHER.verifyDummy(password);
            }

            @Override
            public boolean needsRehash(String storedHash) {
                return HASHER.needsRehash(storedHash);
            }
        };

        Outcome outcome = service(changedMeanwhile).login(attempt("alice", PASSWORD));

        assertThat(outcome).isEqualTo(new Refused(Reason.SESSIONS_ENDED));
        assertThat(storedSessions.listLive("u-alice", START)).isEmpty();
        assertThat(loggedIn(service.login(attempt("alice", PASSWORD_64))).session().userId()).isEqualTo("u-alice");
    }

    private LoginService service(PasswordHasher hasher) {
        return new LoginService(users, sessions, hasher, () -> codecs, TIMEOUTS, LockoutPolicy.DEFAULT, random, clock);
    }

    /** Runs {@code count} logins at once, released together; attempt {@code i} is {@code attempts.apply(i)}. */
    private List<Outcome> inParallel(int count, IntFunction<Attempt> attempts) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Outcome>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(count)) {
            for (int i = 0; i < count; i++) {
                Attempt attempt = attempts.apply(i);
                futures.add(threads.submit(() -> {
                    start.await();
                    return service.login(attempt);
                }));
            }
            start.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
            return outcomes;
        }
    }

    private static String firstCodePoints(String text, int count) {
        return text.substring(0, text.offsetByCodePoints(0, count));
    }

    private static Attempt attempt(String username, String password) {
        return new Attempt(username, password, "test-agent", "192.0.2.1");
    }

    private void givenUser(String username, String hash, UserStatus status, int failedLogins, Instant lockedUntil) {
        assertThat(users.create(new User(username, "u-" + username, hash, Set.of("user"), Set.of("posts:read"),
                status, failedLogins, lockedUntil))).isTrue();
    }

    private Session givenSessionOf(String userId, String username) {
        SessionToken token = SessionToken.generate(random);
        Instant absolute = START.plus(TIMEOUTS.absolute());
        Session session = new Session(token.id(), token.secretHash(), userId, username, Set.of("user"), Set.of(),
                START, START, TIMEOUTS.idleExpiry(START, absolute), absolute, "", "");
        assertThat(storedSessions.create(session)).isTrue();
        return session;
    }

    private User storedUser(String username) {
        return users.get(username).orElseThrow();
    }

    private static LoggedIn loggedIn(Outcome outcome) {
        assertThat(outcome).isInstanceOf(LoggedIn.class);
        return (LoggedIn) outcome;
    }
}
