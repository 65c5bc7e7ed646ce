package dev.authfn.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyPurposeTest {

    @Test
    void readsEachPurposeFromItsWireName() {
        assertThat(KeyPurpose.fromWireName("jwt")).isEqualTo(KeyPurpose.JWT);
        assertThat(KeyPurpose.fromWireName("cookie")).isEqualTo(KeyPurpose.COOKIE);
        assertThat(KeyPurpose.fromWireName("csrf")).isEqualTo(KeyPurpose.CSRF);
        assertThat(KeyPurpose.fromWireName("mfa")).isEqualTo(KeyPurpose.MFA);
        assertThat(KeyPurpose.values()).extracting(KeyPurpose::wireName).containsExactly("jwt", "cookie", "csrf", "mfa");
    }

    @Test
    void refusesAnyOtherName() {
        assertThatThrownBy(() -> KeyPurpose.fromWireName("JWT"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown key purpose: JWT");
    }
}
