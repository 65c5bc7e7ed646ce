package dev.authfn.core.user;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UserStatusTest {

    @Test
    void storesEachStatusUnderItsWireNameAndReadsItBack() {
        assertThat(UserStatus.ACTIVE.wireName()).isEqualTo("active");
        assertThat(UserStatus.DISABLED.wireName()).isEqualTo("disabled");
        assertThat(UserStatus.fromWireName("active")).isEqualTo(UserStatus.ACTIVE);
        assertThat(UserStatus.fromWireName("disabled")).isEqualTo(UserStatus.DISABLED);
    }

    @Test
    void refusesAnyOtherName() {
        assertThatThrownBy(() -> UserStatus.fromWireName("DISABLED"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown user status: DISABLED");
    }
}
