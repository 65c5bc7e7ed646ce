package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import dev.authfn.core.keys.KeySet;
import dev.authfn.emulator.HttpProbe;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LocalApi}'s life cycle: what it starts, what it reuses, what {@code close()} stops and deletes. */
class LocalApiIT {

    private static final Path TEMPLATE = Path.of("..", "template.yaml");

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logged, true, StandardCharsets.UTF_8);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void startsMotoAndTheApiOnAFreePortAndStopsBothOnClose(@TempDir Path dir) throws Exception {
        Path stateFile = dir.resolve(".authfn").resolve("local-api.json");
        LocalApi api = LocalApi.start(TEMPLATE, 0, Optional.empty(), Optional.empty(), Map.of(), log);
        URI base = api.baseUri();
        URI moto = api.dynamodbEndpoint();
        try {
            assertThat(base.toString()).matches("http://127\\.0\\.0\\.1:[1-9][0-9]*");
            assertThat(api.startedMoto()).isTrue();
            assertThat(HttpProbe.status(moto.resolve("/moto-api/"))).hasValue(200);
            assertThat(api.usersTable()).isEqualTo("UsersTable");
            assertThat(api.sessionsTable()).isEqualTo("SessionsTable");
            var discovery = client.send(HttpRequest.newBuilder(base.resolve("/.well-known/openid-configuration")).build(),
                    BodyHandlers.ofString());
            assertThat(discovery.statusCode()).isEqualTo(200);
            assertThat(discovery.body()).as("Issuer defaults to the API's own URL")
                    .contains("\"issuer\":\"" + base + "\"");

            api.recordRun(stateFile);
            assertThat(Files.readString(stateFile)).contains("\"url\":\"" + base + "\"", "\"dynamodb_endpoint\":\"" + moto + "\"");
        } finally {
            api.close();
        }

        assertThat(stateFile).doesNotExist();
        assertThat(HttpProbe.status(base.resolve("/.well-known/jwks.json"))).as("the API after close").isEmpty();
        assertThat(HttpProbe.status(moto.resolve("/moto-api/"))).as("moto after close").isEmpty();
        api.close(); // a second close (the CLI's shutdown hook after an error path) is harmless
    }

    @Test
    void usesAGivenEndpointKeySetAndParametersAndLeavesThatEndpointRunning() throws Exception {
        KeySet keys = KeySet.generate(Clock.systemUTC());
        try (LocalApi owner = LocalApi.start(TEMPLATE, 0, Optional.empty(), Optional.of(keys.toJson()), Map.of(), log)) {
            LocalApi guest = LocalApi.start(TEMPLATE, 0, Optional.of(owner.dynamodbEndpoint()), Optional.of(keys.toJson()),
                    Map.of("Issuer", "https://auth.example.com"), log);
            try {
                assertThat(guest.startedMoto()).isFalse();
                assertThat(guest.dynamodbEndpoint()).isEqualTo(owner.dynamodbEndpoint());
                assertThat(guest.baseUri()).isNotEqualTo(owner.baseUri());
                var jwks = client.send(HttpRequest.newBuilder(guest.baseUri().resolve("/.well-known/jwks.json")).build(),
                        BodyHandlers.ofString());
                assertThat(jwks.statusCode()).isEqualTo(200);
                assertThat(JWKSet.parse(jwks.body()).getKeys())
                        .extracting(key -> key.getKeyID())
                        .containsExactlyElementsOf(keys.publicJwks().getKeys().stream().map(key -> key.getKeyID()).toList());
                var discovery = client.send(HttpRequest.newBuilder(
                        guest.baseUri().resolve("/.well-known/openid-configuration")).build(), BodyHandlers.ofString());
                assertThat(discovery.body()).as("a parameter given wins over the local URL")
                        .contains("\"issuer\":\"https://auth.example.com\"");
            } finally {
                guest.close();
            }
            assertThat(HttpProbe.status(owner.dynamodbEndpoint().resolve("/moto-api/")))
                    .as("a moto the API did not start outlives it").hasValue(200);
        }
    }
}
