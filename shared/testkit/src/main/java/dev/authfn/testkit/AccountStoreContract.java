package dev.authfn.testkit;

import static dev.authfn.testkit.SessionStoreContract.randomId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.account.AccountStore;
import dev.authfn.core.account.MailToken;
import dev.authfn.core.account.Registration;
import dev.authfn.core.account.StoredToken;
import dev.authfn.core.user.AttemptReservation;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AccountStore} must do, over the user store it keeps its items beside. A
 * store's test class extends this and supplies both over one backing, and a way to remove a user
 * as an operator would (so that a user re-created under the same name is a different account).
 * Time is explicit; every test uses fresh random names and addresses.
 */
public abstract class AccountStoreContract {

    /** When the stand-ins these tests make would expire (the stores keep no clock of their own). */
    public static final java.time.Instant STAND_IN_EXPIRY = java.time.Instant.parse("2026-12-04T10:00:00Z");


    protected static final Instant T0 = SessionStoreContract.T0;
    private static final Duration TTL = Duration.ofMinutes(30);
    private static final String NEW_HASH = "$argon2id$v=19$m=19456,t=2,p=1$bmV3$bmV3";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A user store and the account store over the same items. */
    public record Backing(UserStore users, AccountStore accounts) {
    }

    private Backing backing;

    protected abstract Backing newBacking();

    /** Removes the user item of that name and nothing else (its address claim stays). */
    protected abstract void removeUser(String username);

    @BeforeEach
    void createStores() {
        backing = newBacking();
    }

    protected final UserStore users() {
        return backing.users();
    }

    protected final AccountStore accounts() {
        return backing.accounts();
    }

    /** A new, unverified user with a random name and address, as a sign-up makes one. */
    public static User newUser() {
        String id = randomId();
        return new User("user-" + id, randomId(), "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA", Set.of("user"),
                Set.of("posts:read"), UserStatus.ACTIVE, 0, Instant.EPOCH, 0, "Mail-" + id + "@example.com", false);
    }

    private static User withAddress(User user, String email) {
        return new User(user.username(), user.userId(), user.passwordHash(), user.roles(), user.permissions(),
                user.status(), user.failedLogins(), user.lockedUntil(), user.sessionEpoch(), email, user.emailVerified());
    }

    private static User withName(User user, String username) {
        return new User(username, user.userId(), user.passwordHash(), user.roles(), user.permissions(), user.status(),
                user.failedLogins(), user.lockedUntil(), user.sessionEpoch(), user.email(), user.emailVerified());
    }

    private User registered() {
        User user = newUser();
        assertThat(accounts().register(user, STAND_IN_EXPIRY)).isEqualTo(Registration.CREATED);
        return user;
    }

    /** A token of {@code user} for its current address, unspent, expiring {@link #TTL} after T0. */
    private static StoredToken tokenOf(User user, MailToken.Kind kind) {
        return new StoredToken(MailToken.generate(RANDOM).hash(), kind, user.username(), user.userId(), user.email(), 0,
                T0.plus(TTL), false);
    }

    /** Issues a token and reads it back as the service does before spending it. */
    private StoredToken issued(User user, MailToken.Kind kind) {
        StoredToken token = tokenOf(user, kind);
        assertThat(accounts().issue(token)).isTrue();
        return accounts().token(token.hash()).orElseThrow();
    }

    // --- register ---

    @Test
    void registersTheUserAndTheClaimOnItsAddress() {
        User user = newUser();

        assertThat(accounts().register(user, STAND_IN_EXPIRY)).isEqualTo(Registration.CREATED);

        assertThat(users().get(user.username())).contains(user);
        assertThat(accounts().findByEmail(user.email())).contains(user);
    }

