package dev.authfn.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScopesTest {

    @Test
    void parsesSpaceSeparatedScopesInOrderWithoutRepeats() {
        Set<String> scopes = Scopes.parse("openid posts:create profile openid").orElseThrow();

        assertThat(scopes).containsExactly("openid", "posts:create", "profile");
    }

    @Test
    void anAbsentOrEmptyParameterIsNoScopes() {
        assertThat(Scopes.parse(null)).hasValueSatisfying(scopes -> assertThat(scopes).isEmpty());
        assertThat(Scopes.parse("")).hasValueSatisfying(scopes -> assertThat(scopes).isEmpty());
    }

    @Test
    void acceptsEveryCharacterRfc6749Allows() {
        String token = "!#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~";

        assertThat(Scopes.parse(token)).hasValueSatisfying(scopes -> assertThat(scopes).containsExactly(token));
        assertThat(Scopes.isScopeToken(token)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openid  profile", " openid", "openid ", " ", "open\"id", "open\\id", "openid\tprofile",
        "openid\nprofile", "café", "openid\u007fprofile", "openid\u0000"})
    void refusesAMalformedParameter(String parameter) {
        assertThat(Scopes.parse(parameter)).isEmpty();
    }

    @Test
    void refusesAnOverlongParameterOrToken() {
        String limit = String.join(" ", List.of("a".repeat(128), "b".repeat(128), "c".repeat(128), "d".repeat(128),
                "e".repeat(128), "f".repeat(128), "g".repeat(128), "h".repeat(121)));
        assertThat(limit).hasSize(Scopes.MAX_LENGTH);

        assertThat(Scopes.parse(limit)).hasValueSatisfying(scopes -> assertThat(scopes).hasSize(8));
        assertThat(Scopes.parse(limit + "h")).isEmpty();
        assertThat(Scopes.parse("a".repeat(129))).as("one token over 128").isEmpty();
        assertThat(Scopes.isScopeToken("a".repeat(128))).isTrue();
        assertThat(Scopes.isScopeToken("a".repeat(129))).isFalse();
    }

    @Test
    void aTokenIsOneOrMorePrintableCharactersOtherThanSpaceQuoteAndBackslash() {
        assertThat(Scopes.isScopeToken("openid")).isTrue();
        assertThat(Scopes.isScopeToken("!")).isTrue();
        assertThat(Scopes.isScopeToken("~")).isTrue();
        assertThat(Scopes.isScopeToken("#")).isTrue();
        assertThat(Scopes.isScopeToken("]")).isTrue();
        assertThat(Scopes.isScopeToken("")).isFalse();
        assertThat(Scopes.isScopeToken(null)).isFalse();
        assertThat(Scopes.isScopeToken(" ")).isFalse();
        assertThat(Scopes.isScopeToken("\"")).isFalse();
        assertThat(Scopes.isScopeToken("\\")).isFalse();
        assertThat(Scopes.isScopeToken("\u007f")).isFalse();
        assertThat(Scopes.isScopeToken("\u0020")).isFalse();
    }

    @Test
    void joinsWithSingleSpacesInTheSetsOrder() {
        Set<String> scopes = new LinkedHashSet<>(List.of("openid", "posts:create", "email"));

        assertThat(Scopes.join(scopes)).isEqualTo("openid posts:create email");
        assertThat(Scopes.join(Set.of())).isEmpty();
        assertThat(Scopes.parse(Scopes.join(scopes))).contains(scopes);
    }

    @Test
    void knowsTheOpenIdScopes() {
        assertThat(Scopes.OPENID_SCOPES).containsExactlyInAnyOrder("openid", "profile", "email", "offline_access");
    }
}
