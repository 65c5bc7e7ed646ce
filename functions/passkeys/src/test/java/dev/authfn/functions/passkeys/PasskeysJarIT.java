package dev.authfn.functions.passkeys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.auth.Components;
import dev.authfn.auth.LoginService;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.json.Json;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.session.Session;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.dynamodb.DynamoDbClients;
import dev.authfn.dynamodb.TableDefinitions;
import dev.authfn.lambda.AuthorizerContext;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.testkit.lambda.FunctionJar;
import dev.authfn.testkit.lambda.World;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
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
 * The packaged target/authfn-passkeys-lambda.jar: the handler is there with webauthn4j and
 * Jackson 3 whole (they find their parts by reflection and by name, which jar minimisation cannot
 * see), loads alone, holds nothing only other functions need, and runs a whole registration and
 * sign-in of the {@link SoftwareAuthenticator} against the run's DynamoDB API
 * ({@link DynamoDbEndpointExtension}: its CBOR, COSE, signature checks and stores, all with the
 * jar's own classes).
 */
@Tag(FunctionJar.TAG)
@ExtendWith(DynamoDbEndpointExtension.class)
class PasskeysJarIT {

    private static final String HANDLER = "dev.authfn.functions.passkeys.PasskeysHandler";
    private static final String EVENT = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent";
    private static final String PASSWORD = "correct horse battery staple";
    /**
     * The jar is 11.9 MB: the mfa function's stores and codecs (its bound is 10 MB) and, kept whole,
     * webauthn4j (1.4 MB) and Jackson 3 (databind, core, CBOR: 6.2 MB uncompressed). A jar far
     * above holds what the minimiser should have dropped.
     */
    private static final long MAX_BYTES = 14_000_000;

    private static DynamoDbClient client;
    private static List<String> tables;
    private static Map<String, String> environment;

    @BeforeAll
    static void tables(DynamoDbTestEndpoint endpoint) {
        client = DynamoDbClients.create(endpoint.endpoint(), endpoint.region(), endpoint.credentials());
        String users = endpoint.freshTableName("authfn-passkeysjarit-users");
        String sessions = endpoint.freshTableName("authfn-passkeysjarit-sessions");
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
    void holdsTheHandlerWebAuthn4jAndJackson3WholeAndTheDynamoDbStoresButNoPasswordHasherPolicyOrMailClient()
            throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            assertThat(jar.path().getFileName()).hasToString("authfn-passkeys-lambda.jar");
            assertThat(Files.size(jar.path())).isLessThan(MAX_BYTES);
            assertThat(jar.entries())
                    .contains(FunctionJar.entryOf(HANDLER), FunctionJar.entryOf("dev.authfn.dynamodb.DynamoDbStores"),
                            FunctionJar.entryOf("dev.authfn.dynamodb.DynamoDbPasskeyStore"),
                            "META-INF/services/dev.authfn.core.Stores$Provider",
                            FunctionJar.entryOf("com.webauthn4j.WebAuthnManager"),
                            // Found only by name or reflection: what a minimised jar would lose first.
                            FunctionJar.entryOf("com.webauthn4j.converter.jackson.WebAuthnCBORModule"),
                            FunctionJar.entryOf("com.webauthn4j.converter.jackson.deserializer.cbor.COSEKeyEnvelopeDeserializer"),
                            FunctionJar.entryOf("com.webauthn4j.data.attestation.statement.TPMAttestationStatement"),
                            FunctionJar.entryOf("com.webauthn4j.verifier.attestation.statement.packed.PackedAttestationStatementVerifier"),
                            FunctionJar.entryOf("tools.jackson.databind.json.JsonMapper"),
                            FunctionJar.entryOf("tools.jackson.dataformat.cbor.CBORMapper"),
                            FunctionJar.entryOf("com.fasterxml.jackson.annotation.JsonCreator"))
                    .as("Argon2id and Bouncy Castle belong to login and account; the password policy to account;"
                            + " SES to the mailer; picocli to the CLI; commons-codec's phonetic rules to nobody;"
                            + " Jackson 2's databind to nobody (webauthn4j 0.32 is on Jackson 3)")
                    .noneMatch(entry -> entry.startsWith("org/bouncycastle/") || entry.startsWith("dev/authfn/password/")
                            || entry.startsWith("com/nulabinc/") || entry.startsWith("software/amazon/awssdk/services/sesv2/")
                            || entry.startsWith("dev/authfn/ses/") || entry.startsWith("picocli/")
                            || entry.startsWith("org/apache/commons/codec/language/")
                            || entry.startsWith("com/fasterxml/jackson/databind/")
                            || entry.startsWith("com/fasterxml/jackson/core/"));
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
            assertThat(handler.getClassLoader()).isNotSameAs(PasskeysJarIT.class.getClassLoader());
        }
    }

    @Test
    void refusesACrossSiteSignInBeforeAnyStore() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            Object handler = jar.newHandler(HANDLER, environment);
            Object event = publicEvent(jar, "POST /auth/passkeys/login", "{}");
            headers(event).put("origin", "https://evil.example");
            headers(event).put("sec-fetch-site", "cross-site");

            Object response = jar.invoke(handler, event);

            assertThat(FunctionJar.get(response, "statusCode")).isEqualTo(403);
            assertThat((String) FunctionJar.get(response, "body"))
                    .startsWith("{\"type\":\"urn:authfn:problem:cross-site-request\",");
        }
    }

    @Test
    void registersAPasskeyAndSignsInWithItThroughTheJarsOwnClassesAndDynamoDb() throws Exception {
        Components root = Components.fromEnvironment(environment);
        Argon2idHasher hasher = new Argon2idHasher();
        String username = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        User user = new User(username, UUID.randomUUID().toString(), hasher.hash(PASSWORD), Set.of("user"), Set.of(),
                UserStatus.ACTIVE, 0, Instant.EPOCH);
        assertThat(root.stores().users().create(user)).isTrue();
        LoginService.LoggedIn login = (LoginService.LoggedIn) root.loginService(hasher)
                .login(new LoginService.Attempt(username, PASSWORD, "JUnit", "203.0.113.10"));
        Session session = login.session();
        Principal caller = new Principal(session.userId(), session.username(), session.roles(), session.permissions(),
                session.id(), AuthType.COOKIE, session.amr(), Optional.of(session.authTime()));
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator(World.ISSUER, World.HOST);

        try (FunctionJar jar = FunctionJar.packaged()) {
            Object handler = jar.newHandler(HANDLER, environment);

            Object options = jar.invoke(handler, authorizedEvent(jar, "POST /auth/passkeys/register/options", caller, null));
            assertThat(FunctionJar.get(options, "statusCode")).isEqualTo(200);
            Map<String, Object> creation = body(options);
            @SuppressWarnings("unchecked")
            String handle = (String) ((Map<String, Object>) creation.get("user")).get("id");
            String registration = authenticator.register((String) creation.get("challenge"), handle);

            Object registered = jar.invoke(handler, authorizedEvent(jar, "POST /auth/passkeys/register", caller,
                    SoftwareAuthenticator.body(registration, "Laptop")));
            assertThat(FunctionJar.get(registered, "statusCode")).as((String) FunctionJar.get(registered, "body"))
                    .isEqualTo(201);
            assertThat(body(registered)).containsEntry("id", authenticator.last().id()).containsEntry("name", "Laptop")
                    .containsEntry("aaguid", SoftwareAuthenticator.AAGUID_VALUE.toString());

            Object requestOptions = jar.invoke(handler, publicEvent(jar, "POST /auth/passkeys/login/options", null));
            assertThat(FunctionJar.get(requestOptions, "statusCode")).isEqualTo(200);
            String assertion = authenticator.signIn((String) body(requestOptions).get("challenge"));

            Object signedIn = jar.invoke(handler, publicEvent(jar, "POST /auth/passkeys/login",
                    SoftwareAuthenticator.body(assertion, null)));
            assertThat(FunctionJar.get(signedIn, "statusCode")).as((String) FunctionJar.get(signedIn, "body"))
                    .isEqualTo(200);
            @SuppressWarnings("unchecked")
            List<String> cookies = (List<String>) FunctionJar.get(signedIn, "cookies");
            assertThat(cookies).hasSize(2);
            assertThat(cookies.get(0)).startsWith("__Host-session=");
            assertThat(cookies.get(1)).startsWith("__Host-csrf=");
            String accessToken = (String) body(signedIn).get("access_token");
            Map<String, Object> claims = Json.parseObject(new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]),
                    StandardCharsets.UTF_8)).orElseThrow();
            assertThat(claims).containsEntry("amr", List.of("hwk", "user", "mfa")).containsEntry("sub", user.userId());

            Object replayed = jar.invoke(handler, publicEvent(jar, "POST /auth/passkeys/login",
                    SoftwareAuthenticator.body(assertion, null)));
            assertThat(FunctionJar.get(replayed, "statusCode")).isEqualTo(401);
            assertThat((String) FunctionJar.get(replayed, "body"))
                    .startsWith("{\"type\":\"urn:authfn:problem:passkey-failed\",");
        }
        assertThat(root.stores().passkeys().find(authenticator.last().id()).orElseThrow().signCount()).isOne();
    }

    private static Object publicEvent(FunctionJar jar, String routeKey, String body) {
        Object event = jar.event(EVENT, "mfa-verify.json");
        route(event, routeKey);
        FunctionJar.set(event, "body", body);
        return event;
    }

    private static Object authorizedEvent(FunctionJar jar, String routeKey, Principal caller, String body) {
        Object event = jar.event(EVENT, "mfa-totp-enrol.json");
        route(event, routeKey);
        headers(event).put("content-type", "application/json");
        Object authorizer = FunctionJar.get(FunctionJar.get(event, "requestContext"), "authorizer");
        FunctionJar.set(authorizer, "lambda", new LinkedHashMap<String, Object>(AuthorizerContext.of(caller)));
        FunctionJar.set(event, "body", body);
        return event;
    }

    private static void route(Object event, String routeKey) {
        String method = routeKey.substring(0, routeKey.indexOf(' '));
        String path = routeKey.substring(routeKey.indexOf(' ') + 1);
        FunctionJar.set(event, "routeKey", routeKey);
        FunctionJar.set(event, "rawPath", path);
        Object context = FunctionJar.get(event, "requestContext");
        FunctionJar.set(context, "routeKey", routeKey);
        Object http = FunctionJar.get(context, "http");
        FunctionJar.set(http, "method", method);
        FunctionJar.set(http, "path", path);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> headers(Object event) {
        return (Map<String, String>) FunctionJar.get(event, "headers");
    }

    private static Map<String, Object> body(Object response) {
        return Json.parseObject((String) FunctionJar.get(response, "body")).orElseThrow();
    }
}