    @Test
    void refusesATakenUsernameAndWritesNothing() {
        User first = registered();
        User second = withAddress(newUser(), "other-" + randomId() + "@example.com");
        User sameName = withName(second, first.username());

        assertThat(accounts().register(sameName, STAND_IN_EXPIRY)).isEqualTo(Registration.USERNAME_TAKEN);

        assertThat(users().get(first.username())).contains(first);
        assertThat(accounts().findByEmail(sameName.email())).isEmpty();
        assertThat(accounts().register(second, STAND_IN_EXPIRY)).as("the address stayed free").isEqualTo(Registration.CREATED);
    }

    @Test
    void aTakenAddressLeavesItsHolderAloneAndHoldsTheNameWithAnUnverifiedStandIn() {
        User first = registered();
        User sameAddress = withAddress(newUser(), first.email());

        assertThat(accounts().register(sameAddress, STAND_IN_EXPIRY)).isEqualTo(Registration.EMAIL_TAKEN);

        assertThat(users().get(sameAddress.username())).hasValueSatisfying(standIn -> {
            assertThat(standIn.userId()).isEqualTo(sameAddress.userId());
            assertThat(standIn.passwordHash()).isEqualTo(sameAddress.passwordHash());
            assertThat(standIn.hasEmail()).isFalse();
            assertThat(standIn.emailVerified()).isFalse();
        });
        assertThat(accounts().findByEmail(first.email())).contains(first);
        assertThat(accounts().register(withAddress(sameAddress, "free-" + randomId() + "@example.com"), STAND_IN_EXPIRY))
                .as("the name is held, as a new account's would be").isEqualTo(Registration.USERNAME_TAKEN);
    }

    @Test
    void aTakenUsernameIsSaidBeforeATakenAddress() {
        User first = registered();

        assertThat(accounts().register(withName(withAddress(newUser(), first.email()), first.username()), STAND_IN_EXPIRY))
                .isEqualTo(Registration.USERNAME_TAKEN);
    }

    @Test
    void failuresCountedForAnUnknownNameDoNotBlockItsRegistration() {
        User user = newUser();
        for (int i = 0; i < LockoutPolicy.DEFAULT.freeAttempts(); i++) {
            users().reserveUnknownAttempt(user.username(), T0, LockoutPolicy.DEFAULT);
        }

        assertThat(accounts().register(user, STAND_IN_EXPIRY)).isEqualTo(Registration.CREATED);

        assertThat(users().get(user.username())).contains(user);
        assertThat(users().get(user.username()).orElseThrow().failedLogins()).isZero();
    }

    @Test
    void refusesToRegisterAUserWithoutAddress() {
        User user = withAddress(newUser(), "");

        assertThatThrownBy(() -> accounts().register(user, STAND_IN_EXPIRY)).isInstanceOf(IllegalArgumentException.class);
        assertThat(users().get(user.username())).isEmpty();
    }

    @Test
    void findsByTheExactNormalisedAddressOnly() {
        User user = registered();

        assertThat(accounts().findByEmail(user.email())).contains(user);
        assertThat(accounts().findByEmail(user.email().toLowerCase())).as("the local part's case counts").isEmpty();
        assertThat(accounts().findByEmail("nobody-" + randomId() + "@example.com")).isEmpty();
    }

    @Test
    void findsNoOneWhenTheClaimingUserIsGoneOrHasAnotherAddressNow() {
        User user = registered();
        removeUser(user.username());

        assertThat(accounts().findByEmail(user.email())).isEmpty();

        users().create(withAddress(user, "moved-" + randomId() + "@example.com"));
        assertThat(accounts().findByEmail(user.email())).isEmpty();
    }

    // --- tokens ---

    @Test
    void readsAnIssuedTokenBackByItsHash() {
        User user = registered();
        StoredToken token = tokenOf(user, MailToken.Kind.VERIFY_EMAIL);

        assertThat(accounts().issue(token)).isTrue();

        assertThat(accounts().token(token.hash())).contains(token);
        assertThat(accounts().token(MailToken.generate(RANDOM).hash())).isEmpty();
    }

