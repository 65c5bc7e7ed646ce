package dev.authfn.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthTypeTest {

    @Test
    void wireNamesAreLowerCase() {
        assertThat(AuthType.COOKIE.wireName()).isEqualTo("cookie");
        assertThat(AuthType.BEARER.wireName()).isEqualTo("bearer");
    }

    @ParameterizedTest
    @EnumSource(AuthType.class)
    void readsBackItsOwnWireName(AuthType type) {
        assertThat(AuthType.fromWireName(type.wireName())).isEqualTo(type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Cookie", "BEARER", "basic"})
    void refusesAnUnknownWireName(String value) {
        assertThatThrownBy(() -> AuthType.fromWireName(value)).isInstanceOf(IllegalArgumentException.class);
    }
}
