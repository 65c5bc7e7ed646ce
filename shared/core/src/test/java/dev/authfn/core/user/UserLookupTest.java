package dev.authfn.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserLookupTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void anUnknownNameIsLockedUpToButNotAtTheEndOfItsLock() {
        UserLookup.Unknown unknown = new UserLookup.Unknown(NOW);

        assertThat(unknown.isLockedAt(NOW.minusNanos(1))).isTrue();
        assertThat(unknown.isLockedAt(NOW)).isFalse();
    }

    @Test
    void aNameThatNeverFailedIsNeverLocked() {
        assertThat(UserLookup.Unknown.NEVER_FAILED.lockedUntil()).isEqualTo(Instant.EPOCH);
        assertThat(UserLookup.Unknown.NEVER_FAILED.isLockedAt(NOW)).isFalse();
    }
}