    @Test
    void aResetTokenTakesTheUsersNextGeneration() {
        User user = registered();

        StoredToken first = issued(user, MailToken.Kind.RESET_PASSWORD);
        StoredToken second = issued(user, MailToken.Kind.RESET_PASSWORD);

        assertThat(first.generation()).isEqualTo(1);
        assertThat(second.generation()).isEqualTo(2);
        assertThat(second).usingRecursiveComparison().ignoringFields("hash", "generation")
                .isEqualTo(tokenOf(user, MailToken.Kind.RESET_PASSWORD));
    }

    @Test
    void issuesNothingForAUserThatIsNotThereOrHasAnotherId() {
        User user = registered();
        User stranger = newUser();
        User impostor = new User(user.username(), randomId(), user.passwordHash(), user.roles(), user.permissions(),
                user.status(), 0, Instant.EPOCH, 0, user.email(), false);

        for (MailToken.Kind kind : MailToken.Kind.values()) {
            StoredToken forStranger = tokenOf(stranger, kind);
            StoredToken forImpostor = tokenOf(impostor, kind);

            assertThat(accounts().issue(forStranger)).as(kind + " for no user").isFalse();
            assertThat(accounts().issue(forImpostor)).as(kind + " for another id").isFalse();
            assertThat(accounts().token(forStranger.hash())).isEmpty();
            assertThat(accounts().token(forImpostor.hash())).isEmpty();
        }
    }

    @Test
    void neverIssuesTwoTokensUnderOneHash() {
        User user = registered();
        StoredToken token = tokenOf(user, MailToken.Kind.VERIFY_EMAIL);
        accounts().issue(token);

        StoredToken again = new StoredToken(token.hash(), MailToken.Kind.VERIFY_EMAIL, user.username(), user.userId(),
                user.email(), 0, T0.plus(Duration.ofDays(9)), false);

        assertThat(accounts().issue(again)).isFalse();
        assertThat(accounts().token(token.hash())).contains(token);
    }

    // --- verify ---

    @Test
    void verifyingSpendsTheTokenAndMarksTheAddressVerifiedOnce() {
        User user = registered();
        StoredToken token = issued(user, MailToken.Kind.VERIFY_EMAIL);

        assertThat(accounts().verifyEmail(token, T0)).isTrue();
        assertThat(accounts().verifyEmail(token, T0)).isFalse();

        assertThat(users().get(user.username()).orElseThrow().emailVerified()).isTrue();
        assertThat(accounts().token(token.hash()).orElseThrow().spent()).isTrue();
    }

    @Test
    void verifyingChangesNothingButTheFlag() {
        User user = registered();

        accounts().verifyEmail(issued(user, MailToken.Kind.VERIFY_EMAIL), T0);

        assertThat(users().get(user.username())).contains(new User(user.username(), user.userId(), user.passwordHash(),
                user.roles(), user.permissions(), user.status(), 0, Instant.EPOCH, 0, user.email(), true));
    }

    @Test
    void refusesAVerificationTokenAtAndAfterItsExpiry() {
        User user = registered();
        StoredToken token = issued(user, MailToken.Kind.VERIFY_EMAIL);

        assertThat(accounts().verifyEmail(token, token.expiresAt())).isFalse();
        assertThat(accounts().verifyEmail(token, token.expiresAt().plusSeconds(3600))).isFalse();
        assertThat(users().get(user.username()).orElseThrow().emailVerified()).isFalse();
        assertThat(accounts().verifyEmail(token, token.expiresAt().minusMillis(1))).isTrue();
    }

    @Test
    void refusesToVerifyWithAResetToken() {
        User user = registered();
        StoredToken reset = issued(user, MailToken.Kind.RESET_PASSWORD);

        assertThat(accounts().verifyEmail(reset, T0)).isFalse();

        assertThat(users().get(user.username()).orElseThrow().emailVerified()).isFalse();
        assertThat(accounts().token(reset.hash()).orElseThrow().spent()).isFalse();
        assertThat(accounts().resetPassword(reset, NEW_HASH, T0)).as("still good for its own kind").isTrue();
    }

