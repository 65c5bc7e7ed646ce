package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionTimeoutsTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void defaultsToThirtyMinutesIdleAndEightHoursAbsolute() {
        assertThat(SessionTimeouts.DEFAULT.idle()).isEqualTo(Duration.ofMinutes(30));
        assertThat(SessionTimeouts.DEFAULT.absolute()).isEqualTo(Duration.ofHours(8));
    }

    @Test
    void acceptsAnIdleTimeoutEqualToTheAbsoluteOne() {
        SessionTimeouts timeouts = new SessionTimeouts(Duration.ofHours(1), Duration.ofHours(1));

        assertThat(timeouts.idle()).isEqualTo(Duration.ofHours(1));
        assertThat(timeouts.absolute()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void rejectsAZeroIdleTimeout() {
        assertThatThrownBy(() -> new SessionTimeouts(Duration.ZERO, Duration.ofHours(8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the idle timeout must be positive and at most the absolute one");
    }

    @Test
    void rejectsANegativeIdleTimeout() {
        assertThatThrownBy(() -> new SessionTimeouts(Duration.ofMinutes(-30), Duration.ofHours(8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the idle timeout must be positive and at most the absolute one");
    }

    @Test
    void rejectsAnIdleTimeoutLongerThanTheAbsoluteOne() {
        assertThatThrownBy(() -> new SessionTimeouts(Duration.ofHours(8).plusSeconds(1), Duration.ofHours(8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the idle timeout must be positive and at most the absolute one");
    }

    @Test
    void rejectsANonPositiveAbsoluteTimeout() {
        assertThatThrownBy(() -> new SessionTimeouts(Duration.ofMinutes(30), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the idle timeout must be positive and at most the absolute one");
    }

    @Test
    void rejectsMissingDurations() {
        assertThatThrownBy(() -> new SessionTimeouts(null, Duration.ofHours(8)))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("idle");
        assertThatThrownBy(() -> new SessionTimeouts(Duration.ofMinutes(30), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("absolute");
    }

    @Test
    void idleExpiryIsNowPlusTheIdleTimeoutWhileTheAbsoluteExpiryIsFurther() {
        Instant absoluteExpiry = NOW.plus(Duration.ofHours(8));

        assertThat(SessionTimeouts.DEFAULT.idleExpiry(NOW, absoluteExpiry)).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
    }

    @Test
    void idleExpiryNeverPassesTheAbsoluteExpiry() {
        Instant absoluteExpiry = NOW.plus(Duration.ofMinutes(10));

        assertThat(SessionTimeouts.DEFAULT.idleExpiry(NOW, absoluteExpiry)).isEqualTo(absoluteExpiry);
    }

    @Test
    void idleExpiryEqualsTheAbsoluteExpiryWhenBothFallTogether() {
        Instant absoluteExpiry = NOW.plus(Duration.ofMinutes(30));

        assertThat(SessionTimeouts.DEFAULT.idleExpiry(NOW, absoluteExpiry)).isEqualTo(absoluteExpiry);
    }
}
