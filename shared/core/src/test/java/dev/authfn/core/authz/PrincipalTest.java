package dev.authfn.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PrincipalTest {

    @Test
    void keepsAnImmutableCopyOfRolesAndPermissions() {
        // given
        Set<String> roles = new HashSet<>(Set.of("user"));
        Set<String> permissions = new HashSet<>(Set.of("posts:read"));

        // when
        Principal principal = new Principal("u-1", "alice", roles, permissions, "s-1", AuthType.COOKIE);
        roles.add("admin");
        permissions.add("posts:create");

        // then
        assertThat(principal.roles()).containsExactly("user");
        assertThat(principal.permissions()).containsExactly("posts:read");
        assertThatThrownBy(() -> principal.roles().add("admin"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void requiresEveryIdentityField() {
        assertThatThrownBy(() -> new Principal(null, "alice", Set.of(), Set.of(), "s-1", AuthType.BEARER))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("userId");
        assertThatThrownBy(() -> new Principal("u-1", "alice", Set.of(), Set.of(), null, AuthType.BEARER))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("sessionId");
        assertThatThrownBy(() -> new Principal("u-1", "alice", Set.of(), Set.of(), "s-1", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("authType");
    }

    @Test
    void theShortConstructorIsAPasswordPrincipalOfUnknownAuthTime() {
        Principal principal = new Principal("u-1", "alice", Set.of(), Set.of(), "s-1", AuthType.COOKIE);

        assertThat(principal.amr()).containsExactly("pwd");
        assertThat(principal.authTime()).isEmpty();
        assertThat(principal.acr()).isEqualTo(Acr.SFA);
    }

    @Test
    void derivesTheMultiFactorClassFromMfaInTheMethods() {
        Principal principal = new Principal("u-1", "alice", Set.of(), Set.of(), "s-1", AuthType.BEARER,
                List.of("pwd", "otp", "mfa"), Optional.of(Instant.parse("2026-11-26T10:00:00Z")));

        assertThat(principal.acr()).isEqualTo("urn:authfn:acr:mfa");
        assertThat(principal.amr()).containsExactly("pwd", "otp", "mfa");
    }

    @Test
    void refusesNoMethodsOrANullAuthTime() {
        assertThatThrownBy(() -> new Principal("u-1", "alice", Set.of(), Set.of(), "s-1", AuthType.BEARER, List.of(),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Principal("u-1", "alice", Set.of(), Set.of(), "s-1", AuthType.BEARER,
                List.of("pwd"), null)).isInstanceOf(NullPointerException.class).hasMessage("authTime");
    }
}
