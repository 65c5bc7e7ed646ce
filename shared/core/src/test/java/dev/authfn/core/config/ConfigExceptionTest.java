package dev.authfn.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigExceptionTest {

    @Test
    void messageListsEveryProblemOnOneLine() {
        // when
        ConfigException e = new ConfigException(List.of("AUTHFN_A is required", "AUTHFN_B must be true or false"));

        // then
        assertThat(e).hasMessage("invalid authfn configuration (2 problems):"
                + " AUTHFN_A is required; AUTHFN_B must be true or false");
        assertThat(e.getMessage()).doesNotContain("\n");
    }

    @Test
    void singularForOneProblem() {
        assertThat(new ConfigException(List.of("AUTHFN_A is required")))
                .hasMessage("invalid authfn configuration (1 problem): AUTHFN_A is required");
    }

    @Test
    void keepsItsOwnCopyOfTheProblems() {
        // given
        List<String> problems = new ArrayList<>(List.of("AUTHFN_A is required"));

        // when
        ConfigException e = new ConfigException(problems);
        problems.add("later");

        // then
        assertThat(e.problems()).containsExactly("AUTHFN_A is required");
        assertThatThrownBy(() -> e.problems().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void refusesAnEmptyListOfProblems() {
        assertThatThrownBy(() -> new ConfigException(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
