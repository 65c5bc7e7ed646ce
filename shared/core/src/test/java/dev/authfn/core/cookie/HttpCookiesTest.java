package dev.authfn.core.cookie;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.cookie.HttpCookies.Absent;
import dev.authfn.core.cookie.HttpCookies.Duplicate;
import dev.authfn.core.cookie.HttpCookies.Present;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpCookiesTest {

    private final HttpCookies cookies = new HttpCookies("__Host-session", "__Host-csrf");

    @Test
    void writesTheSessionCookieWithEveryHostPrefixAttribute() {
        assertThat(cookies.session("abc.def", Duration.ofHours(8)))
                .isEqualTo("__Host-session=abc.def; Max-Age=28800; Path=/; Secure; HttpOnly; SameSite=Lax");
    }

    @Test
    void writesTheCsrfCookieReadableByScript() {
        assertThat(cookies.csrf("k.n.m", Duration.ofHours(8)))
                .isEqualTo("__Host-csrf=k.n.m; Max-Age=28800; Path=/; Secure; SameSite=Strict");
    }

    @Test
    void clearsBothCookiesWithMaxAgeZero() {
        assertThat(cookies.clearSession())
                .isEqualTo("__Host-session=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Lax");
        assertThat(cookies.clearCsrf()).isEqualTo("__Host-csrf=; Max-Age=0; Path=/; Secure; SameSite=Strict");
    }

    @Test
    void neverWritesADomain() {
        assertThat(cookies.session("v", Duration.ofMinutes(1))).doesNotContainIgnoringCase("domain");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a;b", "a b", "a,b", "a\"b", "a\\b", "a\r\nSet-Cookie: x=y", "caf\u00e9", "a\u0000"})
    void refusesValuesACookieCannotCarry(String value) {
        assertThatThrownBy(() -> cookies.session(value, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cookie __Host-session: value has characters a cookie cannot carry");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a=b", "a;b", "sess\u00efon", "a\r\n"})
    void refusesNamesThatAreNotTokens(String name) {
        assertThatThrownBy(() -> new HttpCookies(name, "__Host-csrf")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesOneNameForBothCookies() {
        assertThatThrownBy(() -> new HttpCookies("__Host-x", "__Host-x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the session and CSRF cookies need different names");
    }

    @Test
    void refusesANegativeMaxAge() {
        assertThatThrownBy(() -> cookies.session("v", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void findsTheSessionCookieInAnHttpApiCookiesArray() {
        assertThat(cookies.findSession(List.of("theme=dark", "__Host-session=abc.def", "__Host-csrf=x")))
                .isEqualTo(new Present("abc.def"));
        assertThat(cookies.findCsrf(List.of("theme=dark", "__Host-session=abc.def", "__Host-csrf=x")))
                .isEqualTo(new Present("x"));
    }

    @Test
    void findsTheSessionCookieInARestApiCookieHeader() {
        assertThat(cookies.findSession(List.of("theme=dark; __Host-session=abc.def;__Host-csrf=x")))
                .isEqualTo(new Present("abc.def"));
    }

    @Test
    void rejectsARequestCarryingTheSessionCookieTwice() {
        assertThat(cookies.findSession(List.of("__Host-session=a", "__Host-session=b"))).isEqualTo(new Duplicate());
        assertThat(cookies.findSession(List.of("__Host-session=a; __Host-session=a"))).isEqualTo(new Duplicate());
    }

    @Test
    void matchesNamesExactly() {
        assertThat(cookies.findSession(List.of("__host-session=a", "x__Host-session=b", "__Host-sessionx=c")))
                .isEqualTo(new Absent());
    }

    @Test
    void reportsAbsenceForNoCookies() {
        assertThat(cookies.findSession(null)).isEqualTo(new Absent());
        assertThat(cookies.findSession(List.of())).isEqualTo(new Absent());
        assertThat(cookies.findSession(List.of(""))).isEqualTo(new Absent());
    }

    @Test
    void unquotesAQuotedValue() {
        assertThat(cookies.findSession(List.of("__Host-session=\"abc\""))).isEqualTo(new Present("abc"));
    }

    @Test
    void neverShowsAFoundValue() {
        assertThat(new Present("secret-value").toString()).doesNotContain("secret-value");
        assertThat(new Present("secret-value").toString()).isEqualTo("Present[value=<redacted>]");
    }

    @Test
    void namesTheCookiesItWasGiven() {
        assertThat(cookies.sessionName()).isEqualTo("__Host-session");
        assertThat(cookies.csrfName()).isEqualTo("__Host-csrf");
    }

    @Test
    void findsACookieAfterAnEmptyPairAndTrimsSpacesAroundItsValue() {
        assertThat(HttpCookies.find("a", List.of(";a=1"))).isEqualTo(new Present("1"));
        assertThat(HttpCookies.find("a", List.of("b=2;;a=1 ;"))).isEqualTo(new Present("1"));
        assertThat(HttpCookies.find("a", List.of("  a=1  "))).isEqualTo(new Present("1"));
        assertThat(HttpCookies.find("a", List.of("a=  "))).isEqualTo(new Present(""));
        assertThat(HttpCookies.find("a", List.of("a="))).isEqualTo(new Present(""));
    }

    @Test
    void unquotesTwoQuotesToAnEmptyValueAndLeavesALoneQuote() {
        assertThat(HttpCookies.find("a", List.of("a=\"\""))).isEqualTo(new Present(""));
        assertThat(HttpCookies.find("a", List.of("a=\""))).isEqualTo(new Present("\""));
        assertThat(HttpCookies.find("a", List.of("a=\"x"))).isEqualTo(new Present("\"x"));
        assertThat(HttpCookies.find("a", List.of("a=x\""))).isEqualTo(new Present("x\""));
    }

    @Test
    void skipsNullHeadersAndPairsWithoutAnEqualsSign() {
        List<String> headers = new java.util.ArrayList<>();
        headers.add(null);
        headers.add("a; b=2");
        headers.add("a=1");

        assertThat(HttpCookies.find("a", headers)).isEqualTo(new Present("1"));
        assertThat(HttpCookies.find("a", List.of("b=a=1"))).isEqualTo(new Absent());
    }

    @Test
    void writesValuesOfTheWholeCookieOctetRangeUpToTheLengthLimit() {
        assertThat(cookies.session("!~", Duration.ofSeconds(1)))
                .isEqualTo("__Host-session=!~; Max-Age=1; Path=/; Secure; HttpOnly; SameSite=Lax");
        String longest = "a".repeat(HttpCookies.MAX_VALUE_LENGTH);
        assertThat(cookies.csrf(longest, Duration.ofSeconds(2)))
                .isEqualTo("__Host-csrf=" + longest + "; Max-Age=2; Path=/; Secure; SameSite=Strict");
        assertThatThrownBy(() -> cookies.csrf(longest + "a", Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cookie __Host-csrf: value has characters a cookie cannot carry");
    }

    @Test
    void refusesEachCharacterJustOutsideTheCookieOctets() {
        for (String value : List.of(" ", "\u007f", "\u0020x", "x\u007f")) {
            assertThatThrownBy(() -> cookies.session(value, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cookie __Host-session: value has characters a cookie cannot carry");
        }
    }

    @Test
    void takesNamesOfEveryTokenCharacterUpTo128Characters() {
        String everyTokenCharacter = "AZaz09!#$%&'*+-.^_`|~";
        HttpCookies named = new HttpCookies(everyTokenCharacter, "n".repeat(128));

        assertThat(named.sessionName()).isEqualTo(everyTokenCharacter);
        assertThat(named.csrf("v", Duration.ZERO)).startsWith("n".repeat(128) + "=v;");
        assertThatThrownBy(() -> new HttpCookies("n".repeat(129), "csrf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a cookie name must be 1-128 characters");
        assertThatThrownBy(() -> new HttpCookies("", "csrf"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a cookie name must be 1-128 characters");
    }

    @Test
    void refusesEachCharacterJustOutsideTheTokenRanges() {
        // Neighbours of A-Z, a-z and 0-9 in ASCII: @ [ ` is allowed, so { is used for the last.
        for (String name : List.of("@", "[", "{", "/", ":", " ", "\"")) {
            assertThatThrownBy(() -> new HttpCookies("s" + name, "csrf"))
                    .as("name s%s", name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cookie name s" + name + " is not an RFC 6265 token");
        }
    }
}
