package dev.authfn.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private static User lockedUntil(Instant lockedUntil) {
        return new User("alice", "u-alice", "$argon2id$v=19$secret-hash", Set.of("user"), Set.of(), UserStatus.ACTIVE,
                5, lockedUntil);
    }

    @Test
    void aMissingLockIsTheEpochAndLocksNothing() {
        User user = lockedUntil(null);

        assertThat(user.lockedUntil()).isEqualTo(Instant.EPOCH);
        assertThat(user.isLockedAt(NOW)).isFalse();
    }

    @Test
    void isLockedUpToButNotAtTheLockedUntilInstant() {
        User user = lockedUntil(NOW);

        assertThat(user.lockedUntil()).isEqualTo(NOW);
        assertThat(user.isLockedAt(NOW.minusNanos(1))).isTrue();
        assertThat(user.isLockedAt(NOW)).isFalse();
    }

    @Test
    void toStringRedactsThePasswordHash() {
        assertThat(lockedUntil(null).toString())
                .isEqualTo("User[username=alice, userId=u-alice, status=ACTIVE, passwordHash=<redacted>]");
    }

    @Test
    void aUserMadeWithoutTheSecondFactorComponentHasNone() {
        User withAddress = new User("alice", "u-alice", "hash", Set.of(), Set.of(), UserStatus.ACTIVE, 0, Instant.EPOCH,
                0, "alice@example.com", true);
        User enrolled = new User("alice", "u-alice", "hash", Set.of(), Set.of(), UserStatus.ACTIVE, 0, Instant.EPOCH,
                0, "alice@example.com", true, true);

        assertThat(withAddress.mfaEnrolled()).isFalse();
        assertThat(lockedUntil(null).mfaEnrolled()).isFalse();
        assertThat(enrolled.mfaEnrolled()).isTrue();
        assertThat(enrolled).isNotEqualTo(withAddress);
    }
}
