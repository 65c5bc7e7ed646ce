package dev.authfn.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00.123Z");

    private static Session withAmr(List<String> amr, Instant authTime) {
        return new Session("id", "hash", "u-1", "alice", Set.of("user"), Set.of(), T0, T0, T0.plusSeconds(60),
                T0.plusSeconds(600), "ua", "ip", amr, authTime);
    }

    @Test
    void theShortConstructorIsAPasswordLoginAuthenticatedAtCreation() {
        Session session = new Session("id", "hash", "u-1", "alice", Set.of(), Set.of(), T0, T0.plusSeconds(5),
                T0.plusSeconds(60), T0.plusSeconds(600), "ua", "ip");

        assertThat(session.amr()).containsExactly("pwd");
        assertThat(session.authTime()).isEqualTo(T0);
    }

    @Test
    void keepsTheMethodsInTheirOrderAndUnmodifiable() {
        List<String> given = new ArrayList<>(List.of("pwd", "otp", "mfa"));

        Session session = withAmr(given, T0.minusSeconds(3));
        given.clear();

        assertThat(session.amr()).containsExactly("pwd", "otp", "mfa");
        assertThatThrownBy(() -> session.amr().add("hwk")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(session.authTime()).isEqualTo(T0.minusSeconds(3));
    }

    @Test
    void refusesNoMethodsABadMethodOrNoAuthTime() {
        assertThatThrownBy(() -> withAmr(List.of(), T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withAmr(List.of("pwd otp"), T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withAmr(List.of("pwd", "pwd"), T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> withAmr(List.of("pwd"), null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void newGrantsAndASlideKeepHowAndWhenTheUserAuthenticated() {
        Session session = withAmr(List.of("pwd", "otp", "mfa"), T0.minusSeconds(3));

        Session granted = session.withGrants(Set.of("admin"), Set.of("posts:create"));
        Session touched = session.touchedAt(T0.plusSeconds(30), T0.plusSeconds(90));

        assertThat(granted).usingRecursiveComparison().ignoringFields("roles", "permissions").isEqualTo(session);
        assertThat(granted.roles()).containsExactly("admin");
        assertThat(granted.permissions()).containsExactly("posts:create");
        assertThat(touched).usingRecursiveComparison().ignoringFields("lastSeenAt", "idleExpiresAt").isEqualTo(session);
        assertThat(touched.lastSeenAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(touched.idleExpiresAt()).isEqualTo(T0.plusSeconds(90));
    }

    @Test
    void toStringShowsNoSecretHashAndNoAuthentication() {
        assertThat(withAmr(List.of("pwd"), T0)).hasToString("Session[id=id, userId=u-1, secretHash=<redacted>]");
    }
}
