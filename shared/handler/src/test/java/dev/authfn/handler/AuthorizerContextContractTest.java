package dev.authfn.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.authz.AuthType;
import dev.authfn.lambda.AuthorizerContext;
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

    @Test
    void theKeysAreTheAuthorizersKeys() {
        assertThat(List.of(ContextKeys.SUB, ContextKeys.USERNAME, ContextKeys.ROLES, ContextKeys.PERMISSIONS,
                ContextKeys.SID, ContextKeys.AUTH_TYPE)).containsExactly(AuthorizerContext.SUB, AuthorizerContext.USERNAME,
                AuthorizerContext.ROLES, AuthorizerContext.PERMISSIONS, AuthorizerContext.SID, AuthorizerContext.AUTH_TYPE);
    }

    @Test
    void aContextTheAuthorizerWroteReadsBackAsTheSamePrincipal() {
        for (AuthType type : AuthType.values()) {
            dev.authfn.core.authz.Principal written = new dev.authfn.core.authz.Principal("u-1", "alice",
                    Set.of("admin", "user"), Set.of("orders:write", "posts:create"), "AAAAAAAAAAAAAAAAAAAAAA", type);
            Map<String, String> context = AuthorizerContext.of(written);

            assertThat(context).containsOnlyKeys(ContextKeys.SUB, ContextKeys.USERNAME, ContextKeys.ROLES,
                    ContextKeys.PERMISSIONS, ContextKeys.SID, ContextKeys.AUTH_TYPE);
            assertThat(Principal.fromAuthorizerContext(context)).contains(new Principal("u-1", "alice",
                    Set.of("admin", "user"), Set.of("orders:write", "posts:create"), "AAAAAAAAAAAAAAAAAAAAAA",
                    Principal.AuthType.valueOf(type.name()), List.of(), Optional.empty()));
            assertThat(Principal.AuthType.valueOf(type.name()).wireName()).isEqualTo(type.wireName());
        }
    }
}
