package dev.authfn.core.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LockoutPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void theDefaultLocksFromTheFifthFailureDoublingUpToFifteenMinutes() {
        LockoutPolicy policy = LockoutPolicy.DEFAULT;

        assertThat(policy.lockAfter(4)).isZero();
        assertThat(policy.lockAfter(5)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.lockAfter(6)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.lockAfter(14)).isEqualTo(Duration.ofSeconds(512));
        assertThat(policy.lockAfter(15)).isEqualTo(Duration.ofMinutes(15));
        assertThat(policy.lockAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void lockedUntilIsTheEpochWhenTheFailureEarnsNoLock() {
        assertThat(LockoutPolicy.DEFAULT.lockedUntil(4, NOW)).isEqualTo(Instant.EPOCH);
        assertThat(LockoutPolicy.DEFAULT.lockedUntil(5, NOW)).isEqualTo(NOW.plusSeconds(1));
    }

    @Test
    void reservesTheFreeAttemptsAndLocksAtTheLastOfThem() {
        LockoutPolicy policy = LockoutPolicy.DEFAULT;

        assertThat(policy.reserve(0, Instant.EPOCH, NOW)).isEqualTo(new AttemptReservation.Reserved(1, Instant.EPOCH));
        assertThat(policy.reserve(3, Instant.EPOCH, NOW)).isEqualTo(new AttemptReservation.Reserved(4, Instant.EPOCH));
        assertThat(policy.reserve(4, Instant.EPOCH, NOW))
                .isEqualTo(new AttemptReservation.Reserved(5, NOW.plusSeconds(1)));
    }

    @Test
    void refusesAReservationWhileLockedAndAllowsOneOnceTheLockHasExpired() {
        LockoutPolicy policy = LockoutPolicy.DEFAULT;
        Instant lock = NOW.plusSeconds(1);

        assertThat(policy.reserve(5, lock, NOW)).isEqualTo(new AttemptReservation.Locked(lock));
        assertThat(policy.reserve(5, lock, lock.minusMillis(1))).isEqualTo(new AttemptReservation.Locked(lock));
        assertThat(policy.reserve(5, lock, lock)).isEqualTo(new AttemptReservation.Reserved(6, lock.plusSeconds(2)));
    }

    @Test
    void aReservationThatEarnsNoLockKeepsTheExpiredOne() {
        Instant expired = NOW.minusSeconds(1);

        assertThat(LockoutPolicy.DEFAULT.reserve(2, expired, NOW)).isEqualTo(new AttemptReservation.Reserved(3, expired));
    }

    @Test
    void forgetsUnknownNameFailuresFifteenMinutesAfterTheLongestLockCouldEnd() {
        assertThat(LockoutPolicy.DEFAULT.unknownNameExpiry(NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(new LockoutPolicy(3, Duration.ofHours(1)).unknownNameExpiry(NOW))
                .isEqualTo(NOW.plus(Duration.ofMinutes(75)));
    }

    @Test
    void roundsTheUnknownNameExpiryUpToAWholeSecond() {
        assertThat(LockoutPolicy.DEFAULT.unknownNameExpiry(NOW.plusMillis(1)))
                .isEqualTo(NOW.plus(Duration.ofMinutes(30)).plusSeconds(1));
        assertThat(LockoutPolicy.DEFAULT.unknownNameExpiry(NOW.plusNanos(999_999_999)))
                .isEqualTo(NOW.plus(Duration.ofMinutes(30)).plusSeconds(1));
    }

    @Test
    void anUnknownNameIsRememberedLongerThanAnyLockItsFailuresEarn() {
        LockoutPolicy policy = new LockoutPolicy(1, Duration.ofMinutes(5));

        assertThat(policy.unknownNameExpiry(NOW)).isAfter(policy.lockedUntil(1_000, NOW));
    }

    @Test
    void rejectsPoliciesThatNeverAllowAnAttemptOrNeverLock() {
        assertThatThrownBy(() -> new LockoutPolicy(0, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("freeAttempts must be at least 1");
        assertThatThrownBy(() -> new LockoutPolicy(5, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxLock must be positive");
    }

    @Test
    void failuresWhoseDoublingWouldOverflowStillLockForExactlyTheCap() {
        // 2^63 seconds is negative as a long and 2^64 wraps to 1: without the cap on the exponent
        // failure 68 would lock for no time and failure 69 for one second.
        LockoutPolicy policy = LockoutPolicy.DEFAULT;

        assertThat(policy.lockAfter(34)).isEqualTo(Duration.ofMinutes(15));
        assertThat(policy.lockAfter(35)).isEqualTo(Duration.ofMinutes(15));
        assertThat(policy.lockAfter(68)).isEqualTo(Duration.ofMinutes(15));
        assertThat(policy.lockAfter(69)).isEqualTo(Duration.ofMinutes(15));
        assertThat(policy.lockedUntil(68, NOW)).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
    }

    @Test
    void theThirtiethDoublingIsWhereTheLockJumpsToTheCapEvenWhenTheCapIsLonger() {
        // With a cap above 2^30 s (34 years) the doubling shows: 2^29 s, then the cap itself.
        Duration century = Duration.ofDays(36_525);
        LockoutPolicy policy = new LockoutPolicy(1, century);

        assertThat(policy.lockAfter(30)).isEqualTo(Duration.ofSeconds(1L << 29));
        assertThat(policy.lockAfter(31)).isEqualTo(century);
    }

    @Test
    void theFreeAttemptsAreExactlyThoseBeforeTheFirstLock() {
        LockoutPolicy policy = new LockoutPolicy(3, Duration.ofMinutes(1));

        assertThat(policy.lockAfter(2)).isZero();
        assertThat(policy.lockAfter(3)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.lockAfter(9)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.lockAfter(8)).isEqualTo(Duration.ofSeconds(32));
    }

    @Test
    void aLockExactlyAsLongAsTheCapIsTheCap() {
        LockoutPolicy policy = new LockoutPolicy(5, Duration.ofSeconds(64));

        assertThat(policy.lockAfter(11)).isEqualTo(Duration.ofSeconds(64));
        assertThat(policy.lockAfter(12)).isEqualTo(Duration.ofSeconds(64));
    }

    @Test
    void rejectsANegativeMaxLock() {
        assertThatThrownBy(() -> new LockoutPolicy(5, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxLock must be positive");
        assertThat(new LockoutPolicy(1, Duration.ofNanos(1)).lockAfter(1)).isEqualTo(Duration.ofNanos(1));
    }
}
