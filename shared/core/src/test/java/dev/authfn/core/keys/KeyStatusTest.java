package dev.authfn.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyStatusTest {

    @Test
    void readsEachStatusFromItsWireName() {
        assertThat(KeyStatus.fromWireName("active")).isEqualTo(KeyStatus.ACTIVE);
        assertThat(KeyStatus.fromWireName("verify-only")).isEqualTo(KeyStatus.VERIFY_ONLY);
        assertThat(KeyStatus.fromWireName("retired")).isEqualTo(KeyStatus.RETIRED);
    }

    @Test
    void refusesAnyOtherName() {
        assertThatThrownBy(() -> KeyStatus.fromWireName("VERIFY_ONLY"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown key status: VERIFY_ONLY");
    }
}
