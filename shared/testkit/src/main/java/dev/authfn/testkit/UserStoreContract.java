package dev.authfn.testkit;

import static dev.authfn.testkit.SessionStoreContract.randomId;
import static org.assertj.core.api.Assertions.assertThat;

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
    void countsFailuresWithoutLockingBelowThePolicyThreshold() {
        User user = newUser();
        users.create(user);

        Optional<User> after = Optional.empty();
        for (int i = 0; i < 4; i++) {
            after = users.recordFailedLogin(user.username(), T0, LockoutPolicy.DEFAULT);
        }

        assertThat(after.orElseThrow().failedLogins()).isEqualTo(4);
        assertThat(after.orElseThrow().lockedUntil()).isEqualTo(Instant.EPOCH);
        assertThat(users.get(user.username()).orElseThrow().failedLogins()).isEqualTo(4);
    }

    @Test
    void locksForOneSecondAtTheFifthFailureAndDoublesWithEachFurtherOne() {
        User user = newUser();
        users.create(user);
        for (int i = 0; i < 4; i++) {
            users.recordFailedLogin(user.username(), T0, LockoutPolicy.DEFAULT);
        }

        User fifth = users.recordFailedLogin(user.username(), T0, LockoutPolicy.DEFAULT).orElseThrow();
        User sixth = users.recordFailedLogin(user.username(), T0.plusSeconds(2), LockoutPolicy.DEFAULT).orElseThrow();
        User seventh = users.recordFailedLogin(user.username(), T0.plusSeconds(5), LockoutPolicy.DEFAULT).orElseThrow();

        assertThat(fifth.lockedUntil()).isEqualTo(T0.plusSeconds(1));
        assertThat(sixth.lockedUntil()).isEqualTo(T0.plusSeconds(2 + 2));
        assertThat(seventh.lockedUntil()).isEqualTo(T0.plusSeconds(5 + 4));
        assertThat(seventh.failedLogins()).isEqualTo(7);
        assertThat(users.get(user.username())).contains(seventh);
    }

    @Test
    void capsTheLockAtThePolicyMaximum() {
        LockoutPolicy policy = new LockoutPolicy(1, Duration.ofMinutes(1));
        User user = newUser();
        users.create(user);

        User last = null;
        for (int i = 0; i < 10; i++) {
            last = users.recordFailedLogin(user.username(), T0, policy).orElseThrow();
        }

        assertThat(last.failedLogins()).isEqualTo(10);
        assertThat(last.lockedUntil()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
    }

    @Test
    void neverShortensALockThatStands() {
        User user = newUser();
        users.create(user);
        for (int i = 0; i < 6; i++) {
            users.recordFailedLogin(user.username(), T0, LockoutPolicy.DEFAULT);
        }

        // A caller whose clock runs ten seconds behind earns a lock that ends before the one standing.
        User after = users.recordFailedLogin(user.username(), T0.minusSeconds(10), LockoutPolicy.DEFAULT).orElseThrow();

        assertThat(after.failedLogins()).isEqualTo(7);
        assertThat(after.lockedUntil()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void failedLoginOfAnUnknownUserCreatesNothing() {
        String username = "nobody-" + randomId();

        assertThat(users.recordFailedLogin(username, T0, LockoutPolicy.DEFAULT)).isEmpty();
        assertThat(users.get(username)).isEmpty();
    }

    @Test
    void successfulLoginClearsTheCountAndTheLock() {
        User user = newUser();
        users.create(user);
        for (int i = 0; i < 6; i++) {
            users.recordFailedLogin(user.username(), T0, LockoutPolicy.DEFAULT);
        }

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
    void twentyConcurrentFailedLoginsCountTwenty() throws Exception {
        User user = newUser();
        users.create(user);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<User>>> results = new ArrayList<>();

        try (ExecutorService threads = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                results.add(threads.submit(() -> {
                    start.await();
                    return users.recordFailedLogin(user.username(), T0, LockoutPolicy.DEFAULT);
                }));
            }
            start.countDown();
            for (Future<Optional<User>> result : results) {
                assertThat(result.get()).isPresent();
            }
        }

        User after = users.get(user.username()).orElseThrow();
        assertThat(after.failedLogins()).isEqualTo(20);
        assertThat(after.lockedUntil()).isEqualTo(T0.plus(LockoutPolicy.DEFAULT.lockAfter(20)));
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

        List<Optional<Instant>> firstFour = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            firstFour.add(users.recordUnknownFailure(username, T0, LockoutPolicy.DEFAULT));
        }
        Optional<Instant> fifth = users.recordUnknownFailure(username, T0, LockoutPolicy.DEFAULT);
        UserLookup lookedUp = users.lookup(username, T0);
        Optional<Instant> sixth = users.recordUnknownFailure(username, T0.plusSeconds(2), LockoutPolicy.DEFAULT);

        assertThat(firstFour).containsOnly(Optional.of(Instant.EPOCH));
        assertThat(fifth).contains(T0.plusSeconds(1));
        assertThat(lookedUp).isEqualTo(new UserLookup.Unknown(T0.plusSeconds(1)));
        assertThat(sixth).contains(T0.plusSeconds(2 + 2));
        assertThat(users.lookup(username, T0.plusSeconds(2))).isEqualTo(new UserLookup.Unknown(T0.plusSeconds(4)));
    }

    @Test
    void neverShortensAnUnknownNameLockThatStands() {
        String username = "nobody-" + randomId();
        for (int i = 0; i < 6; i++) {
            users.recordUnknownFailure(username, T0, LockoutPolicy.DEFAULT);
        }

        Optional<Instant> after = users.recordUnknownFailure(username, T0.minusSeconds(10), LockoutPolicy.DEFAULT);

        assertThat(after).contains(T0.plusSeconds(2));
    }

    @Test
    void twentyConcurrentFailuresOfAnUnknownNameCountTwenty() throws Exception {
        // Locks first at the 20th failure (1 s) and for 2 s at the 21st: a lost or an extra
        // count shows in the lock.
        LockoutPolicy policy = new LockoutPolicy(20, Duration.ofMinutes(15));
        String username = "nobody-" + randomId();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<Instant>>> results = new ArrayList<>();

        try (ExecutorService threads = Executors.newFixedThreadPool(20)) {
            for (int i = 0; i < 20; i++) {
                results.add(threads.submit(() -> {
                    start.await();
                    return users.recordUnknownFailure(username, T0, policy);
                }));
            }
            start.countDown();
            for (Future<Optional<Instant>> result : results) {
                assertThat(result.get()).isPresent();
            }
        }

        assertThat(users.lookup(username, T0)).isEqualTo(new UserLookup.Unknown(T0.plusSeconds(1)));
        assertThat(users.recordUnknownFailure(username, T0.plusSeconds(1), policy)).contains(T0.plusSeconds(1 + 2));
        assertThat(users.get(username)).isEmpty();
    }

    @Test
    void failuresOfAnUnknownNameNeverMakeAUser() {
        String username = "nobody-" + randomId();
        for (int i = 0; i < 10; i++) {
            users.recordUnknownFailure(username, T0, LockoutPolicy.DEFAULT);
        }

        assertThat(users.get(username)).isEmpty();
        assertThat(users.replacePasswordHash(username, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA")).isFalse();
        assertThat(users.recordFailedLogin(username, T0, LockoutPolicy.DEFAULT)).isEmpty();
        users.recordSuccessfulLogin(username);
        assertThat(users.disable(username)).isFalse();

        assertThat(users.get(username)).isEmpty();
        assertThat(users.lookup(username, T0))
                .as("the user methods changed nothing, not even the count")
                .isEqualTo(new UserLookup.Unknown(T0.plus(LockoutPolicy.DEFAULT.lockAfter(10))));
    }

    @Test
    void failuresOfAnUnknownNameNeverTouchAUserOfThatName() {
        User user = newUser();
        users.create(user);

        assertThat(users.recordUnknownFailure(user.username(), T0, LockoutPolicy.DEFAULT)).isEmpty();

        assertThat(users.get(user.username())).contains(user);
    }

    @Test
    void createsAUserOverCountedFailuresAndTheUserStartsUnlocked() {
        String username = "nobody-" + randomId();
        for (int i = 0; i < 10; i++) {
            users.recordUnknownFailure(username, T0, LockoutPolicy.DEFAULT);
        }
        User user = new User(username, randomId(), "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
                Set.of("user"), Set.of(), UserStatus.ACTIVE, 0, Instant.EPOCH);

        assertThat(users.create(user)).isTrue();

        assertThat(users.get(username)).contains(user);
        assertThat(users.lookup(username, T0)).isEqualTo(new UserLookup.Found(user));
        assertThat(users.recordUnknownFailure(username, T0, LockoutPolicy.DEFAULT)).isEmpty();
        assertThat(users.recordFailedLogin(username, T0, LockoutPolicy.DEFAULT).orElseThrow().failedLogins())
                .isEqualTo(1);
    }

    @Test
    void forgetsTheFailuresOfAnUnknownNameAtTheirExpiry() {
        // One free attempt, so a fresh count locks for 1 s and a continued one for the 1 min cap.
        LockoutPolicy policy = new LockoutPolicy(1, Duration.ofMinutes(1));
        String username = "nobody-" + randomId();
        for (int i = 0; i < 10; i++) {
            users.recordUnknownFailure(username, T0, policy);
        }
        Instant expiry = policy.unknownNameExpiry(T0);

        UserLookup justBefore = users.lookup(username, expiry.minusMillis(1));
        UserLookup atExpiry = users.lookup(username, expiry);
        Optional<Instant> countedAfresh = users.recordUnknownFailure(username, expiry, policy);

        assertThat(justBefore).isEqualTo(new UserLookup.Unknown(T0.plus(Duration.ofMinutes(1))));
        assertThat(atExpiry).isEqualTo(UserLookup.Unknown.NEVER_FAILED);
        assertThat(countedAfresh).contains(expiry.plusSeconds(1));
        assertThat(users.recordUnknownFailure(username, expiry, policy)).contains(expiry.plusSeconds(2));
        assertThat(users.get(username)).isEmpty();
    }

    @Test
    void eachFailureOfAnUnknownNameKeepsItsCountLonger() {
        LockoutPolicy policy = new LockoutPolicy(1, Duration.ofMinutes(1));
        String username = "nobody-" + randomId();
        users.recordUnknownFailure(username, T0, policy);
        Instant later = T0.plus(Duration.ofMinutes(10));
        users.recordUnknownFailure(username, later, policy);

        Optional<Instant> third = users.recordUnknownFailure(username, policy.unknownNameExpiry(T0), policy);

        assertThat(third).as("the third failure, not a fresh first one")
                .contains(policy.unknownNameExpiry(T0).plusSeconds(4));
    }

    @Test
    void concurrentFailuresOfAForgottenUnknownNameCountAfresh() throws Exception {
        LockoutPolicy policy = new LockoutPolicy(10, Duration.ofMinutes(1));
        String username = "nobody-" + randomId();
        for (int i = 0; i < 15; i++) {
            users.recordUnknownFailure(username, T0, policy);
        }
        Instant expiry = policy.unknownNameExpiry(T0);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<Instant>>> results = new ArrayList<>();

        try (ExecutorService threads = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 10; i++) {
                results.add(threads.submit(() -> {
                    start.await();
                    return users.recordUnknownFailure(username, expiry, policy);
                }));
            }
            start.countDown();
            for (Future<Optional<Instant>> result : results) {
                assertThat(result.get()).isPresent();
            }
        }

        assertThat(users.lookup(username, expiry)).as("ten failures since the count was forgotten")
                .isEqualTo(new UserLookup.Unknown(expiry.plusSeconds(1)));
    }

    private static User withPasswordHash(User user, String passwordHash) {
        return new User(user.username(), user.userId(), passwordHash, user.roles(), user.permissions(), user.status(),
                user.failedLogins(), user.lockedUntil());
    }
}