    @Test
    void refusesATokenWhoseKindWasChangedOnTheWay() {
        User user = registered();
        StoredToken reset = issued(user, MailToken.Kind.RESET_PASSWORD);
        StoredToken relabelled = new StoredToken(reset.hash(), MailToken.Kind.VERIFY_EMAIL, reset.username(),
                reset.userId(), reset.email(), reset.generation(), reset.expiresAt(), false);

        assertThat(accounts().verifyEmail(relabelled, T0)).isFalse();
        assertThat(users().get(user.username()).orElseThrow().emailVerified()).isFalse();
    }

    @Test
    void refusesToVerifyForAUserReCreatedUnderTheSameName() {
        User user = registered();
        StoredToken token = issued(user, MailToken.Kind.VERIFY_EMAIL);
        removeUser(user.username());
        User successor = new User(user.username(), randomId(), user.passwordHash(), user.roles(), user.permissions(),
                user.status(), 0, Instant.EPOCH, 0, user.email(), false);
        users().create(successor);

        assertThat(accounts().verifyEmail(token, T0)).isFalse();
        assertThat(users().get(user.username())).contains(successor);
    }

    @Test
    void refusesToVerifyAnAddressTheUserNoLongerHas() {
        User user = registered();
        StoredToken token = issued(user, MailToken.Kind.VERIFY_EMAIL);
        removeUser(user.username());
        users().create(withAddress(user, "new-" + randomId() + "@example.com"));

        assertThat(accounts().verifyEmail(token, T0)).isFalse();
        assertThat(users().get(user.username()).orElseThrow().emailVerified()).isFalse();
    }

    @Test
    void tenParallelVerificationsWithOneTokenSucceedOnce() throws Exception {
        User user = registered();
        StoredToken token = issued(user, MailToken.Kind.VERIFY_EMAIL);

        assertThat(inParallel(10, () -> accounts().verifyEmail(token, T0))).containsOnlyOnce(true)
                .filteredOn(won -> !won).hasSize(9);
    }

    // --- reset ---

    @Test
    void resettingSetsTheHashClearsTheLockoutVerifiesTheAddressAndSpendsTheTokenOnce() {
        User user = registered();
        for (int i = 0; i < LockoutPolicy.DEFAULT.freeAttempts(); i++) {
            users().reserveAttempt(user.username(), T0, LockoutPolicy.DEFAULT);
        }
        assertThat(users().get(user.username()).orElseThrow().isLockedAt(T0)).isTrue();
        StoredToken token = issued(user, MailToken.Kind.RESET_PASSWORD);

        assertThat(accounts().resetPassword(token, NEW_HASH, T0)).isTrue();
        assertThat(accounts().resetPassword(token, "$argon2id$second", T0)).isFalse();

        assertThat(users().get(user.username())).contains(new User(user.username(), user.userId(), NEW_HASH,
                user.roles(), user.permissions(), user.status(), 0, Instant.EPOCH, 0, user.email(), true));
        assertThat(accounts().token(token.hash()).orElseThrow().spent()).isTrue();
        assertThat(users().reserveAttempt(user.username(), T0, LockoutPolicy.DEFAULT))
                .isEqualTo(new AttemptReservation.Reserved(1, Instant.EPOCH));
    }

    @Test
    void aNewerResetTokenVoidsTheOlder() {
        User user = registered();
        StoredToken older = issued(user, MailToken.Kind.RESET_PASSWORD);
        StoredToken newer = issued(user, MailToken.Kind.RESET_PASSWORD);

        assertThat(accounts().resetPassword(older, NEW_HASH, T0)).isFalse();
        assertThat(users().get(user.username()).orElseThrow().passwordHash()).isEqualTo(user.passwordHash());
        assertThat(accounts().resetPassword(newer, NEW_HASH, T0)).isTrue();
    }

