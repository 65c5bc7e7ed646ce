package dev.authfn.core.jwt;

import static dev.authfn.core.jwt.TokenForge.AUDIENCE;
import static dev.authfn.core.jwt.TokenForge.ISSUER;
import static dev.authfn.core.jwt.TokenForge.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.JWTClaimsSet;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessTokenClaimsTest {

    private static AccessTokenClaims claims(Set<String> roles, Set<String> permissions) {
        return new AccessTokenClaims("user-1", "alice", "session-1", roles, permissions, "authfn-web", "jti-1",
                NOW, NOW.plusSeconds(300));
    }

    @Test
    void readsBackWhatItWrites() throws Exception {
        AccessTokenClaims written = claims(Set.of("user", "admin"), Set.of("posts:read", "posts:create"));

        AccessTokenClaims read = AccessTokenClaims.fromJwtClaims(written.toJwtClaims(ISSUER, AUDIENCE));

        assertThat(read).isEqualTo(written);
    }

    @Test
    void readsBackASecondFactorAndItsAuthTime() throws Exception {
        AccessTokenClaims written = new AccessTokenClaims("user-1", "alice", "session-1", Set.of(), Set.of(),
                "authfn-web", "jti-1", NOW, NOW.plusSeconds(300), List.of("pwd", "otp", "mfa"), NOW.minusSeconds(42));

        JWTClaimsSet jwt = written.toJwtClaims(ISSUER, AUDIENCE);
        AccessTokenClaims read = AccessTokenClaims.fromJwtClaims(jwt);

        assertThat(read).isEqualTo(written);
        assertThat(read.acr()).isEqualTo("urn:authfn:acr:mfa");
        assertThat(jwt.toJSONObject()).containsEntry("amr", List.of("pwd", "otp", "mfa"))
                .containsEntry("auth_time", NOW.getEpochSecond() - 42)
                .containsEntry("acr", "urn:authfn:acr:mfa");
    }

    @Test
    void readsATokenFromBeforeAmrAsAPasswordSessionAuthenticatedAtIat() throws Exception {
        AccessTokenClaims read = AccessTokenClaims.fromJwtClaims(JWTClaimsSet.parse(TokenForge.claims()));

        assertThat(read.amr()).containsExactly("pwd");
        assertThat(read.authTime()).isEqualTo(NOW);
        assertThat(read.acr()).isEqualTo("urn:authfn:acr:sfa");
        assertThat(read).isEqualTo(new AccessTokenClaims("user-1", "alice", "session-1", Set.of("user"),
                Set.of("posts:read"), "authfn-web", "jti-1", NOW, NOW.plusSeconds(300)));
    }

    @Test
    void readsMissingRolesAndScopeAsEmpty() throws Exception {
        Map<String, Object> json = TokenForge.claims();
        json.remove("roles");
        json.remove("scope");

        AccessTokenClaims read = AccessTokenClaims.fromJwtClaims(JWTClaimsSet.parse(json));

        assertThat(read.roles()).isEmpty();
        assertThat(read.permissions()).isEmpty();
    }

    @Test
    void refusesRolesThatAreNotStrings() throws Exception {
        Map<String, Object> json = TokenForge.claims();
        json.put("roles", List.of(1));

        assertThatThrownBy(() -> AccessTokenClaims.fromJwtClaims(JWTClaimsSet.parse(json)))
                .isInstanceOf(ParseException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "posts:read admin", "posts:read\tadmin", "posts:read\n"})
    void refusesPermissionThatIsEmptyOrHoldsWhitespace(String permission) {
        assertThatThrownBy(() -> claims(Set.of(), Set.of(permission)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a permission must be non-empty and hold no whitespace");
    }

    @Test
    void refusesBlankSubject() {
        assertThatThrownBy(() -> new AccessTokenClaims(" ", "alice", "session-1", Set.of(), Set.of(), "authfn-web",
                "jti-1", NOW, NOW)).isInstanceOf(IllegalArgumentException.class).hasMessage("subject must not be blank");
    }

    @Test
    void keepsItsOwnImmutableCopyOfRoles() {
        Set<String> roles = new HashSet<>(Set.of("user"));
        AccessTokenClaims claims = claims(roles, Set.of());

        roles.add("admin");

        assertThat(claims.roles()).containsExactly("user");
        assertThatThrownBy(() -> claims.roles().add("admin")).isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"username", "sessionId", "clientId", "jti"})
    void refusesABlankOrMissingRequiredClaim(String name) {
        for (String blank : new String[] {null, "", " \t"}) {
            assertThatThrownBy(() -> new AccessTokenClaims("user-1",
                    name.equals("username") ? blank : "alice",
                    name.equals("sessionId") ? blank : "session-1",
                    Set.of(), Set.of(),
                    name.equals("clientId") ? blank : "authfn-web",
                    name.equals("jti") ? blank : "jti-1",
                    NOW, NOW.plusSeconds(300)))
                    .as("%s = %s", name, blank)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(name + " must not be blank");
        }
    }

    @ParameterizedTest
    @CsvSource({"preferred_username, username", "sid, sessionId", "client_id, clientId", "jti, jti"})
    void refusesVerifiedClaimsWithABlankOrMissingRequiredClaim(String claim, String name) throws Exception {
        Map<String, Object> blank = TokenForge.claims();
        blank.put(claim, " ");
        Map<String, Object> missing = TokenForge.claims();
        missing.remove(claim);

        assertThatThrownBy(() -> AccessTokenClaims.fromJwtClaims(JWTClaimsSet.parse(blank)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(name + " must not be blank");
        assertThatThrownBy(() -> AccessTokenClaims.fromJwtClaims(JWTClaimsSet.parse(missing)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(name + " must not be blank");
    }

    @Test
    void readsEveryClaimFromTheVerifiedSet() throws Exception {
        AccessTokenClaims read = AccessTokenClaims.fromJwtClaims(JWTClaimsSet.parse(TokenForge.claims()));

        assertThat(read.subject()).isEqualTo(TokenForge.claims().get("sub"));
        assertThat(read.username()).isEqualTo(TokenForge.claims().get("preferred_username"));
        assertThat(read.sessionId()).isEqualTo(TokenForge.claims().get("sid"));
        assertThat(read.clientId()).isEqualTo(TokenForge.claims().get("client_id"));
        assertThat(read.jti()).isEqualTo(TokenForge.claims().get("jti"));
    }

    @Test
    void readsAScopeWithRepeatedSpacesAsItsPermissionsOnly() throws Exception {
        Map<String, Object> json = TokenForge.claims();
        json.put("scope", " posts:read  posts:create ");

        assertThat(AccessTokenClaims.fromJwtClaims(JWTClaimsSet.parse(json)).permissions())
                .containsExactlyInAnyOrder("posts:read", "posts:create");
    }

    @Test
    void writesRolesAsAnArrayAndPermissionsAsOneSortedScope() {
        JWTClaimsSet jwt = claims(Set.of("user", "admin"), Set.of("posts:read", "posts:create"))
                .toJwtClaims(ISSUER, AUDIENCE);

        assertThat(jwt.getClaim("roles")).isEqualTo(List.of("admin", "user"));
        assertThat(jwt.getClaim("scope")).isEqualTo("posts:create posts:read");
        assertThat(jwt.getIssuer()).isEqualTo(ISSUER);
        assertThat(jwt.getAudience()).containsExactly(AUDIENCE);
    }
}
