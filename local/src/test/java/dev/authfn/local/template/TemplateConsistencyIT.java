package dev.authfn.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.dynamodb.TableDefinitions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/**
 * template.yaml against what the build makes: every function's handler class is in the jar its
 * module packages (run after the function modules' package phase, as failsafe is; template-rest.yaml's
 * one function too), and the two
 * tables it declares agree with {@link TableDefinitions}, which the local tools and the tests
 * create tables from. That every declared route is answered by its function is
 * {@code dev.authfn.local.e2e.AuthFlowIT}'s job, over HTTP.
 */
class TemplateConsistencyIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyHandlerClassIsInItsFunctionsJar() throws Exception {
        SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));
        List<String> checked = new ArrayList<>();

        for (FunctionSpec function : template.functions().values()) {
            assertHandlerInJar(function);
            checked.add(function.logicalId());
        }

        assertThat(checked).containsExactlyInAnyOrder("LoginFunction", "AccountFunction", "MfaFunction",
                "PasskeysFunction", "OAuthFunction", "MailerFunction", "AuthorizerFunction", "SessionFunction", "JwksFunction", "ProtectedFunction");
    }

    @Test
    void theRestTemplatesAuthorizerIsInTheAuthorizerJar() throws Exception {
        // template-rest.yaml deploys the REST authorizer alone, built by the same make target.
        SamTemplate template = SamTemplate.load(ROOT.resolve("template-rest.yaml"));

        assertThat(template.functions()).containsOnlyKeys("AuthorizerFunction");
        FunctionSpec authorizer = template.function("AuthorizerFunction");
        assertThat(authorizer.handlerClass()).isEqualTo("dev.authfn.functions.authorizer.RestAuthorizerHandler");
        assertThat(authorizer.module()).hasValue("functions/authorizer");
        assertHandlerInJar(authorizer);
    }

    private static void assertHandlerInJar(FunctionSpec function) throws Exception {
        String module = function.module().orElseThrow(
                () -> new AssertionError(function.logicalId() + " has no Metadata.AuthfnModule"));
        Path jar = ROOT.resolve(module).resolve("target")
                .resolve("authfn-" + Path.of(module).getFileName() + "-lambda.jar");
        assertThat(jar).as("%s's jar", function.logicalId()).isRegularFile();
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getEntry(function.handlerClass().replace('.', '/') + ".class"))
                    .as("%s in %s", function.handlerClass(), jar.getFileName()).isNotNull();
        }
    }

    @Test
    void everyRouteOfTheSpecIsDeclaredOnce() throws Exception {
        SamTemplate template = SamTemplate.load(ROOT.resolve("template.yaml"));

        assertThat(template.routes()).extracting(RouteSpec::routeKey).containsExactlyInAnyOrder(
                "POST /auth/login", "POST /auth/register", "POST /auth/email/verify", "POST /auth/email/resend",
                "POST /auth/password/forgot", "POST /auth/password/reset", "POST /auth/password/change",
                "POST /auth/mfa/verify", "POST /auth/mfa/totp", "POST /auth/mfa/totp/confirm", "DELETE /auth/mfa/totp",
                "POST /auth/passkeys/register/options", "POST /auth/passkeys/register", "GET /auth/passkeys",
                "PATCH /auth/passkeys/{id}", "DELETE /auth/passkeys/{id}", "POST /auth/passkeys/login/options",
                "POST /auth/passkeys/login",
                "GET /oauth2/authorize", "POST /oauth2/token", "OPTIONS /oauth2/token", "POST /oauth2/revoke",
                "OPTIONS /oauth2/revoke", "GET /oauth2/userinfo", "POST /oauth2/userinfo", "OPTIONS /oauth2/userinfo",
                "GET /.well-known/openid-configuration", "OPTIONS /.well-known/openid-configuration",
                "POST /auth/refresh", "POST /auth/logout", "POST /auth/logout-all",
                "GET /auth/sessions", "DELETE /auth/sessions/{id}", "GET /.well-known/jwks.json",
                "GET /protected", "GET /admin", "POST /posts",
                "GET /protected/step-up");
    }

    @Test
    void theSessionsTableAgreesWithTableDefinitions() throws Exception {
        assertAgrees(table("SessionsTable"), TableDefinitions.sessionsTable("any"));
    }

    @Test
    void theUsersTableAgreesWithTableDefinitions() throws Exception {
        assertAgrees(table("UsersTable"), TableDefinitions.usersTable("any"));
    }

    @Test
    void theOutboxTableAgreesWithTableDefinitions() throws Exception {
        assertAgrees(table("OutboxTable"), TableDefinitions.outboxTable("any"));
        assertThat(table("OutboxTable").get("StreamSpecification")).isEqualTo(Map.of("StreamViewType",
                TableDefinitions.outboxTable("any").streamSpecification().streamViewTypeAsString()));
    }

    private static void assertAgrees(Map<String, Object> declared, CreateTableRequest defined) {
        assertThat(declared.get("BillingMode")).isEqualTo(defined.billingModeAsString());
        assertThat(keySchema(declared.get("KeySchema"))).isEqualTo(keySchema(defined.keySchema()));
        assertThat(attributes(declared.get("AttributeDefinitions")))
                .isEqualTo(defined.attributeDefinitions().stream()
                        .map(a -> a.attributeName() + ":" + a.attributeTypeAsString()).sorted().toList());
        List<String> declaredIndexes = new ArrayList<>();
        for (Object index : list(declared.getOrDefault("GlobalSecondaryIndexes", List.of()))) {
            Map<?, ?> gsi = (Map<?, ?>) index;
            declaredIndexes.add(gsi.get("IndexName") + " " + keySchema(gsi.get("KeySchema")) + " "
                    + ((Map<?, ?>) gsi.get("Projection")).get("ProjectionType"));
        }
        List<String> definedIndexes = new ArrayList<>();
        for (GlobalSecondaryIndex gsi : defined.globalSecondaryIndexes()) {
            definedIndexes.add(gsi.indexName() + " " + keySchema(gsi.keySchema()) + " "
                    + gsi.projection().projectionTypeAsString());
        }
        assertThat(declaredIndexes).isEqualTo(definedIndexes);
        Map<?, ?> ttl = (Map<?, ?>) declared.get("TimeToLiveSpecification");
        assertThat(ttl).as("TTL").isNotNull();
        assertThat(ttl.get("Enabled")).isEqualTo(true);
        assertThat(ttl.get("AttributeName")).isEqualTo(TableDefinitions.TTL_ATTRIBUTE);
    }

    private static Map<String, Object> table(String logicalId) throws Exception {
        Map<String, Object> document = CfnYaml.load(
                Files.readString(ROOT.resolve("template.yaml"), StandardCharsets.UTF_8), "template.yaml");
        Map<?, ?> resource = (Map<?, ?>) ((Map<?, ?>) document.get("Resources")).get(logicalId);
        assertThat(resource.get("Type")).isEqualTo("AWS::DynamoDB::Table");
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
        return properties;
    }

    private static List<String> keySchema(Object declared) {
        return list(declared).stream().map(k -> (Map<?, ?>) k)
                .map(k -> k.get("AttributeName") + ":" + k.get("KeyType")).toList();
    }

    private static List<String> keySchema(List<KeySchemaElement> defined) {
        return defined.stream().map(k -> k.attributeName() + ":" + k.keyTypeAsString()).toList();
    }

    private static List<String> attributes(Object declared) {
        return list(declared).stream().map(a -> (Map<?, ?>) a)
                .map(a -> a.get("AttributeName") + ":" + a.get("AttributeType")).sorted().toList();
    }

    private static List<?> list(Object value) {
        return (List<?>) value;
    }

}
