package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.config.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OAuthSettingsTest {

    @Test
    void defaultsAreFourteenDaysIdleThirtyAbsoluteAndTenSecondsOfGrace() {
        assertThat(OAuthSettings.fromEnvironment(Map.of())).isEqualTo(OAuthSettings.DEFAULT)
                .isEqualTo(new OAuthSettings(Duration.ofDays(14), Duration.ofDays(30), Duration.ofSeconds(10)));
        assertThat(OAuthSettings.fromEnvironment(Map.of(OAuthSettings.ENV_REFRESH_IDLE, " "))).isEqualTo(OAuthSettings.DEFAULT);
    }

    @Test
    void readsEachVariable() {
        assertThat(OAuthSettings.fromEnvironment(Map.of(
                OAuthSettings.ENV_REFRESH_IDLE, "P1D",
                OAuthSettings.ENV_REFRESH_ABSOLUTE, " P7D ",
                OAuthSettings.ENV_REFRESH_GRACE, "PT0S")))
                .isEqualTo(new OAuthSettings(Duration.ofDays(1), Duration.ofDays(7), Duration.ZERO));
        assertThat(OAuthSettings.fromEnvironment(Map.of(OAuthSettings.ENV_REFRESH_GRACE, "PT1M")).refreshGrace())
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(OAuthSettings.fromEnvironment(Map.of(OAuthSettings.ENV_REFRESH_IDLE, "P30D")).refreshIdle())
                .as("idle equal to absolute").isEqualTo(Duration.ofDays(30));
    }

    @Test
    void listsEveryMalformedValueAtOnce() {
        assertThatThrownBy(() -> OAuthSettings.fromEnvironment(Map.of(
                OAuthSettings.ENV_REFRESH_IDLE, "two weeks",
                OAuthSettings.ENV_REFRESH_ABSOLUTE, "-P1D",
                OAuthSettings.ENV_REFRESH_GRACE, "soon")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("AUTHFN_OAUTH_REFRESH_IDLE must be a zero or positive ISO-8601 duration such as PT336H")
                .hasMessageContaining("AUTHFN_OAUTH_REFRESH_ABSOLUTE must be")
                .hasMessageContaining("AUTHFN_OAUTH_REFRESH_GRACE must be");
    }

    @Test
    void refusesLifetimesThatCannotWork() {
        assertThatThrownBy(() -> OAuthSettings.fromEnvironment(Map.of(OAuthSettings.ENV_REFRESH_IDLE, "PT0S")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> OAuthSettings.fromEnvironment(Map.of(OAuthSettings.ENV_REFRESH_ABSOLUTE, "PT0S")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must be positive");
        assertThatThrownBy(() -> OAuthSettings.fromEnvironment(Map.of(OAuthSettings.ENV_REFRESH_IDLE, "P31D")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("AUTHFN_OAUTH_REFRESH_ABSOLUTE must not be shorter than AUTHFN_OAUTH_REFRESH_IDLE");
        assertThatThrownBy(() -> OAuthSettings.fromEnvironment(Map.of(OAuthSettings.ENV_REFRESH_GRACE, "PT61S")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("AUTHFN_OAUTH_REFRESH_GRACE must be at most PT1M");
        assertThatThrownBy(() -> new OAuthSettings(Duration.ZERO, Duration.ofDays(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OAuthSettings(Duration.ofDays(2), Duration.ofDays(1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OAuthSettings(Duration.ofDays(1), Duration.ofDays(1), Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OAuthSettings(Duration.ofDays(1), Duration.ofDays(1), Duration.ofSeconds(61)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
