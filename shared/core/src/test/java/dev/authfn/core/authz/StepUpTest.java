package dev.authfn.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StepUpTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private static Principal loggedIn(List<String> amr, Optional<Instant> authTime) {
        return new Principal("u-1", "alice", Set.of(), Set.of(), "s-1", AuthType.BEARER, amr, authTime);
    }

    @Test
    void recentLoginPassesUpToExactlyItsAgeAndNoSecondMore() {
        StepUp fiveMinutes = StepUp.recentLogin(Duration.ofMinutes(5));

        assertThat(fiveMinutes.check(loggedIn(Amr.PASSWORD, Optional.of(NOW.minusSeconds(300))), NOW)).isEmpty();
        assertThat(fiveMinutes.check(loggedIn(Amr.PASSWORD, Optional.of(NOW.minusSeconds(301))), NOW))
                .contains(new StepUpChallenge(List.of(), Optional.of(Duration.ofMinutes(5))));
        assertThat(fiveMinutes.isMetBy(loggedIn(Amr.PASSWORD_AND_OTP, Optional.empty()), NOW))
                .as("an unknown login time is never recent").isFalse();
    }

    @Test
    void multiFactorNeedsMfaInTheMethods() {
        assertThat(StepUp.multiFactor().isMetBy(loggedIn(Amr.PASSWORD_AND_OTP, Optional.empty()), NOW)).isTrue();
        assertThat(StepUp.multiFactor().isMetBy(loggedIn(List.of("pwd", "otp"), Optional.of(NOW)), NOW)).isFalse();
        assertThat(StepUp.multiFactor().check(loggedIn(Amr.PASSWORD, Optional.of(NOW)), NOW))
                .contains(new StepUpChallenge(List.of(Acr.MFA), Optional.empty()));
    }

    @Test
    void noneDemandsNothingAndHasNoChallenge() {
        assertThat(StepUp.NONE.isNone()).isTrue();
        assertThat(StepUp.NONE.isMetBy(loggedIn(Amr.PASSWORD, Optional.empty()), NOW)).isTrue();
        assertThatThrownBy(StepUp.NONE::challenge).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void maxAgeIsWholeSecondsFromOneSecondToADay() {
        assertThat(StepUp.recentLogin(Duration.ofSeconds(1)).maxAge()).contains(Duration.ofSeconds(1));
        assertThat(StepUp.recentLogin(Duration.ofDays(1)).maxAge()).contains(Duration.ofDays(1));
        for (Duration bad : List.of(Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(1).plusSeconds(1),
                Duration.ofMillis(1500))) {
            assertThatThrownBy(() -> StepUp.recentLogin(bad)).as("%s", bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesAnUnknownClassAndAnUnsatisfiableCombination() {
        assertThatThrownBy(() -> new StepUp(false, List.of("urn:authfn:acr:gold"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StepUp(true, List.of(Acr.SFA), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
