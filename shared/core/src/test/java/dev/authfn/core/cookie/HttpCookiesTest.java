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
    }
}
