package dev.authfn.password;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Argon2ParamsTest {

    @Test
    void owaspMinimumIsNineteenMebibytesTwoPassesOneLane() {
        assertThat(Argon2Params.OWASP_MINIMUM).isEqualTo(new Argon2Params(19_456, 2, 1));
    }

    @ParameterizedTest
    @CsvSource({"19455,2,1", "19456,1,1", "65536,1,4", "7168,5,1"})
    void weakerInAnyParameterIsNotAtLeastTheMinimum(int memoryKiB, int iterations, int parallelism) {
        // given
        Argon2Params candidate = new Argon2Params(memoryKiB, iterations, parallelism);

        // when / then
        assertThat(candidate.isAtLeast(Argon2Params.OWASP_MINIMUM)).isFalse();
    }

    @Test
    void equalOrStrongerInEveryParameterIsAtLeastTheMinimum() {
        assertThat(Argon2Params.OWASP_MINIMUM.isAtLeast(Argon2Params.OWASP_MINIMUM)).isTrue();
        assertThat(new Argon2Params(47_104, 3, 2).isAtLeast(Argon2Params.OWASP_MINIMUM)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "7,1,1", // below the Argon2 floor of 8 KiB per lane
        "15,1,2",
        "1048577,2,1", // above 1 GiB
        "19456,0,1",
        "19456,65,1",
        "19456,2,0",
        "19456,2,17"
    })
    void refusesParametersOutsideTheBounds(int memoryKiB, int iterations, int parallelism) {
        assertThatThrownBy(() -> new Argon2Params(memoryKiB, iterations, parallelism))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
