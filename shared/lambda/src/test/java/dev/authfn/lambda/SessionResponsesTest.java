package dev.authfn.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.session.Session;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SessionResponsesTest {

    private static final Instant EXPIRES = Instant.parse("2026-12-03T16:00:00Z");

    @ParameterizedTest(name = "{0} ms left -> Max-Age {1}")
    @CsvSource({
            "28800000, 28800", // the response of a login, in the same millisecond
            "28799997, 28800", // ... three milliseconds after the session was created
            "28199000, 28199", // a whole number of seconds stays as it is
            "28199001, 28200", // never less than what is left: the next second up
            "1500, 2",
            "1, 1",
            "0, 1",            // an ended session's cookie is never issued, but never negative either
            "-5000, 1"})
    void theCookieLivesWhatTheSessionHasLeftRoundedUpToAWholeSecond(long millisLeft, long maxAge) {
        Instant now = EXPIRES.minusMillis(millisLeft);

        assertThat(SessionResponses.cookieLifetime(sessionExpiringAt(EXPIRES), now)).isEqualTo(Duration.ofSeconds(maxAge));
    }

    private static Session sessionExpiringAt(Instant absolute) {
        Instant created = absolute.minus(Duration.ofHours(8));
        return new Session("sid", "hash", "u-alice", "alice", Set.of("user"), Set.of(),
                created, created, absolute.minus(Duration.ofHours(7)), absolute, "", "");
    }
}
