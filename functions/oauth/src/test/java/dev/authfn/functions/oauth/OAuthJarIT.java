package dev.authfn.functions.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.auth.Components;
import dev.authfn.auth.LoginService;
import dev.authfn.core.json.Json;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.dynamodb.DynamoDbClients;
import dev.authfn.dynamodb.TableDefinitions;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.testkit.lambda.FunctionJar;
import dev.authfn.testkit.lambda.World;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The packaged target/authfn-oauth-lambda.jar: the handler is there with its login page and the
 * DynamoDB stores, loads alone, holds neither Argon2id nor webauthn4j (the page signs in through
 * the other functions' routes), and serves discovery and a whole code exchange against the run's
 * DynamoDB API ({@link DynamoDbEndpointExtension}), all with the jar's own classes.
 */
@Tag(FunctionJar.TAG)
@ExtendWith(DynamoDbEndpointExtension.class)
class OAuthJarIT {

    private static final String HANDLER = "dev.authfn.functions.oauth.OAuthHandler";
    private static final String EVENT = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent";
    private static final String PASSWORD = "correct horse battery staple";
    private static final String CALLBACK = "https://app.example.com/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    /**
     * A root-built function's jar with the DynamoDB stores is 8.4-9.1 MB (docs/PERFORMANCE.md), two
     * thirds of it the SDK; this one adds no library. A jar far above holds what the minimiser
     * should have dropped.
     */
    private static final long MAX_BYTES = 10_000_000;

    private static DynamoDbClient client;
    private static List<String> tables;
    private static Map<String, String> environment;

    @BeforeAll
    static void tables(DynamoDbTestEndpoint endpoint) {
        client = DynamoDbClients.create(endpoint.endpoint(), endpoint.region(), endpoint.credentials());
        String users = endpoint.freshTableName("authfn-oauthjarit-users");
        String sessions = endpoint.freshTableName("authfn-oauthjarit-sessions");
        TableDefinitions.createUsersTable(client, users);
        TableDefinitions.createSessionsTable(client, sessions);
        tables = List.of(users, sessions);
        AwsCredentials credentials = endpoint.credentials().resolveCredentials();
        Map<String, String> env = new HashMap<>();
        env.put("AUTHFN_USERS_TABLE", users);
        env.put("AUTHFN_SESSIONS_TABLE", sessions);
        env.put("AUTHFN_ISSUER", World.ISSUER);
        env.put("AUTHFN_AUDIENCE", World.AUDIENCE);
        env.put("AUTHFN_KEYS", KeySet.generate(Clock.systemUTC()).toJson());
        endpoint.endpoint().ifPresent(uri -> env.put("AUTHFN_DYNAMODB_ENDPOINT", uri.toString()));
        env.put("AWS_REGION", endpoint.region().id());
        env.put("AWS_ACCESS_KEY_ID", credentials.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", credentials.secretAccessKey());
        environment = Map.copyOf(env);
    }

    @AfterAll
    static void dropTables() {
        try {
            for (String table : tables) {
                client.deleteTable(request -> request.tableName(table));
            }
        } finally {
            client.close();
        }
    }

    @Test
    void holdsTheHandlerItsPagesAndTheDynamoDbStoresButNoPasswordHasherWebAuthnOrMailClient() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            assertThat(jar.path().getFileName()).hasToString("authfn-oauth-lambda.jar");
            assertThat(Files.size(jar.path())).isLessThan(MAX_BYTES);
            assertThat(jar.entries())
                    .contains(FunctionJar.entryOf(HANDLER), FunctionJar.entryOf("dev.authfn.dynamodb.DynamoDbStores"),
                            FunctionJar.entryOf("dev.authfn.dynamodb.DynamoDbOAuthStore"),
                            "META-INF/services/dev.authfn.core.Stores$Provider",
                            "dev/authfn/functions/oauth/login.html", "dev/authfn/functions/oauth/login.js",
                            "dev/authfn/functions/oauth/login.css", "dev/authfn/functions/oauth/error.html")
                    .as("Argon2id and Bouncy Castle belong to login and account; the password policy to account;"
                            + " webauthn4j and Jackson to passkeys; SES to the mailer; picocli to the CLI")
                    .noneMatch(entry -> entry.startsWith("org/bouncycastle/") || entry.startsWith("dev/authfn/password/")
                            || entry.startsWith("com/nulabinc/") || entry.startsWith("com/webauthn4j/")
                            || entry.startsWith("tools/jackson/") || entry.startsWith("com/fasterxml/jackson/")
                            || entry.startsWith("software/amazon/awssdk/services/sesv2/")
                            || entry.startsWith("dev/authfn/ses/") || entry.startsWith("picocli/")
                            || entry.startsWith("org/apache/commons/codec/language/"));
        }
    }

    @Test
    void loadsTheHandlerWithExactlyItsTwoPublicConstructors() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            Class<?> handler = jar.load(HANDLER);

            assertThat(handler.getConstructors()).hasSize(2);
            assertThat(handler.getConstructor()).isNotNull();
            assertThat(FunctionJar.rootConstructor(handler).getParameterTypes()[0].getName())
                    .isEqualTo("dev.authfn.auth.Components");
            assertThat(handler.getClassLoader()).isNotSameAs(OAuthJarIT.class.getClassLoader());
        }
    }

    @Test
    void servesTheDiscoveryDocumentFromTheJarAlone() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            Object handler = jar.newHandler(HANDLER, environment);

            Object discovery = jar.invoke(handler, jar.event(EVENT, "oauth-discovery.json"));

            assertThat(FunctionJar.get(discovery, "statusCode")).isEqualTo(200);
            assertThat(body(discovery)).containsEntry("issuer", World.ISSUER)
                    .containsEntry("token_endpoint", World.ISSUER + "/oauth2/token")
                    .containsEntry("jwks_uri", World.ISSUER + "/.well-known/jwks.json");
        }
    }

    @Test
    void exchangesACodeForTokensThroughTheJarsOwnClassesAndDynamoDb() throws Exception {
        Components root = Components.fromEnvironment(environment);
        String clientId = "spa-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(root.stores().oauth().addClient(new OAuthClient(clientId, Optional.empty(), List.of(CALLBACK),
                Set.of("openid", "profile", "offline_access"), Instant.now()))).isTrue();
        Argon2idHasher hasher = new Argon2idHasher();
        String username = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        User user = new User(username, UUID.randomUUID().toString(), hasher.hash(PASSWORD), Set.of("user"), Set.of(),
                UserStatus.ACTIVE, 0, Instant.EPOCH);
        assertThat(root.stores().users().create(user)).isTrue();
        LoginService.LoggedIn login = (LoginService.LoggedIn) root.loginService(hasher)
                .login(new LoginService.Attempt(username, PASSWORD, "JUnit", "203.0.113.10"));

        try (FunctionJar jar = FunctionJar.packaged()) {
            Object handler = jar.newHandler(HANDLER, environment);

            Object authorize = jar.event(EVENT, "oauth-authorize.json");
            FunctionJar.set(authorize, "rawQueryString", "response_type=code&client_id=" + clientId + "&redirect_uri="
                    + enc(CALLBACK) + "&scope=openid%20offline_access&state=s1&code_challenge=" + CHALLENGE
                    + "&code_challenge_method=S256");
            FunctionJar.set(authorize, "cookies", List.of("__Host-session=" + login.sessionCookie()));
            Object redirected = jar.invoke(handler, authorize);
            assertThat(FunctionJar.get(redirected, "statusCode")).as((String) FunctionJar.get(redirected, "body"))
                    .isEqualTo(302);
            @SuppressWarnings("unchecked")
            String location = ((Map<String, String>) FunctionJar.get(redirected, "headers")).get("Location");
            Map<String, String> back = query(location);
            assertThat(back).containsEntry("state", "s1").containsEntry("iss", World.ISSUER);

            Object token = jar.event(EVENT, "oauth-token.json");
            FunctionJar.set(token, "body", "grant_type=authorization_code&code=" + enc(back.get("code"))
                    + "&redirect_uri=" + enc(CALLBACK) + "&client_id=" + clientId + "&code_verifier=" + VERIFIER);
            Object exchanged = jar.invoke(handler, token);
            assertThat(FunctionJar.get(exchanged, "statusCode")).as((String) FunctionJar.get(exchanged, "body"))
                    .isEqualTo(200);
            Map<String, Object> tokens = body(exchanged);
            assertThat(tokens).containsKeys("access_token", "id_token", "refresh_token")
                    .containsEntry("scope", "offline_access openid");

            Object replayed = jar.invoke(handler, token);
            assertThat(FunctionJar.get(replayed, "statusCode")).isEqualTo(400);
            assertThat(body(replayed)).containsEntry("error", "invalid_grant");
        }
    }

    private static Map<String, Object> body(Object response) {
        return Json.parseObject((String) FunctionJar.get(response, "body")).orElseThrow();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Map<String, String> query(String location) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }
}
