package dev.authfn.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class FormParametersTest {

    private static final int LIMIT = 8192;

    @Test
    void keepsEveryValueOfARepeatedNameInOrderSoTheCallerCanRefuseIt() {
        Map<String, List<String>> parameters = parsed("scope=openid&state=a&scope=email");

        assertThat(parameters).containsExactly(Map.entry("scope", List.of("openid", "email")),
                Map.entry("state", List.of("a")));
    }

    @Test
    void aCommaIsPartOfTheValueAndNeverSplitsIt() {
        // API Gateway's queryStringParameters joins a=1&a=2 into "1,2": this parser keeps them apart.
        assertThat(parsed("a=1,2")).containsExactly(Map.entry("a", List.of("1,2")));
        assertThat(parsed("a=1&a=2")).containsExactly(Map.entry("a", List.of("1", "2")));
    }

    @Test
    void decodesPercentEscapesAsUtf8AndPlusAsASpace() {
        Map<String, List<String>> parameters = parsed(
                "redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1&scope=openid+email&name=J%C3%BCrgen%20%E2%82%AC&raw=Jürgen");

        assertThat(parameters).containsExactly(
                Map.entry("redirect_uri", List.of("https://app.example/cb?x=1")),
                Map.entry("scope", List.of("openid email")),
                Map.entry("name", List.of("Jürgen €")),
                Map.entry("raw", List.of("Jürgen")));
    }

    @Test
    void aPlusEscapedIsAPlusAndAnEqualsSignAfterTheFirstBelongsToTheValue() {
        assertThat(parsed("a=1%2B1&b=x=y")).containsExactly(Map.entry("a", List.of("1+1")), Map.entry("b", List.of("x=y")));
    }

    @Test
    void aNameWithoutEqualsSignHasAnEmptyValueAndEmptyPairsAreSkipped() {
        assertThat(parsed("&&prompt&a=&=v&")).containsExactly(Map.entry("prompt", List.of("")), Map.entry("a", List.of("")),
                Map.entry("", List.of("v")));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void nothingIsNoParameters(String text) {
        assertThat(parsed(text)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%", "a=%4", "a=%zz", "a=%4g", "%=1", "a=1%", "a=%%41", "a=%\uFF14\uFF11"})
    void refusesAPercentSignWithoutTwoHexDigits(String text) {
        assertThat(FormParameters.parse(text, LIMIT))
                .isEqualTo(new FormParameters.Refused("A parameter is not valid percent-encoded UTF-8."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=%FF", "a=%C3", "a=%C3%28", "a=%ED%A0%80", "a=%C0%AF", "a=%F8%88%80%80%80", "a=\uD800", "a=x\uDC00"})
    void refusesBytesThatAreNotUtf8AndUnpairedSurrogates(String text) {
        assertThat(FormParameters.parse(text, LIMIT))
                .isEqualTo(new FormParameters.Refused("A parameter is not valid percent-encoded UTF-8."));
    }

    @Test
    void aFourByteCharacterSentUnencodedOrEncodedIsTheSame() {
        assertThat(parsed("a=😀&b=%F0%9F%98%80")).containsExactly(Map.entry("a", List.of("😀")), Map.entry("b", List.of("😀")));
    }

    @Test
    void refusesATextOverItsBoundBeforeReadingIt() {
        String exactly = "a=" + "x".repeat(LIMIT - 2);

        assertThat(parsed(exactly)).containsExactly(Map.entry("a", List.of("x".repeat(LIMIT - 2))));
        assertThat(FormParameters.parse(exactly + "x", LIMIT))
                .isEqualTo(new FormParameters.Refused("The parameters are longer than 8192 characters."));
    }

    @Test
    void refusesMoreThanSixtyFourPairs() {
        String sixtyFour = "a=1&".repeat(FormParameters.MAX_PAIRS);

        assertThat(parsed(sixtyFour).get("a")).hasSize(FormParameters.MAX_PAIRS);
        assertThat(FormParameters.parse(sixtyFour + "b=2", LIMIT))
                .isEqualTo(new FormParameters.Refused("More than 64 parameters."));
    }

    @Test
    void aRefusalNeverRepeatsTheText() {
        FormParameters.Result result = FormParameters.parse("code_verifier=secret%ZZ", LIMIT);

        assertThat(((FormParameters.Refused) result).detail()).doesNotContain("secret").doesNotContain("code_verifier");
    }

    @Test
    void theParametersCannotBeChanged() {
        FormParameters.Parsed parsed = (FormParameters.Parsed) FormParameters.parse("a=1", LIMIT);

        assertThat(parsed.values("a")).containsExactly("1");
        assertThat(parsed.values("b")).isEmpty();
        assertThatThrownBy(() -> parsed.parameters().put("b", List.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> parsed.values("a").add("2")).isInstanceOf(UnsupportedOperationException.class);
    }

    private static Map<String, List<String>> parsed(String text) {
        FormParameters.Result result = FormParameters.parse(text, LIMIT);
        assertThat(result).isInstanceOf(FormParameters.Parsed.class);
        return ((FormParameters.Parsed) result).parameters();
    }
}