    @Test
    void aResetVoidsEveryOtherResetTokenOfTheUser() {
        User user = registered();
        StoredToken used = issued(user, MailToken.Kind.RESET_PASSWORD);
        accounts().resetPassword(used, NEW_HASH, T0);
        StoredToken later = issued(user, MailToken.Kind.RESET_PASSWORD);

        assertThat(later.generation()).isEqualTo(3);
        assertThat(accounts().resetPassword(later, "$argon2id$later", T0)).isTrue();
    }

    @Test
    void refusesAResetTokenAtAndAfterItsExpiry() {
        User user = registered();
        StoredToken token = issued(user, MailToken.Kind.RESET_PASSWORD);

        assertThat(accounts().resetPassword(token, NEW_HASH, token.expiresAt())).isFalse();
        assertThat(accounts().resetPassword(token, NEW_HASH, token.expiresAt().plusMillis(1))).isFalse();
        assertThat(users().get(user.username()).orElseThrow().passwordHash()).isEqualTo(user.passwordHash());
        assertThat(accounts().resetPassword(token, NEW_HASH, token.expiresAt().minusMillis(1))).isTrue();
    }

    @Test
    void refusesToResetWithAVerificationToken() {
        User user = registered();
        StoredToken verify = issued(user, MailToken.Kind.VERIFY_EMAIL);

        assertThat(accounts().resetPassword(verify, NEW_HASH, T0)).isFalse();

        assertThat(users().get(user.username())).contains(user);
        assertThat(accounts().token(verify.hash()).orElseThrow().spent()).isFalse();
    }

    @Test
    void refusesToResetForAUserReCreatedUnderTheSameName() {
        User user = registered();
        StoredToken token = issued(user, MailToken.Kind.RESET_PASSWORD);
        removeUser(user.username());
        User successor = new User(user.username(), randomId(), user.passwordHash(), user.roles(), user.permissions(),
                user.status(), 0, Instant.EPOCH, 0, user.email(), false);
        users().create(successor);

        assertThat(accounts().resetPassword(token, NEW_HASH, T0)).isFalse();
        assertThat(users().get(user.username())).contains(successor);
    }

    @Test
    void tenParallelResetsWithOneTokenSucceedOnce() throws Exception {
        User user = registered();
        StoredToken token = issued(user, MailToken.Kind.RESET_PASSWORD);

        List<Boolean> results = inParallel(10, () -> accounts().resetPassword(token, NEW_HASH, T0));

        assertThat(results).containsOnlyOnce(true).filteredOn(won -> !won).hasSize(9);
    }

    // --- mail counts ---

    @Test
    void countsUpToTheLimitPerHourAndStartsAfreshEachHour() {
        String key = "reset:" + randomId() + "@example.com";
        Instant hour = T0.truncatedTo(ChronoUnit.HOURS);

        assertThat(accounts().countMail(key, hour, 3)).isTrue();
        assertThat(accounts().countMail(key, T0, 3)).isTrue();
        assertThat(accounts().countMail(key, hour.plusSeconds(3599), 3)).isTrue();
        assertThat(accounts().countMail(key, hour.plusMillis(3_599_999), 3)).isFalse();
        assertThat(accounts().countMail(key, hour.plusSeconds(3600), 3)).isTrue();
        assertThat(accounts().countMail("verify:" + key, hour, 1)).as("another key counts apart").isTrue();
        assertThat(accounts().countMail("verify:" + key, hour, 1)).isFalse();
    }

    @Test
    void aRefusedMailIsNotCounted() {
        String key = "reset:" + randomId() + "@example.com";
        accounts().countMail(key, T0, 1);

        assertThat(accounts().countMail(key, T0, 1)).isFalse();
        assertThat(accounts().countMail(key, T0, 2)).as("the refusal did not count").isTrue();
        assertThat(accounts().countMail(key, T0, 2)).isFalse();
    }

    private static List<Boolean> inParallel(int n, Callable<Boolean> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<Boolean> results = new ArrayList<>();
            for (Future<Boolean> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
