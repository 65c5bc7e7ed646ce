package dev.authfn.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AmrTest {

    @Test
    void aPasswordLoginIsPwdAndASecondFactorAddsOtpAndMfa() {
        assertThat(Amr.PASSWORD).containsExactly("pwd");
        assertThat(Amr.PASSWORD_AND_OTP).containsExactly("pwd", "otp", "mfa");
        assertThat(Amr.DEVICE_PASSKEY).containsExactly("hwk", "user", "mfa");
        assertThat(Amr.SYNCED_PASSKEY).containsExactly("swk", "user", "mfa");
        assertThat(Acr.of(Amr.DEVICE_PASSKEY)).isEqualTo(Acr.MFA);
        assertThat(Acr.of(Amr.SYNCED_PASSKEY)).isEqualTo(Acr.MFA);
    }

    @Test
    void acceptsRegisteredValuesInTheirOrder() {
        assertThat(Amr.requireValid(List.of("hwk", "user", "mfa"))).containsExactly("hwk", "user", "mfa");
    }

    @Test
    void refusesWhatCouldNotTravelSpaceSeparatedOrSaysNothing() {
        for (List<String> bad : List.of(List.<String>of(), List.of(""), List.of("pwd otp"), List.of("pwd,otp"),
                List.of("\"pwd\""), List.of("p".repeat(33)), List.of("pwd", "pwd"), Arrays.asList("pwd", null))) {
            assertThatThrownBy(() -> Amr.requireValid(bad)).as("%s", bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
