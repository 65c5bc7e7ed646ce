package dev.authfn.testkit;

import static dev.authfn.testkit.SessionStoreContract.randomId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.user.AttemptReservation;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UserStore} must do, lockout included, also for failures of unknown names
 * (which the DynamoDB store keeps in phantom items). A store's test class extends this and
 * supplies the user store. Time is explicit; every
 * test uses fresh random usernames.
 */
public abstract class UserStoreContract {

    /** See {@link SessionStoreContract#T0}. */
    protected static final Instant T0 = SessionStoreContract.T0;

    private UserStore users;

    /** The user store for one test. */
    protected abstract UserStore newUserStore();

    @BeforeEach
    void createStore() {
        users = newUserStore();
    }

    protected final UserStore users() {
        return users;
    }

    /** A new active user with a random username and user id, never failed, not locked. */
    public static User newUser() {
        return new User("user-" + randomId(), randomId(), "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
                Set.of("user"), Set.of("posts:create", "posts:read"), UserStatus.ACTIVE, 0, Instant.EPOCH);
    }

    @Test
    void getsACreatedUserWithEveryAttribute() {
        User user = new User("alice-" + randomId(), randomId(), "$argon2id$v=19$m=19456,t=2,p=1$YQ$Yg",
                Set.of("admin", "user"), Set.of(), UserStatus.ACTIVE, 3, T0.plusMillis(250));

        assertThat(users.create(user)).isTrue();
        assertThat(users.get(user.username())).contains(user);
    }

    @Test
    void refusesToCreateATakenUsername() {
        User first = newUser();
        users.create(first);
        User second = new User(first.username(), randomId(), "other", Set.of("admin"), Set.of(), UserStatus.ACTIVE,
                0, Instant.EPOCH);

        assertThat(users.create(second)).isFalse();
        assertThat(users.get(first.username())).contains(first);
    }

    @Test
    void getsNothingForAnUnknownUsername() {
        assertThat(users.get("nobody-" + randomId())).isEmpty();
    }

    @Test
    void replacesOnlyThePasswordHash() {
        User user = newUser();
        users.create(user);

        assertThat(users.replacePasswordHash(user.username(), "$argon2id$v=19$m=65536,t=3,p=1$bmV3$bmV3")).isTrue();

        assertThat(users.get(user.username()).orElseThrow())
                .usingRecursiveComparison()
                .isEqualTo(withPasswordHash(user, "$argon2id$v=19$m=65536,t=3,p=1$bmV3$bmV3"));
    }

    @Test
    void replacingThePasswordHashOfAnUnknownUserCreatesNothing() {
        String username = "nobody-" + randomId();

        assertThat(users.replacePasswordHash(username, "hash")).isFalse();
        assertThat(users.get(username)).isEmpty();
    }

