package dev.authfn.testkit;

import static dev.authfn.testkit.SessionStoreContract.randomId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.account.AccountStore;
import dev.authfn.core.account.MailToken;
import dev.authfn.core.account.Registration;
import dev.authfn.core.account.StoredToken;
import dev.authfn.core.mfa.MfaStore;
import dev.authfn.core.mfa.MfaStore.Attempt;
import dev.authfn.core.mfa.MfaStore.Spend;
import dev.authfn.core.mfa.MfaStore.TotpFactor;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
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
 * What every {@link MfaStore} must do, over the user and account stores it keeps its factors
 * beside. A store's test class extends this and supplies the three over one backing, and a way to
 * remove a user as an operator would (so that a user re-created under the same name is another
 * account). Time is explicit; every test uses fresh random names.
 */
public abstract class MfaStoreContract {

    protected static final Instant T0 = SessionStoreContract.T0;
    /** The time step of T0 (RFC 6238: 30 s steps from the epoch). */
    protected static final long STEP = T0.getEpochSecond() / 30;
    private static final String SEALED = "k1.c2VhbGVkLXNlY3JldC1vbmU";
    private static final String SEALED_AGAIN = "k1.c2VhbGVkLXNlY3JldC10d28";
    private static final int PARALLEL = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A user store, and the account and second-factor stores over the same items. */
    public record Backing(UserStore users, AccountStore accounts, MfaStore mfa) {
    }

    private Backing backing;

    protected abstract Backing newBacking();

    /** Removes the user item of that name and nothing else. */
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

    protected final MfaStore mfa() {
        return backing.mfa();
    }

    /** A new user, stored. */
    protected final User stored() {
        User user = UserStoreContract.newUser();
        assertThat(users().create(user)).isTrue();
        return user;
    }

    /** A stored user with a confirmed factor: last step {@link #STEP}, the given recovery-code hashes. */
    protected final User enrolled(Set<String> recoveryCodeHashes) {
        User user = stored();
        assertThat(mfa().beginTotp(user.username(), user.userId(), SEALED, T0)).isTrue();
        assertThat(mfa().confirmTotp(user.username(), user.userId(), SEALED, STEP, recoveryCodeHashes, T0.plusSeconds(20)))
                .isTrue();
        return user;
    }

    protected final User enrolled() {
        return enrolled(codes(10));
    }

