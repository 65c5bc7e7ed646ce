package dev.authfn.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.authz.AuthType;
import dev.authfn.lambda.AuthorizerContext;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The library reads exactly what the authfn authorizer writes: the context built by
 * {@code dev.authfn.lambda.AuthorizerContext} (the authorizer's one writer) comes back as the same
 * principal, key for key. {@code authfn-lambda} is a test dependency only.
 */
class AuthorizerContextContractTest {

    private static final Instant AUTH_TIME = Instant.parse("2026-11-26T09:55:00Z");

    @Test
    void theKeysAreTheAuthorizersKeys() {
        assertThat(List.of(ContextKeys.SUB, ContextKeys.USERNAME, ContextKeys.ROLES, ContextKeys.PERMISSIONS,
                ContextKeys.SID, ContextKeys.AUTH_TYPE, ContextKeys.AMR, ContextKeys.AUTH_TIME, ContextKeys.ACR))
                .containsExactly(AuthorizerContext.SUB, AuthorizerContext.USERNAME, AuthorizerContext.ROLES,
                        AuthorizerContext.PERMISSIONS, AuthorizerContext.SID, AuthorizerContext.AUTH_TYPE,
                        AuthorizerContext.AMR, AuthorizerContext.AUTH_TIME, AuthorizerContext.ACR);
    }

    @Test
    void aContextTheAuthorizerWroteReadsBackAsTheSamePrincipal() {
        for (AuthType type : AuthType.values()) {
            for (List<String> amr : List.of(List.of("pwd"), List.of("pwd", "otp", "mfa"))) {
                dev.authfn.core.authz.Principal written = new dev.authfn.core.authz.Principal("u-1", "alice",
                        Set.of("admin", "user"), Set.of("orders:write", "posts:create"), "AAAAAAAAAAAAAAAAAAAAAA", type,
                        amr, Optional.of(AUTH_TIME));
                Map<String, String> context = AuthorizerContext.of(written);

                assertThat(context).containsOnlyKeys(ContextKeys.SUB, ContextKeys.USERNAME, ContextKeys.ROLES,
                        ContextKeys.PERMISSIONS, ContextKeys.SID, ContextKeys.AUTH_TYPE, ContextKeys.AMR,
                        ContextKeys.AUTH_TIME, ContextKeys.ACR);
                Principal read = Principal.fromAuthorizerContext(context).orElseThrow();
                assertThat(read).isEqualTo(new Principal("u-1", "alice", Set.of("admin", "user"),
                        Set.of("orders:write", "posts:create"), "AAAAAAAAAAAAAAAAAAAAAA",
                        Principal.AuthType.valueOf(type.name()), amr, Optional.of(AUTH_TIME)));
                assertThat(read.acr()).as("the class the authorizer wrote").isEqualTo(written.acr())
                        .isEqualTo(context.get(ContextKeys.ACR));
                assertThat(Principal.AuthType.valueOf(type.name()).wireName()).isEqualTo(type.wireName());
            }
        }
    }
}