    @Test
    void countsReservationsWithoutLockingBelowThePolicyThreshold() {
        User user = newUser();
        users.create(user);

        List<AttemptReservation> reservations = reserve(user.username(), T0, LockoutPolicy.DEFAULT, 4);

        assertThat(reservations).containsExactly(reserved(1, Instant.EPOCH), reserved(2, Instant.EPOCH),
                reserved(3, Instant.EPOCH), reserved(4, Instant.EPOCH));
        assertThat(users.get(user.username()).orElseThrow().failedLogins()).isEqualTo(4);
        assertThat(users.get(user.username()).orElseThrow().lockedUntil()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void theFifthReservationLocksForOneSecondAndEachOneAfterALockDoublesIt() {
        User user = newUser();
        users.create(user);
        reserve(user.username(), T0, LockoutPolicy.DEFAULT, 4);

        AttemptReservation fifth = users.reserveAttempt(user.username(), T0, LockoutPolicy.DEFAULT);
        AttemptReservation sixth = users.reserveAttempt(user.username(), T0.plusSeconds(2), LockoutPolicy.DEFAULT);
        AttemptReservation seventh = users.reserveAttempt(user.username(), T0.plusSeconds(5), LockoutPolicy.DEFAULT);

        assertThat(fifth).isEqualTo(reserved(5, T0.plusSeconds(1)));
        assertThat(sixth).isEqualTo(reserved(6, T0.plusSeconds(2 + 2)));
        assertThat(seventh).isEqualTo(reserved(7, T0.plusSeconds(5 + 4)));
        assertThat(users.get(user.username())).contains(withCounter(user, 7, T0.plusSeconds(9)));
    }

    @Test
    void refusesAReservationWhileLockedAndCountsNothing() {
        User user = withCounter(newUser(), 6, T0.plusSeconds(2));
        users.create(user);

        AttemptReservation whileLocked = users.reserveAttempt(user.username(), T0, LockoutPolicy.DEFAULT);
        // A caller whose clock runs ten seconds behind sees the same lock.
        AttemptReservation clockBehind = users.reserveAttempt(user.username(), T0.minusSeconds(10), LockoutPolicy.DEFAULT);
        AttemptReservation justBeforeTheEnd =
                users.reserveAttempt(user.username(), T0.plusSeconds(2).minusMillis(1), LockoutPolicy.DEFAULT);

        assertThat(whileLocked).isEqualTo(new AttemptReservation.Locked(T0.plusSeconds(2)));
        assertThat(clockBehind).isEqualTo(whileLocked);
        assertThat(justBeforeTheEnd).isEqualTo(whileLocked);
        assertThat(users.get(user.username())).contains(user);
    }

    @Test
    void capsTheLockAtThePolicyMaximum() {
        LockoutPolicy policy = new LockoutPolicy(1, Duration.ofMinutes(1));
        User user = withCounter(newUser(), 20, T0);
        users.create(user);

        AttemptReservation reservation = users.reserveAttempt(user.username(), T0, policy);

        assertThat(reservation).isEqualTo(reserved(21, T0.plus(Duration.ofMinutes(1))));
    }

    @Test
    void reservingOnAnUnknownUserCreatesNothing() {
        String username = "nobody-" + randomId();

        assertThat(users.reserveAttempt(username, T0, LockoutPolicy.DEFAULT))
                .isEqualTo(AttemptReservation.KindChanged.INSTANCE);
        assertThat(users.get(username)).isEmpty();
        assertThat(users.lookup(username, T0)).isEqualTo(UserLookup.Unknown.NEVER_FAILED);
    }

    @Test
    void successfulLoginClearsTheCountAndTheLock() {
        User user = newUser();
        users.create(user);
        reserve(user.username(), T0, LockoutPolicy.DEFAULT, 5);

        users.recordSuccessfulLogin(user.username());

        assertThat(users.get(user.username())).contains(user);
    }

    @Test
    void successfulLoginLeavesACleanUserAsItWas() {
        User user = newUser();
        users.create(user);

        users.recordSuccessfulLogin(user.username());

        assertThat(users.get(user.username())).contains(user);
    }

    @Test
    void successfulLoginOfAnUnknownUserCreatesNothing() {
        String username = "nobody-" + randomId();

        users.recordSuccessfulLogin(username);

        assertThat(users.get(username)).isEmpty();
    }

    @Test
    void fiftyParallelAttemptsReserveExactlyTheFreeAttemptsAndTheRestFindTheLock() throws Exception {
        User user = newUser();
        users.create(user);

        List<AttemptReservation> reservations = reserveInParallel(
                () -> users.reserveAttempt(user.username(), T0, LockoutPolicy.DEFAULT), 50);

        assertFreeAttemptsReservedThenLocked(reservations, 5, T0.plusSeconds(1));
        assertThat(users.get(user.username())).contains(withCounter(user, 5, T0.plusSeconds(1)));
    }

    @Test
    void fiftyParallelAttemptsOnceTheLockHasExpiredReserveExactlyOne() throws Exception {
        User user = withCounter(newUser(), 5, T0.plusSeconds(1));
        users.create(user);
        Instant expired = T0.plusSeconds(1);

        List<AttemptReservation> reservations = reserveInParallel(
                () -> users.reserveAttempt(user.username(), expired, LockoutPolicy.DEFAULT), 50);

        assertThat(reservations).filteredOn(AttemptReservation.Reserved.class::isInstance)
                .containsExactly(reserved(6, expired.plusSeconds(2)));
        assertThat(reservations).filteredOn(AttemptReservation.Locked.class::isInstance)
                .hasSize(49).containsOnly(new AttemptReservation.Locked(expired.plusSeconds(2)));
        assertThat(users.get(user.username())).contains(withCounter(user, 6, expired.plusSeconds(2)));
    }

    @Test
    void twentyParallelReservationsBelowTheThresholdCountTwenty() throws Exception {
        // Locks first at the 20th reservation (1 s): a lost or an extra count shows in the lock.
        LockoutPolicy policy = new LockoutPolicy(20, Duration.ofMinutes(15));
        User user = newUser();
        users.create(user);

        List<AttemptReservation> reservations = reserveInParallel(
                () -> users.reserveAttempt(user.username(), T0, policy), 20);

        assertFreeAttemptsReservedThenLocked(reservations, 20, T0.plusSeconds(1));
        assertThat(users.get(user.username())).contains(withCounter(user, 20, T0.plusSeconds(1)));
    }

    @Test
    void disablingAUserChangesItsStatusOnly() {
        User user = newUser();
        users.create(user);

        assertThat(users.disable(user.username())).isTrue();

        User disabled = users.get(user.username()).orElseThrow();
        assertThat(disabled.status()).isEqualTo(UserStatus.DISABLED);
        assertThat(disabled).usingRecursiveComparison().ignoringFields("status").isEqualTo(user);
    }

    @Test
    void disablingAnUnknownUserIsFalse() {
        assertThat(users.disable("nobody-" + randomId())).isFalse();
    }

    // --- lookup ---

    @Test
    void looksUpAUserAsFound() {
        User user = newUser();
        users.create(user);

        assertThat(users.lookup(user.username(), T0)).isEqualTo(new UserLookup.Found(user));
    }

    @Test
    void looksUpANameThatNeverFailedAsUnknownAndUnlocked() {
        assertThat(users.lookup("nobody-" + randomId(), T0)).isEqualTo(UserLookup.Unknown.NEVER_FAILED);
    }

    // --- failures of unknown names ---

    @Test
    void locksAnUnknownNameByThePolicyLikeAUser() {
        String username = "nobody-" + randomId();

        List<AttemptReservation> firstFour = reserveUnknown(username, T0, LockoutPolicy.DEFAULT, 4);
        AttemptReservation fifth = users.reserveUnknownAttempt(username, T0, LockoutPolicy.DEFAULT);
        UserLookup lookedUp = users.lookup(username, T0);
        AttemptReservation whileLocked = users.reserveUnknownAttempt(username, T0, LockoutPolicy.DEFAULT);
        AttemptReservation sixth = users.reserveUnknownAttempt(username, T0.plusSeconds(2), LockoutPolicy.DEFAULT);

        assertThat(firstFour).containsExactly(reserved(1, Instant.EPOCH), reserved(2, Instant.EPOCH),
                reserved(3, Instant.EPOCH), reserved(4, Instant.EPOCH));
        assertThat(fifth).isEqualTo(reserved(5, T0.plusSeconds(1)));
        assertThat(lookedUp).isEqualTo(new UserLookup.Unknown(T0.plusSeconds(1)));
        assertThat(whileLocked).isEqualTo(new AttemptReservation.Locked(T0.plusSeconds(1)));
        assertThat(sixth).isEqualTo(reserved(6, T0.plusSeconds(2 + 2)));
        assertThat(users.lookup(username, T0.plusSeconds(2))).isEqualTo(new UserLookup.Unknown(T0.plusSeconds(4)));
    }

    @Test
    void refusesAReservationOnALockedUnknownNameAlsoForACallerWhoseClockRunsBehind() {
        String username = "nobody-" + randomId();
        reserveUnknown(username, T0, LockoutPolicy.DEFAULT, 5);

        AttemptReservation clockBehind = users.reserveUnknownAttempt(username, T0.minusSeconds(10), LockoutPolicy.DEFAULT);
        AttemptReservation afterTheLock = users.reserveUnknownAttempt(username, T0.plusSeconds(1), LockoutPolicy.DEFAULT);

        assertThat(clockBehind).isEqualTo(new AttemptReservation.Locked(T0.plusSeconds(1)));
        assertThat(afterTheLock).as("the sixth: the refused one was not counted")
                .isEqualTo(reserved(6, T0.plusSeconds(1 + 2)));
    }

    @Test
    void fiftyParallelAttemptsOnAnUnknownNameReserveExactlyTheFreeAttempts() throws Exception {
        String username = "nobody-" + randomId();

        List<AttemptReservation> reservations = reserveInParallel(
                () -> users.reserveUnknownAttempt(username, T0, LockoutPolicy.DEFAULT), 50);

        assertFreeAttemptsReservedThenLocked(reservations, 5, T0.plusSeconds(1));
        assertThat(users.lookup(username, T0)).isEqualTo(new UserLookup.Unknown(T0.plusSeconds(1)));
        assertThat(users.get(username)).isEmpty();
    }

    @Test
    void twentyParallelReservationsOnAnUnknownNameCountTwenty() throws Exception {
        // Locks first at the 20th reservation (1 s) and for 2 s at the 21st: a lost or an extra
        // count shows in the lock.
        LockoutPolicy policy = new LockoutPolicy(20, Duration.ofMinutes(15));
        String username = "nobody-" + randomId();

        List<AttemptReservation> reservations = reserveInParallel(
                () -> users.reserveUnknownAttempt(username, T0, policy), 20);

        assertFreeAttemptsReservedThenLocked(reservations, 20, T0.plusSeconds(1));
        assertThat(users.lookup(username, T0)).isEqualTo(new UserLookup.Unknown(T0.plusSeconds(1)));
        assertThat(users.reserveUnknownAttempt(username, T0.plusSeconds(1), policy))
                .isEqualTo(reserved(21, T0.plusSeconds(1 + 2)));
        assertThat(users.get(username)).isEmpty();
    }

    @Test
    void reservationsOnAnUnknownNameNeverMakeAUser() {
        String username = "nobody-" + randomId();
        reserveUnknown(username, T0, LockoutPolicy.DEFAULT, 5);

        assertThat(users.get(username)).isEmpty();
        assertThat(users.replacePasswordHash(username, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")).isFalse();
        assertThat(users.reserveAttempt(username, T0.plusSeconds(1), LockoutPolicy.DEFAULT))
                .isEqualTo(AttemptReservation.KindChanged.INSTANCE);
        users.recordSuccessfulLogin(username);
        assertThat(users.disable(username)).isFalse();

        assertThat(users.get(username)).isEmpty();
        assertThat(users.lookup(username, T0))
                .as("the user methods changed nothing, not even the count")
                .isEqualTo(new UserLookup.Unknown(T0.plusSeconds(1)));
        assertThat(users.reserveUnknownAttempt(username, T0.plusSeconds(1), LockoutPolicy.DEFAULT))
                .isEqualTo(reserved(6, T0.plusSeconds(1 + 2)));
    }

    @Test
    void failuresOfAnUnknownNameNeverTouchAUserOfThatName() {
        User user = newUser();
        users.create(user);

        assertThat(users.reserveUnknownAttempt(user.username(), T0, LockoutPolicy.DEFAULT))
                .isEqualTo(AttemptReservation.KindChanged.INSTANCE);

        assertThat(users.get(user.username())).contains(user);
    }

    @Test
    void createsAUserOverCountedFailuresAndTheUserStartsUnlocked() {
        String username = "nobody-" + randomId();
        reserveUnknown(username, T0, LockoutPolicy.DEFAULT, 5);
        User user = new User(username, randomId(), "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
                Set.of("user"), Set.of(), UserStatus.ACTIVE, 0, Instant.EPOCH);

        assertThat(users.create(user)).isTrue();

        assertThat(users.get(username)).contains(user);
        assertThat(users.lookup(username, T0)).isEqualTo(new UserLookup.Found(user));
        assertThat(users.reserveUnknownAttempt(username, T0, LockoutPolicy.DEFAULT))
                .isEqualTo(AttemptReservation.KindChanged.INSTANCE);
        assertThat(users.reserveAttempt(username, T0, LockoutPolicy.DEFAULT)).isEqualTo(reserved(1, Instant.EPOCH));
    }

    @Test
    void forgetsTheFailuresOfAnUnknownNameAtTheirExpiry() {
        // One free attempt: each reservation locks, 1 s for a fresh count, the 1 min cap later on.
        LockoutPolicy policy = new LockoutPolicy(1, Duration.ofMinutes(1));
        String username = "nobody-" + randomId();
        Instant last = T0;
        for (int i = 0; i < 10; i++) {
            last = T0.plus(Duration.ofMinutes(i));
            assertThat(users.reserveUnknownAttempt(username, last, policy)).isInstanceOf(AttemptReservation.Reserved.class);
        }
        Instant expiry = policy.unknownNameExpiry(last);

        UserLookup justBefore = users.lookup(username, expiry.minusMillis(1));
        UserLookup atExpiry = users.lookup(username, expiry);
        AttemptReservation countedAfresh = users.reserveUnknownAttempt(username, expiry, policy);

        assertThat(justBefore).isEqualTo(new UserLookup.Unknown(last.plus(Duration.ofMinutes(1))));
        assertThat(atExpiry).isEqualTo(UserLookup.Unknown.NEVER_FAILED);
        assertThat(countedAfresh).isEqualTo(reserved(1, expiry.plusSeconds(1)));
        assertThat(users.reserveUnknownAttempt(username, expiry.plusSeconds(1), policy))
                .isEqualTo(reserved(2, expiry.plusSeconds(1 + 2)));
        assertThat(users.get(username)).isEmpty();
    }

    @Test
    void eachReservationOnAnUnknownNameKeepsItsCountLonger() {
        LockoutPolicy policy = new LockoutPolicy(1, Duration.ofMinutes(1));
        String username = "nobody-" + randomId();
        users.reserveUnknownAttempt(username, T0, policy);
        Instant later = T0.plus(Duration.ofMinutes(10));
        users.reserveUnknownAttempt(username, later, policy);

        AttemptReservation third = users.reserveUnknownAttempt(username, policy.unknownNameExpiry(T0), policy);

        assertThat(third).as("the third failure, not a fresh first one")
                .isEqualTo(reserved(3, policy.unknownNameExpiry(T0).plusSeconds(4)));
    }

    @Test
    void parallelReservationsOnAForgottenUnknownNameCountAfresh() throws Exception {
        LockoutPolicy policy = new LockoutPolicy(10, Duration.ofMinutes(1));
        String username = "nobody-" + randomId();
        reserveUnknown(username, T0, policy, 10);
        Instant expiry = policy.unknownNameExpiry(T0);

        List<AttemptReservation> reservations = reserveInParallel(
                () -> users.reserveUnknownAttempt(username, expiry, policy), 10);

        assertFreeAttemptsReservedThenLocked(reservations, 10, expiry.plusSeconds(1));
        assertThat(users.lookup(username, expiry)).as("ten failures since the count was forgotten")
                .isEqualTo(new UserLookup.Unknown(expiry.plusSeconds(1)));
    }

    // --- helpers ---

    /** Asserts that reservations 1..free were made, the last of them locking until {@code lock}, and that the rest found that lock. */
    private static void assertFreeAttemptsReservedThenLocked(
            List<AttemptReservation> reservations, int free, Instant lock) {
        List<AttemptReservation> expected = new ArrayList<>();
        for (int failures = 1; failures < free; failures++) {
            expected.add(reserved(failures, Instant.EPOCH));
        }
        expected.add(reserved(free, lock));
        assertThat(reservations).filteredOn(AttemptReservation.Reserved.class::isInstance)
                .as("at most the free attempts get a reservation, so at most they are hashed")
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(reservations).filteredOn(AttemptReservation.Locked.class::isInstance)
                .hasSize(reservations.size() - free)
                .allMatch(new AttemptReservation.Locked(lock)::equals);
    }

    /** Runs {@code count} reservations at once, released together, and returns what each gave. */
    private static List<AttemptReservation> reserveInParallel(Callable<AttemptReservation> reservation, int count)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<AttemptReservation>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(count)) {
            for (int i = 0; i < count; i++) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return reservation.call();
                }));
            }
            start.countDown();
            List<AttemptReservation> results = new ArrayList<>();
            for (Future<AttemptReservation> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    private List<AttemptReservation> reserve(String username, Instant now, LockoutPolicy policy, int count) {
        List<AttemptReservation> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(users.reserveAttempt(username, now, policy));
        }
        return results;
    }

