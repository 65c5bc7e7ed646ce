package dev.authfn.core.cookie;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.authfn.core.cookie.HttpCookies.Absent;
import dev.authfn.core.cookie.HttpCookies.Duplicate;
import dev.authfn.core.cookie.HttpCookies.Lookup;
import dev.authfn.core.cookie.HttpCookies.Present;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of the cookie reader, {@link HttpCookies#find}. The input is the
 * request's cookies, one element a line: each a {@code name=value} pair (HTTP API v2) or a whole
 * {@code Cookie} header (REST API v1). Seeds: {@code HttpCookiesFuzzTestInputs/<method>/}.
 */
class HttpCookiesFuzzTest {

    private static final String NAME = "__Host-session";
    private static final String PLANTED = NAME + "=planted";

    /**
     * Whatever else the request carries, a second cookie of the session's name, planted anywhere
     * (its own element, or inside a header before the rest), never wins: with none before it is
     * found, with one before the lookup is a {@link Duplicate}. A value a client can send (the
     * input's cookie-octets) is read back exactly, plain or quoted. Nothing throws.
     */
    @FuzzTest
    void aPlantedSessionCookieNeverWinsAndASentValueIsReadBackExactly(@NotNull String input) {
        List<String> cookies = List.of(input.split("\n", -1));
        String header = String.join("; ", cookies);

        assertThat(HttpCookies.find(NAME, append(cookies, PLANTED))).isEqualTo(plantedInto(cookies));
        assertThat(HttpCookies.find(NAME, prepend(cookies, PLANTED))).isEqualTo(plantedInto(cookies));
        assertThat(HttpCookies.find(NAME, List.of(PLANTED + "; " + header))).isEqualTo(plantedInto(List.of(header)));
        if (HttpCookies.find(NAME, cookies) instanceof Present present) {
            assertThat(present.value()).doesNotContain(";");
        }

        String value = cookieOctets(input);
        assertThat(HttpCookies.find(NAME, List.of(NAME + "=" + value))).isEqualTo(new Present(value));
        assertThat(HttpCookies.find(NAME, List.of(NAME + "=\"" + value + "\""))).isEqualTo(new Present(value));
        assertThat(HttpCookies.find(NAME, List.of("other=" + value + "; " + NAME + "=" + value + " ")))
                .isEqualTo(new Present(value));
    }

    /** What finding the session cookie answers once {@link #PLANTED} is added to {@code cookies}. */
    private static Lookup plantedInto(List<String> cookies) {
        return HttpCookies.find(NAME, cookies) instanceof Absent ? new Present("planted") : new Duplicate();
    }

    private static String cookieOctets(String input) {
        StringBuilder value = new StringBuilder();
        input.chars().filter(c -> HttpCookies.isCookieValue(String.valueOf((char) c))).forEach(c -> value.append((char) c));
        return value.toString();
    }

    private static List<String> append(List<String> cookies, String cookie) {
        List<String> all = new ArrayList<>(cookies);
        all.add(cookie);
        return all;
    }

    private static List<String> prepend(List<String> cookies, String cookie) {
        List<String> all = new ArrayList<>(cookies);
        all.addFirst(cookie);
        return all;
    }
}
