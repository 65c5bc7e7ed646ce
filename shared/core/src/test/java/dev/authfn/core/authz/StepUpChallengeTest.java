package dev.authfn.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StepUpChallengeTest {

    private static final String PREFIX = "Bearer error=\"insufficient_user_authentication\", error_description=";

    @Test
    void aRecentMultiFactorLoginNamesTheClassAndTheAgeInSeconds() {
        StepUpChallenge challenge = new StepUpChallenge(List.of(Acr.MFA), Optional.of(Duration.ofMinutes(15)));

        assertThat(challenge.wwwAuthenticate()).isEqualTo(PREFIX + "\"A recent multi-factor login is required\", "
                + "acr_values=\"urn:authfn:acr:mfa\", max_age=900");
    }

    @Test
    void aRecentLoginAloneHasNoAcrValues() {
        assertThat(StepUp.recentLogin(Duration.ofMinutes(5)).challenge().wwwAuthenticate())
                .isEqualTo(PREFIX + "\"A more recent login is required\", max_age=300");
    }

    @Test
    void aSecondFactorAloneHasNoMaxAge() {
        assertThat(StepUp.multiFactor().challenge().wwwAuthenticate())
                .isEqualTo(PREFIX + "\"A multi-factor login is required\", acr_values=\"urn:authfn:acr:mfa\"");
    }

    @Test
    void otherClassesAreListedSpaceSeparatedInOrder() {
        assertThat(new StepUpChallenge(List.of(Acr.SFA, Acr.MFA), Optional.empty()).wwwAuthenticate())
                .isEqualTo(PREFIX + "\"A different authentication level is required\", "
                        + "acr_values=\"urn:authfn:acr:sfa urn:authfn:acr:mfa\"");
        assertThat(new StepUpChallenge(List.of(Acr.SFA), Optional.of(Duration.ofSeconds(1))).wwwAuthenticate())
                .isEqualTo(PREFIX + "\"A more recent login at a different authentication level is required\", "
                        + "acr_values=\"urn:authfn:acr:sfa\", max_age=1");
    }

    @Test
    void refusesAChallengeThatAsksForNothingOrForAnUnknownClass() {
        assertThatThrownBy(() -> new StepUpChallenge(List.of(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StepUpChallenge(List.of("urn:x\", max_age=0"), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