    private List<AttemptReservation> reserveUnknown(String username, Instant now, LockoutPolicy policy, int count) {
        List<AttemptReservation> results = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            results.add(users.reserveUnknownAttempt(username, now, policy));
        }
        return results;
    }

    private static AttemptReservation reserved(int failures, Instant lockedUntil) {
        return new AttemptReservation.Reserved(failures, lockedUntil);
    }

    private static User withCounter(User user, int failedLogins, Instant lockedUntil) {
        return new User(user.username(), user.userId(), user.passwordHash(), user.roles(), user.permissions(),
                user.status(), failedLogins, lockedUntil);
    }

    private static User withPasswordHash(User user, String passwordHash) {
        return new User(user.username(), user.userId(), passwordHash, user.roles(), user.permissions(), user.status(),
                user.failedLogins(), user.lockedUntil());
    }

    // Session registrations and epochs (docs/API.md §10.3): what ends all of a user's sessions
    // without trusting the eventually consistent sessions index.

    @Test
    void closingTheSessionEpochTakesTheSessionsRegisteredInItOnce() {
        User user = newUser();
        users.create(user);
        Instant expiry = T0.plus(Duration.ofHours(8));
        users.registerSession(user, "session-a", expiry, T0);
        users.registerSession(user, "session-b", expiry, T0);

        Optional<Set<String>> closed = users.closeSessionEpoch(user.username(), user.userId(), T0);

        assertThat(closed).contains(Set.of("session-a", "session-b"));
        assertThat(users.get(user.username()).orElseThrow().sessionEpoch()).isEqualTo(1);
        assertThat(users.closeSessionEpoch(user.username(), user.userId(), T0)).contains(Set.of());
        assertThat(users.get(user.username()).orElseThrow().sessionEpoch()).isEqualTo(2);
    }

    @Test
    void aRegistrationAgainstAReadFromBeforeTheEpochClosedIsRefusedAndNotKept() {
        User readBefore = newUser();
        users.create(readBefore);
        users.closeSessionEpoch(readBefore.username(), readBefore.userId(), T0);

        boolean registered = users.registerSession(readBefore, "late-session", T0.plus(Duration.ofHours(8)), T0);

        assertThat(registered).isFalse();
        assertThat(users.closeSessionEpoch(readBefore.username(), readBefore.userId(), T0)).contains(Set.of());
    }

    @Test
    void aRegistrationAgainstTheCurrentEpochIsKept() {
        User user = newUser();
        users.create(user);
        users.closeSessionEpoch(user.username(), user.userId(), T0);
        User readAfter = users.get(user.username()).orElseThrow();

        boolean registered = users.registerSession(readAfter, "new-session", T0.plus(Duration.ofHours(8)), T0);

        assertThat(registered).isTrue();
        assertThat(users.closeSessionEpoch(user.username(), user.userId(), T0)).contains(Set.of("new-session"));
    }

    @Test
    void registrationsPastTheirAbsoluteExpiryAreNotTakenAndAreDroppedByTheNextRegistration() {
        User user = newUser();
        users.create(user);
        users.registerSession(user, "short", T0.plusSeconds(10), T0);
        users.registerSession(user, "long", T0.plus(Duration.ofHours(8)), T0);

        Instant later = T0.plusSeconds(10);
        users.registerSession(user, "newer", later.plus(Duration.ofHours(8)), later);

        assertThat(users.closeSessionEpoch(user.username(), user.userId(), later)).contains(Set.of("long", "newer"));
    }

    @Test
    void sessionEpochsAndRegistrationsChangeNothingElseOfTheUser() {
        User user = newUser();
        users.create(user);
        users.reserveAttempt(user.username(), T0, LockoutPolicy.DEFAULT);

        users.registerSession(users.get(user.username()).orElseThrow(), "session-a", T0.plus(Duration.ofHours(8)), T0);
        users.closeSessionEpoch(user.username(), user.userId(), T0);

        User after = users.get(user.username()).orElseThrow();
        assertThat(after).isEqualTo(new User(user.username(), user.userId(), user.passwordHash(), user.roles(),
                user.permissions(), user.status(), 1, Instant.EPOCH, 1));
    }

    @Test
    void loginAttemptsAndTheirResetKeepTheSessionsRegistered() {
        User user = newUser();
        users.create(user);
        users.registerSession(user, "session-a", T0.plus(Duration.ofHours(8)), T0);

        // the next login: its attempt is reserved, then given back by its success
        users.reserveAttempt(user.username(), T0, LockoutPolicy.DEFAULT);
        users.recordSuccessfulLogin(user.username());
        users.replacePasswordHash(user.username(), user.passwordHash());

        assertThat(users.closeSessionEpoch(user.username(), user.userId(), T0)).contains(Set.of("session-a"));
    }

    @Test
    void aRecreatedUserOrAnUnknownNameHasNoEpochToCloseOrRegisterIn() {
        User user = newUser();
        users.create(user);
        User sameNameOtherId = new User(user.username(), randomId(), user.passwordHash(), user.roles(),
                user.permissions(), user.status(), 0, Instant.EPOCH);
        String unknown = "nobody-" + randomId();
        users.reserveUnknownAttempt(unknown, T0, LockoutPolicy.DEFAULT);

        assertThat(users.closeSessionEpoch(user.username(), sameNameOtherId.userId(), T0)).isEmpty();
        assertThat(users.registerSession(sameNameOtherId, "session-a", T0.plus(Duration.ofHours(8)), T0)).isFalse();
        assertThat(users.closeSessionEpoch(unknown, randomId(), T0)).isEmpty();
        assertThat(users.get(user.username())).contains(user);
        assertThat(users.get(unknown)).isEmpty();
    }

    @Test
    void aConditionalHashReplacementWritesOnlyOverTheHashItRead() {
        User read = newUser();
        assertThat(users.create(read)).isTrue();
        assertThat(users.replacePasswordHash(read.username(), "$argon2id$v=19$m=19456,t=2,p=1$cmVzZXQ$cmVzZXQ")).isTrue();

        // A change that read the user before that reset must not write over it.
        assertThat(users.replacePasswordHash(read, "$argon2id$v=19$m=19456,t=2,p=1$c3RhbGU$c3RhbGU")).isFalse();
        assertThat(users.get(read.username())).map(User::passwordHash).hasValue("$argon2id$v=19$m=19456,t=2,p=1$cmVzZXQ$cmVzZXQ");

        User fresh = users.get(read.username()).orElseThrow();
        assertThat(users.replacePasswordHash(fresh, "$argon2id$v=19$m=19456,t=2,p=1$bmV3$bmV3")).isTrue();
        assertThat(users.get(read.username())).map(User::passwordHash).hasValue("$argon2id$v=19$m=19456,t=2,p=1$bmV3$bmV3");
    }
}
