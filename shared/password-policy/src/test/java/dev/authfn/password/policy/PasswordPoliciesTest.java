package dev.authfn.password.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.authfn.core.config.ConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PasswordPoliciesTest {

    private static final String MIN = PasswordPolicies.ENV_MIN_LENGTH;
    private static final String API = PasswordPolicies.ENV_BREACH_API;
    private static final String DOWN = PasswordPolicies.ENV_BREACH_API_DOWN;
    private static final String TIMEOUT = PasswordPolicies.ENV_BREACH_API_TIMEOUT;

    @Test
    void defaultsToTwelveCodePointsTheRangeApiAndTheOfflineListWhenItIsDown() {
        NistPasswordPolicy policy = PasswordPolicies.fromEnvironment(Map.of(), line -> { });

        assertThat(policy.minLength()).isEqualTo(12);
        assertThat(policy.usesBreachApi()).isTrue();
        assertThat(policy.whenBreachApiDown()).isEqualTo(BreachApiDown.OFFLINE_LIST);
        assertThat(PasswordPolicies.DEFAULT_BREACH_API).isEqualTo("https://api.pwnedpasswords.com/range/");
    }

    @Test
    void readsEveryVariable() {
        NistPasswordPolicy policy = PasswordPolicies.fromEnvironment(Map.of(MIN, "8", API, "https://pwned.example.com/range/",
                DOWN, "refuse", TIMEOUT, "PT10S"), line -> { });

        assertThat(policy.minLength()).isEqualTo(8);
        assertThat(policy.usesBreachApi()).isTrue();
        assertThat(policy.whenBreachApiDown()).isEqualTo(BreachApiDown.REFUSE);
        assertThat(PasswordPolicies.fromEnvironment(Map.of(MIN, "64", API, "off"), line -> { }).usesBreachApi()).isFalse();
        assertThat(PasswordPolicies.fromEnvironment(Map.of(API, "http://localhost:9000/range/", DOWN, "offline-list",
                TIMEOUT, "PT0.5S"), line -> { }).usesBreachApi()).isTrue();
    }

    @Test
    void refusesAMinimumOutsideEightToSixtyFour() {
        for (String value : new String[] {"7", "65", "twelve", "12.5", "-12"}) {
            assertThat(problems(Map.of(MIN, value))).as(value).containsExactly(MIN + " must be a whole number of code"
                    + " points from 8 to 64 (at most 1024 are allowed, NIST asks for 12 when the password is the only factor)");
        }
    }

    @Test
    void refusesABreachApiThatIsNotAnHttpsBaseUrl() {
        String problem = API + " must be off or the range API's base URL: https (http only for localhost or 127.0.0.1),"
                + " ending in /, no query, such as https://api.pwnedpasswords.com/range/";
        for (String value : new String[] {"http://api.pwnedpasswords.com/range/", "https://api.pwnedpasswords.com/range",
                "https://api.pwnedpasswords.com/range/?x=1", "ftp://127.0.0.1/range/", "OFF", "range/", "https:// bad/",
                "https://user:pw@api.pwnedpasswords.com/range/"}) {
            assertThat(problems(Map.of(API, value))).as(value).containsExactly(problem);
        }
    }

    @Test
    void refusesAnUnknownDownModeAndRefuseWithoutTheApi() {
        assertThat(problems(Map.of(DOWN, "fail-open"))).containsExactly(DOWN + " must be offline-list or refuse");
        assertThat(problems(Map.of(DOWN, "refuse", API, "off")))
                .containsExactly(DOWN + "=refuse needs the range API, but " + API + " is off");
    }

    @Test
    void refusesATimeoutThatIsNotAShortPositiveDuration() {
        for (String value : new String[] {"PT0S", "-PT1S", "PT10.001S", "2", "2s"}) {
            assertThat(problems(Map.of(TIMEOUT, value))).as(value)
                    .containsExactly(TIMEOUT + " must be a positive ISO-8601 duration of at most PT10S, such as PT2S");
        }
    }

    @Test
    void reportsEveryProblemAtOnceAndNeverAValue() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> PasswordPolicies.fromEnvironment(
                Map.of(MIN, "secret-ish-7", API, "https://secret-host/x", DOWN, "maybe", TIMEOUT, "soon"), line -> { }));

        assertThat(e.problems()).hasSize(4);
        assertThat(e.getMessage()).startsWith("invalid authfn configuration (4 problems): ")
                .doesNotContain("secret-ish-7", "secret-host", "maybe", "soon");
    }

    @Test
    void theOfflinePolicyTakesOnlyAMinimumWithinTheBounds() {
        assertThat(PasswordPolicies.offline(8).minLength()).isEqualTo(8);
        assertThat(PasswordPolicies.offline(64).usesBreachApi()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> PasswordPolicies.offline(7)).withMessage("minLength must be 8..64");
        assertThatIllegalArgumentException().isThrownBy(() -> PasswordPolicies.offline(65));
    }

    private static java.util.List<String> problems(Map<String, String> env) {
        return catchThrowableOfType(ConfigException.class, () -> PasswordPolicies.fromEnvironment(env, line -> { }))
                .problems();
    }
}