    /** {@code n} made-up recovery-code hashes. */
    protected static Set<String> codes(int n) {
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < n; i++) {
            codes.add(MailToken.generate(RANDOM).hash());
        }
        return codes;
    }

    protected static Attempt newAttempt() {
        return new Attempt(MailToken.generate(RANDOM).hash(), T0.plus(Duration.ofMinutes(5)));
    }

    private TotpFactor factorOf(User user) {
        return mfa().totp(user.username()).orElseThrow();
    }

    private boolean enrolledMark(User user) {
        return users().get(user.username()).orElseThrow().mfaEnrolled();
    }

    // --- enrolment ---

    @Test
    void aNewUserAndAnUnknownNameHaveNoFactor() {
        User user = stored();

        assertThat(mfa().totp(user.username())).isEmpty();
        assertThat(mfa().totp("nobody-" + randomId())).isEmpty();
        assertThat(enrolledMark(user)).isFalse();
    }

    @Test
    void beginningStoresAPendingFactorThatDoesNotMarkTheUserEnrolled() {
        User user = stored();

        assertThat(mfa().beginTotp(user.username(), user.userId(), SEALED, T0)).isTrue();

        assertThat(mfa().totp(user.username())).contains(new TotpFactor(user.userId(), SEALED, false, 0, 0, T0));
        assertThat(enrolledMark(user)).isFalse();
        assertThat(users().lookup(user.username(), T0)).isEqualTo(new UserLookup.Found(user));
    }

    @Test
    void beginningAgainReplacesThePendingFactor() {
        User user = stored();
        mfa().beginTotp(user.username(), user.userId(), SEALED, T0);

        assertThat(mfa().beginTotp(user.username(), user.userId(), SEALED_AGAIN, T0.plusSeconds(60))).isTrue();

        assertThat(mfa().totp(user.username()))
                .contains(new TotpFactor(user.userId(), SEALED_AGAIN, false, 0, 0, T0.plusSeconds(60)));
    }

    @Test
    void confirmingRecordsTheStepAndTheCodesAndMarksTheUserEnrolled() {
        User user = stored();
        mfa().beginTotp(user.username(), user.userId(), SEALED, T0);
        Instant confirmedAt = T0.plusSeconds(40);

        assertThat(mfa().confirmTotp(user.username(), user.userId(), SEALED, STEP, codes(10), confirmedAt)).isTrue();

        assertThat(mfa().totp(user.username()))
                .contains(new TotpFactor(user.userId(), SEALED, true, STEP, 10, confirmedAt));
        User read = users().get(user.username()).orElseThrow();
        assertThat(read.mfaEnrolled()).isTrue();
        assertThat(read).usingRecursiveComparison().ignoringFields("mfaEnrolled").isEqualTo(user);
        assertThat(users().lookup(user.username(), T0))
                .as("the login's one read tells it").isEqualTo(new UserLookup.Found(read));
    }

    @Test
    void confirmingWithTheSecretABeginningAgainReplacedConfirmsNothing() {
        User user = stored();
        mfa().beginTotp(user.username(), user.userId(), SEALED, T0);
        mfa().beginTotp(user.username(), user.userId(), SEALED_AGAIN, T0.plusSeconds(60));

        assertThat(mfa().confirmTotp(user.username(), user.userId(), SEALED, STEP, codes(10), T0.plusSeconds(70)))
                .isFalse();

        assertThat(factorOf(user).confirmed()).isFalse();
        assertThat(factorOf(user).sealedSecret()).isEqualTo(SEALED_AGAIN);
        assertThat(enrolledMark(user)).isFalse();
        assertThat(mfa().confirmTotp(user.username(), user.userId(), SEALED_AGAIN, STEP, codes(10), T0.plusSeconds(70)))
                .isTrue();
    }

    @Test
    void confirmingWithoutAPendingFactorOrTwiceIsRefused() {
        User user = stored();

        assertThat(mfa().confirmTotp(user.username(), user.userId(), SEALED, STEP, codes(10), T0)).isFalse();
        assertThat(mfa().totp(user.username())).isEmpty();
        assertThat(enrolledMark(user)).isFalse();

        mfa().beginTotp(user.username(), user.userId(), SEALED, T0);
        mfa().confirmTotp(user.username(), user.userId(), SEALED, STEP, codes(10), T0);
        TotpFactor confirmed = factorOf(user);

        assertThat(mfa().confirmTotp(user.username(), user.userId(), SEALED, STEP + 5, codes(3), T0.plusSeconds(300)))
                .isFalse();
        assertThat(factorOf(user)).isEqualTo(confirmed);
    }

    @Test
    void aConfirmedFactorIsNotReplacedByBeginningAgain() {
        User user = enrolled();
        TotpFactor confirmed = factorOf(user);

        assertThat(mfa().beginTotp(user.username(), user.userId(), SEALED_AGAIN, T0.plusSeconds(60))).isFalse();

        assertThat(factorOf(user)).isEqualTo(confirmed);
        assertThat(enrolledMark(user)).isTrue();
    }

    @Test
    void confirmingWithoutRecoveryCodesLeavesNoneToSpend() {
        User user = stored();
        mfa().beginTotp(user.username(), user.userId(), SEALED, T0);

        assertThat(mfa().confirmTotp(user.username(), user.userId(), SEALED, STEP, Set.of(), T0)).isTrue();

        assertThat(factorOf(user).recoveryCodesLeft()).isZero();
        assertThat(mfa().spendRecoveryCode(user.username(), user.userId(), "anything", Optional.empty()))
                .isEqualTo(Spend.CODE_SPENT);
    }

    @Test
    void aUserIsNeverCreatedMarkedEnrolled() {
        User user = UserStoreContract.newUser();
        User marked = new User(user.username(), user.userId(), user.passwordHash(), user.roles(), user.permissions(),
                user.status(), 0, Instant.EPOCH, 0, "", true, true);

        assertThatThrownBy(() -> users().create(marked)).isInstanceOf(IllegalArgumentException.class);
        User withAddress = new User(user.username(), user.userId(), user.passwordHash(), user.roles(),
                user.permissions(), user.status(), 0, Instant.EPOCH, 0, "m-" + randomId() + "@example.com", false, true);
        assertThatThrownBy(() -> accounts().register(withAddress, T0)).isInstanceOf(IllegalArgumentException.class);

        assertThat(users().get(user.username())).isEmpty();
        assertThat(accounts().findByEmail(withAddress.email())).isEmpty();
    }

    // --- time steps ---

    @Test
    void aTimeStepIsSpentOnceAndOnlyAboveTheLastUsedOne() {
        User user = enrolled();

        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP, Optional.empty()))
                .as("the step that confirmed the factor").isEqualTo(Spend.CODE_SPENT);
        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.empty())).isEqualTo(Spend.SPENT);
        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.empty()))
                .isEqualTo(Spend.CODE_SPENT);
        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP - 1, Optional.empty()))
                .isEqualTo(Spend.CODE_SPENT);
        assertThat(factorOf(user).lastStep()).isEqualTo(STEP + 1);
        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP + 3, Optional.empty())).isEqualTo(Spend.SPENT);
        assertThat(factorOf(user).lastStep()).isEqualTo(STEP + 3);
    }

    @Test
    void spendingChangesNothingButTheLastStep() {
        User user = enrolled();
        TotpFactor before = factorOf(user);

        mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.of(newAttempt()));

        assertThat(factorOf(user)).isEqualTo(new TotpFactor(before.userId(), before.sealedSecret(), true, STEP + 1,
                before.recoveryCodesLeft(), before.enrolledAt()));
        assertThat(users().get(user.username()).orElseThrow())
                .usingRecursiveComparison().ignoringFields("mfaEnrolled").isEqualTo(user);
    }

    @Test
    void thereIsNoFactorToSpendWithoutOneOrWhileItIsPending() {
        User none = stored();
        User pending = stored();
        mfa().beginTotp(pending.username(), pending.userId(), SEALED, T0);

        for (User user : List.of(none, pending)) {
            Attempt attempt = newAttempt();
            assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP, Optional.empty()))
                    .isEqualTo(Spend.NO_FACTOR);
            assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP, Optional.of(attempt)))
                    .isEqualTo(Spend.NO_FACTOR);
            assertThat(mfa().spendRecoveryCode(user.username(), user.userId(), "code", Optional.of(attempt)))
                    .isEqualTo(Spend.NO_FACTOR);
            assertAttemptUnspent(attempt);
        }
        assertThat(factorOf(pending)).isEqualTo(new TotpFactor(pending.userId(), SEALED, false, 0, 0, T0));
    }

    @Test
    void aStepFromTenParallelRequestsIsSpentOnce() throws Exception {
        User user = enrolled();

        List<Spend> spends = inParallel(PARALLEL,
                () -> mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.empty()));

        assertThat(spends).containsOnlyOnce(Spend.SPENT).filteredOn(Spend.CODE_SPENT::equals).hasSize(PARALLEL - 1);
        assertThat(factorOf(user).lastStep()).isEqualTo(STEP + 1);
    }

    @Test
    void aStepFromTenParallelLoginAttemptsIsSpentOnceAndTheLosersAttemptsStayUnspent() throws Exception {
        User user = enrolled();
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            attempts.add(newAttempt());
        }
        List<Callable<Spend>> spends = attempts.stream().<Callable<Spend>>map(attempt ->
                () -> mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.of(attempt))).toList();

        List<Spend> results = inParallel(spends);

        assertThat(results).containsOnlyOnce(Spend.SPENT).filteredOn(Spend.CODE_SPENT::equals).hasSize(PARALLEL - 1);
        Attempt loser = attempts.get(results.indexOf(Spend.CODE_SPENT));
        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP + 2, Optional.of(loser)))
                .as("a loser's attempt was not spent").isEqualTo(Spend.SPENT);
        Attempt winner = attempts.get(results.indexOf(Spend.SPENT));
        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP + 3, Optional.of(winner)))
                .isEqualTo(Spend.ATTEMPT_SPENT);
    }

    @Test
    void anAttemptIsSpentOnceAndTheSecondStepItTriesIsNotConsumed() {
        User user = enrolled();
        Attempt attempt = newAttempt();

        Spend first = mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.of(attempt));
        Spend second = mfa().spendTotpStep(user.username(), user.userId(), STEP + 2, Optional.of(attempt));

        assertThat(first).isEqualTo(Spend.SPENT);
        assertThat(second).isEqualTo(Spend.ATTEMPT_SPENT);
        assertThat(factorOf(user).lastStep()).as("both or neither").isEqualTo(STEP + 1);
        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP + 2, Optional.of(newAttempt())))
                .isEqualTo(Spend.SPENT);
    }

    @Test
    void oneAttemptWithTwoStepsInParallelSpendsOneOfThemOnly() throws Exception {
        User user = enrolled();
        Attempt attempt = newAttempt();

        List<Spend> results = inParallel(List.of(
                () -> mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.of(attempt)),
                () -> mfa().spendTotpStep(user.username(), user.userId(), STEP + 2, Optional.of(attempt))));

        assertThat(results).containsExactlyInAnyOrder(Spend.SPENT, Spend.ATTEMPT_SPENT);
        long winner = results.get(0) == Spend.SPENT ? STEP + 1 : STEP + 2;
        assertThat(factorOf(user).lastStep()).as("the loser's step is not consumed").isEqualTo(winner);
    }

    @Test
    void aSpentAttemptIsToldBeforeASpentCode() {
        User user = enrolled();
        Attempt attempt = newAttempt();
        mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.of(attempt));

        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.of(attempt)))
                .isEqualTo(Spend.ATTEMPT_SPENT);
        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.of(newAttempt())))
                .isEqualTo(Spend.CODE_SPENT);
    }

    @Test
    void aRefusedCodeLeavesTheAttemptUnspent() {
        User user = enrolled();
        Attempt attempt = newAttempt();

        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP, Optional.of(attempt)))
                .isEqualTo(Spend.CODE_SPENT);

        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.of(attempt)))
                .as("the user may try the next code with the same mfa_token").isEqualTo(Spend.SPENT);
    }

    // --- recovery codes ---

    @Test
    void aRecoveryCodeIsSpentOnce() {
        Set<String> codes = codes(10);
        User user = enrolled(codes);
        String code = codes.iterator().next();

        assertThat(mfa().spendRecoveryCode(user.username(), user.userId(), code, Optional.empty())).isEqualTo(Spend.SPENT);
        assertThat(mfa().spendRecoveryCode(user.username(), user.userId(), code, Optional.empty()))
                .isEqualTo(Spend.CODE_SPENT);
        assertThat(mfa().spendRecoveryCode(user.username(), user.userId(), "unknown-" + randomId(), Optional.empty()))
                .isEqualTo(Spend.CODE_SPENT);

        assertThat(factorOf(user).recoveryCodesLeft()).isEqualTo(9);
        assertThat(factorOf(user).lastStep()).isEqualTo(STEP);
    }

    @Test
    void everyRecoveryCodeCanBeSpentAndThenNoneIsLeftButTheFactorStays() {
        Set<String> codes = codes(3);
        User user = enrolled(codes);

        for (String code : codes) {
            assertThat(mfa().spendRecoveryCode(user.username(), user.userId(), code, Optional.of(newAttempt())))
                    .isEqualTo(Spend.SPENT);
        }

        assertThat(factorOf(user)).isEqualTo(new TotpFactor(user.userId(), SEALED, true, STEP, 0, T0.plusSeconds(20)));
        assertThat(mfa().spendRecoveryCode(user.username(), user.userId(), codes.iterator().next(), Optional.empty()))
                .isEqualTo(Spend.CODE_SPENT);
        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.empty())).isEqualTo(Spend.SPENT);
        assertThat(enrolledMark(user)).isTrue();
    }

    @Test
    void aRecoveryCodeFromTenParallelRequestsIsSpentOnce() throws Exception {
        Set<String> codes = codes(10);
        User user = enrolled(codes);
        String code = codes.iterator().next();

        List<Spend> spends = inParallel(PARALLEL,
                () -> mfa().spendRecoveryCode(user.username(), user.userId(), code, Optional.of(newAttempt())));

        assertThat(spends).containsOnlyOnce(Spend.SPENT).filteredOn(Spend.CODE_SPENT::equals).hasSize(PARALLEL - 1);
        assertThat(factorOf(user).recoveryCodesLeft()).isEqualTo(9);
    }

    @Test
    void aRecoveryCodeWithASpentAttemptIsNotConsumed() {
        Set<String> codes = codes(10);
        User user = enrolled(codes);
        Attempt attempt = newAttempt();
        mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.of(attempt));
        String code = codes.iterator().next();

        assertThat(mfa().spendRecoveryCode(user.username(), user.userId(), code, Optional.of(attempt)))
                .isEqualTo(Spend.ATTEMPT_SPENT);

        assertThat(factorOf(user).recoveryCodesLeft()).isEqualTo(10);
        assertThat(mfa().spendRecoveryCode(user.username(), user.userId(), code, Optional.of(newAttempt())))
                .isEqualTo(Spend.SPENT);
    }

    @Test
    void anAttemptSpentByARecoveryCodeCannotSpendAStep() {
        Set<String> codes = codes(10);
        User user = enrolled(codes);
        Attempt attempt = newAttempt();
        mfa().spendRecoveryCode(user.username(), user.userId(), codes.iterator().next(), Optional.of(attempt));

        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.of(attempt)))
                .isEqualTo(Spend.ATTEMPT_SPENT);
        assertThat(factorOf(user).lastStep()).isEqualTo(STEP);
    }

    // --- removal ---

    @Test
    void removingTakesTheFactorTheCodesAndTheMarkAndLeavesRoomForANewOne() {
        Set<String> codes = codes(10);
        User user = enrolled(codes);

        assertThat(mfa().removeTotp(user.username(), user.userId())).isTrue();

        assertThat(mfa().totp(user.username())).isEmpty();
        assertThat(enrolledMark(user)).isFalse();
        assertThat(users().get(user.username())).contains(user);
        assertThat(mfa().removeTotp(user.username(), user.userId())).isFalse();
        assertThat(mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.empty()))
                .isEqualTo(Spend.NO_FACTOR);
        assertThat(mfa().spendRecoveryCode(user.username(), user.userId(), codes.iterator().next(), Optional.empty()))
                .isEqualTo(Spend.NO_FACTOR);

        assertThat(mfa().beginTotp(user.username(), user.userId(), SEALED_AGAIN, T0.plusSeconds(90))).isTrue();
        assertThat(mfa().confirmTotp(user.username(), user.userId(), SEALED_AGAIN, STEP + 3, codes(10), T0.plusSeconds(90)))
                .isTrue();
        assertThat(factorOf(user).lastStep()).isEqualTo(STEP + 3);
    }

    @Test
    void removingAPendingFactorWorksAndRemovingNoneIsFalse() {
        User user = stored();

        assertThat(mfa().removeTotp(user.username(), user.userId())).isFalse();
        mfa().beginTotp(user.username(), user.userId(), SEALED, T0);

        assertThat(mfa().removeTotp(user.username(), user.userId())).isTrue();
        assertThat(mfa().totp(user.username())).isEmpty();
        assertThat(users().get(user.username())).contains(user);
    }

    // --- other users, phantoms, the other writes of a user ---

    @Test
    void aUserReCreatedUnderTheSameNameIsNeverTouched() {
        Set<String> codes = codes(10);
        User old = enrolled(codes);
        Attempt attempt = newAttempt();
        removeUser(old.username());
        User successor = new User(old.username(), randomId(), old.passwordHash(), old.roles(), old.permissions(),
                UserStatus.ACTIVE, 0, Instant.EPOCH);
        users().create(successor);

        assertThat(mfa().totp(old.username())).as("the factor went with its user").isEmpty();
        assertThat(enrolledMark(successor)).isFalse();
        assertThat(mfa().beginTotp(old.username(), old.userId(), SEALED, T0)).isFalse();
        assertThat(mfa().spendTotpStep(old.username(), old.userId(), STEP + 1, Optional.of(attempt)))
                .isEqualTo(Spend.NO_FACTOR);
        assertAttemptUnspent(attempt);

        // the successor enrols; nothing in the old user's name touches it
        mfa().beginTotp(successor.username(), successor.userId(), SEALED_AGAIN, T0);
        mfa().confirmTotp(successor.username(), successor.userId(), SEALED_AGAIN, STEP, codes, T0);
        TotpFactor theirs = factorOf(successor);

        assertThat(mfa().beginTotp(old.username(), old.userId(), SEALED, T0)).isFalse();
        assertThat(mfa().confirmTotp(old.username(), old.userId(), SEALED_AGAIN, STEP + 1, codes(1), T0)).isFalse();
        assertThat(mfa().spendTotpStep(old.username(), old.userId(), STEP + 1, Optional.empty())).isEqualTo(Spend.NO_FACTOR);
        assertThat(mfa().spendRecoveryCode(old.username(), old.userId(), codes.iterator().next(), Optional.empty()))
                .isEqualTo(Spend.NO_FACTOR);
        assertThat(mfa().removeTotp(old.username(), old.userId())).isFalse();
        assertThat(factorOf(successor)).isEqualTo(theirs);
        assertThat(enrolledMark(successor)).isTrue();
    }

    @Test
    void aNameNoUserHoldsIsNeverTouched() {
        String username = "nobody-" + randomId();
        for (int i = 0; i < LockoutPolicy.DEFAULT.freeAttempts(); i++) {
            users().reserveUnknownAttempt(username, T0, LockoutPolicy.DEFAULT);
        }
        UserLookup counted = users().lookup(username, T0);
        Attempt attempt = newAttempt();
        String userId = randomId();

        assertThat(mfa().beginTotp(username, userId, SEALED, T0)).isFalse();
        assertThat(mfa().confirmTotp(username, userId, SEALED, STEP, codes(1), T0)).isFalse();
        assertThat(mfa().spendTotpStep(username, userId, STEP, Optional.of(attempt))).isEqualTo(Spend.NO_FACTOR);
        assertThat(mfa().spendRecoveryCode(username, userId, "code", Optional.empty())).isEqualTo(Spend.NO_FACTOR);
        assertThat(mfa().removeTotp(username, userId)).isFalse();
        assertThat(mfa().totp(username)).isEmpty();

        assertThat(users().get(username)).isEmpty();
        assertThat(users().lookup(username, T0)).isEqualTo(counted);
        assertAttemptUnspent(attempt);
    }

    @Test
    void passwordChangesLockoutSessionsAndDisablingLeaveTheFactorAlone() {
        User user = enrolled();
        TotpFactor factor = factorOf(user);

        users().replacePasswordHash(user.username(), "$argon2id$v=19$m=19456,t=2,p=1$YQ$YWRtaW4");
        users().replacePasswordHash(users().get(user.username()).orElseThrow(), "$argon2id$v=19$m=19456,t=2,p=1$YQ$Y2hhbmdl");
        for (int i = 0; i < LockoutPolicy.DEFAULT.freeAttempts(); i++) {
            users().reserveAttempt(user.username(), T0, LockoutPolicy.DEFAULT);
        }
        users().recordSuccessfulLogin(user.username());
        User read = users().get(user.username()).orElseThrow();
        users().registerSession(read, "session-a", T0.plus(Duration.ofHours(8)), T0);
        users().closeSessionEpoch(user.username(), user.userId(), T0);
        users().disable(user.username());

        assertThat(factorOf(user)).isEqualTo(factor);
        assertThat(enrolledMark(user)).isTrue();
        assertThat(users().lookup(user.username(), T0)).isInstanceOfSatisfying(UserLookup.Found.class,
                found -> assertThat(found.user().mfaEnrolled()).isTrue());
    }

    @Test
    void aPasswordResetByMailLeavesTheFactorAlone() {
        User user = AccountStoreContract.newUser();
        assertThat(accounts().register(user, AccountStoreContract.STAND_IN_EXPIRY)).isEqualTo(Registration.CREATED);
        mfa().beginTotp(user.username(), user.userId(), SEALED, T0);
        mfa().confirmTotp(user.username(), user.userId(), SEALED, STEP, codes(10), T0);
        TotpFactor factor = factorOf(user);
        StoredToken token = new StoredToken(MailToken.generate(RANDOM).hash(), MailToken.Kind.RESET_PASSWORD,
                user.username(), user.userId(), user.email(), 0, T0.plus(Duration.ofMinutes(30)), false);
        assertThat(accounts().issue(token)).isTrue();
        StoredToken issued = accounts().token(token.hash()).orElseThrow();
        StoredToken verify = new StoredToken(MailToken.generate(RANDOM).hash(), MailToken.Kind.VERIFY_EMAIL,
                user.username(), user.userId(), user.email(), 0, T0.plus(Duration.ofMinutes(30)), false);
        assertThat(accounts().issue(verify)).isTrue();

        assertThat(accounts().verifyEmail(accounts().token(verify.hash()).orElseThrow(), T0)).isTrue();
        assertThat(accounts().resetPassword(issued, "$argon2id$v=19$m=19456,t=2,p=1$YQ$cmVzZXQ", T0)).isTrue();

        assertThat(factorOf(user)).isEqualTo(factor);
        assertThat(enrolledMark(user)).isTrue();
        assertThat(users().get(user.username()).orElseThrow().passwordHash())
                .isEqualTo("$argon2id$v=19$m=19456,t=2,p=1$YQ$cmVzZXQ");
    }

    @Test
    void theFactorNeverShowsItsSealedSecret() {
        User user = enrolled();

        assertThat(factorOf(user).toString()).doesNotContain(SEALED).contains("sealedSecret=<redacted>")
                .contains("confirmed=true");
        assertThat(users().get(user.username()).orElseThrow().toString()).doesNotContain(SEALED);
    }

    // --- helpers ---

    /** The attempt can still be spent: a spend with it goes through (this spends it, and one step). */
    private void assertAttemptUnspent(Attempt attempt) {
        User other = enrolled();
        assertThat(mfa().spendTotpStep(other.username(), other.userId(), STEP + 1, Optional.of(attempt)))
                .as("the attempt was not spent").isEqualTo(Spend.SPENT);
    }

    private static List<Spend> inParallel(int n, Callable<Spend> task) throws Exception {
        List<Callable<Spend>> tasks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            tasks.add(task);
        }
        return inParallel(tasks);
    }

    /** Runs the tasks at once, released together; what each gave, in order. */
    private static List<Spend> inParallel(List<Callable<Spend>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Spend>> futures = new ArrayList<>();
            for (Callable<Spend> task : tasks) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<Spend> results = new ArrayList<>();
            for (Future<Spend> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
