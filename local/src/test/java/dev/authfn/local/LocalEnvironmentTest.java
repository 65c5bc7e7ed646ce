package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.authfn.local.template.SamTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalEnvironmentTest {

    private final SamTemplate template = load();

    @Test
    void namesTablesAndTheSecretByLogicalIdAsSamLocalDoes() {
        assertThat(LocalEnvironment.namedByLogicalId(template).resourceNames()).containsOnly(
                entry("SessionsTable", "SessionsTable"), entry("UsersTable", "UsersTable"), entry("OutboxTable", "OutboxTable"),
                entry("KeysSecret", "KeysSecret"));
    }

    @Test
    void givesAFunctionLambdasVariablesThenTheTemplatesThenTheLocalOnes() {
        LocalEnvironment environment = LocalEnvironment.namedByLogicalId(template)
                .withParameter("Issuer", "http://127.0.0.1:3000")
                .withResourceName("UsersTable", "users-local")
                .withVariable("AUTHFN_DYNAMODB_ENDPOINT", "http://127.0.0.1:5000")
                .withVariable("AUTHFN_AUDIENCE", "local-audience");

        Map<String, String> variables = environment.functionEnvironment(template, template.function("JwksFunction"));

        assertThat(variables).containsOnly(
                entry("AWS_REGION", "us-east-1"),
                entry("AWS_DEFAULT_REGION", "us-east-1"),
                entry("AWS_LAMBDA_FUNCTION_NAME", "JwksFunction"),
                entry("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"),
                entry("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
                entry("AWS_SAM_LOCAL", "true"),
                entry("AUTHFN_ISSUER", "http://127.0.0.1:3000"),
                entry("AUTHFN_AUDIENCE", "local-audience"),
                entry("AUTHFN_KEYS_SECRET_ID", "KeysSecret"),
                entry("AUTHFN_USERS_TABLE", ""),
                entry("AUTHFN_SESSIONS_TABLE", ""),
                entry("AUTHFN_ALLOWED_ORIGINS", ""),
                entry("AUTHFN_STATELESS_BEARER", "false"),
                entry("AUTHFN_SIGNUP", "closed"),
                entry("AUTHFN_ROUTE_POLICY", ""),
                entry("AUTHFN_DYNAMODB_ENDPOINT", "http://127.0.0.1:5000"));
        assertThat(environment.functionEnvironment(template, template.function("LoginFunction")))
                .containsEntry("AUTHFN_USERS_TABLE", "users-local");
    }

    @Test
    void givesThePasskeysFunctionItsRelyingPartyEmptyByDefaultSoTheIssuersIsTaken() {
        LocalEnvironment environment = LocalEnvironment.namedByLogicalId(template)
                .withParameter("Issuer", "https://auth.example.com");

        assertThat(environment.functionEnvironment(template, template.function("PasskeysFunction")))
                .containsEntry("AUTHFN_ISSUER", "https://auth.example.com")
                .containsEntry("AUTHFN_WEBAUTHN_RP_ID", "")
                .containsEntry("AUTHFN_WEBAUTHN_ORIGINS", "")
                .containsEntry("AUTHFN_SITE_NAME", "authfn")
                .containsEntry("AUTHFN_USERS_TABLE", "UsersTable")
                .containsEntry("AUTHFN_SESSIONS_TABLE", "SessionsTable");
    }

    @Test
    void givesTheOAuthFunctionTheRefreshLifetimesOfItsParameters() {
        LocalEnvironment environment = LocalEnvironment.namedByLogicalId(template)
                .withParameter("Issuer", "https://auth.example.com");

        assertThat(environment.functionEnvironment(template, template.function("OAuthFunction")))
                .containsEntry("AUTHFN_OAUTH_REFRESH_IDLE", "P14D")
                .containsEntry("AUTHFN_OAUTH_REFRESH_ABSOLUTE", "P30D")
                .containsEntry("AUTHFN_OAUTH_REFRESH_GRACE", "PT10S")
                .containsEntry("AUTHFN_USERS_TABLE", "UsersTable")
                .containsEntry("AUTHFN_SESSIONS_TABLE", "SessionsTable");
        assertThat(environment.withParameter("OAuthRefreshGrace", "PT0S")
                .functionEnvironment(template, template.function("OAuthFunction")))
                .containsEntry("AUTHFN_OAUTH_REFRESH_GRACE", "PT0S");
    }

    @Test
    void neverPassesTheHostEnvironment() {
        Map<String, String> variables = LocalEnvironment.namedByLogicalId(template).withParameter("Issuer", "http://x")
                .functionEnvironment(template, template.function("LoginFunction"));

        assertThat(variables).doesNotContainKeys("PATH", "HOME", "JAVA_HOME");
    }

    private static SamTemplate load() {
        try {
            return SamTemplate.load(Path.of("..", "template.yaml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
