package dev.authfn.core.authz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AcrTest {

    @Test
    void isMultiFactorExactlyWhenTheMethodsSayMfa() {
        assertThat(Acr.of(List.of("pwd", "otp", "mfa"))).isEqualTo("urn:authfn:acr:mfa");
        assertThat(Acr.of(List.of("pwd"))).isEqualTo("urn:authfn:acr:sfa");
        assertThat(Acr.of(List.of("pwd", "otp"))).as("two methods without mfa").isEqualTo("urn:authfn:acr:sfa");
    }

    @Test
    void knowsTwoClassesWeakestFirst() {
        assertThat(Acr.KNOWN).containsExactly("urn:authfn:acr:sfa", "urn:authfn:acr:mfa");
    }
}
