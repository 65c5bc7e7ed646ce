package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.local.testing.Http;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./authfn start-api --store memory}: the README's quick start (add a user with the admin
 * CLI, log in, call {@code /protected}) on the in-memory stores, with no DynamoDB API anywhere;
 * the admin command reaches the running API's stores through its admin channel.
 */
class MemoryStoreIT {

    private static final Path TEMPLATE = Path.of("..", "template.yaml");
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    static Path checkout;

    private static LocalApi api;
    private static Path stateFile;
    private static PrintStream log;
    private static String previousTemplate;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws IOException {
        log = new PrintStream(new FileOutputStream(checkout.resolve("local-api.log").toFile()), true, StandardCharsets.UTF_8);
        api = LocalApi.start(TEMPLATE, 0, LocalStore.MEMORY, Optional.empty(), Optional.empty(), Map.of(), true,
                LocalTables.DEFAULT, log, Optional.empty());
        // The CLI finds the running API beside the template it is pointed at, as ./authfn start-api records it.
        previousTemplate = System.setProperty("authfn.template", checkout.resolve("template.yaml").toString());
        stateFile = LocalState.besideTemplate(checkout.resolve("template.yaml"));
        api.recordRun(stateFile);
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (previousTemplate == null) {
            System.clearProperty("authfn.template");
        } else {
            System.setProperty("authfn.template", previousTemplate);
        }
        log.close();
    }

    @Test
    void theQuickStartWorksWithTheAdminCliReachingTheApisOwnStores() {
        assertThat(api.store()).isEqualTo(LocalStore.MEMORY);
        assertThatThrownBy(api::dynamodbEndpoint).isInstanceOf(IllegalStateException.class);

        int added = cli(PASSWORD + "\n", "users", "add", "alice", "--role", "user", "--permission", "posts:create",
                "--password-stdin");

        assertThat(added).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).matches("authfn: added user alice \\(id [0-9a-f-]{36}\\) "
                + "with roles \\[user] and permissions \\[posts:create]" + System.lineSeparator());
        Http http = new Http(api.baseUri());
        Http.Response login = http.post("/auth/login").json(Map.of("username", "alice", "password", PASSWORD)).send();
        assertThat(login.status()).as("%s", login).isEqualTo(200);
        String token = (String) login.json().get("access_token");
        Http.Response protectedRoute = http.get("/protected").bearer(token).send();
        assertThat(protectedRoute.status()).as("%s", protectedRoute).isEqualTo(200);
        assertThat(protectedRoute.json()).containsEntry("username", "alice");

        assertThat(cli("", "sessions", "list", "alice", "--json")).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"username\":\"alice\"")
                .contains((String) ((Map<?, ?>) login.json().get("session")).get("id"));
        assertThat(cli("another long password\n", "users", "add", "alice", "--password-stdin")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("authfn: user alice exists; use ./authfn users passwd to change the password" + System.lineSeparator());
    }

    @Test
    void theClientsCommandsReachTheApisOwnStoresAndTheSecretComesBackOnce() {
        assertThat(cli("", "clients", "add", "billing", "--redirect-uri", "https://billing.example/cb", "--confidential"))
                .as(err.toString(StandardCharsets.UTF_8)).isZero();
        String secret = out.toString(StandardCharsets.UTF_8).lines().toList().getLast();
        assertThat(secret).matches("[A-Za-z0-9_-]{43}");
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();

        assertThat(cli("", "clients", "list", "--json")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"client_id\":\"billing\"", "\"type\":\"confidential\"")
                .doesNotContain(secret);
        assertThat(cli("", "clients", "add", "billing", "--redirect-uri", "https://billing.example/cb")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "authfn: client billing exists; to change it, remove it and add it again" + System.lineSeparator());
        assertThat(cli("", "clients", "remove", "billing")).isZero();
        assertThat(cli("", "clients", "remove", "billing")).isEqualTo(1);
    }

    @Test
    void theStateFileIsTheOwnersAloneAndTheChannelAnswersOnlyItsToken() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stateFile))).isEqualTo("rw-------");
        Map<String, String> state = new LocalState(stateFile).read().orElseThrow();
        assertThat(state).containsEntry("store", "memory").doesNotContainKey("dynamodb_endpoint");
        assertThat(state.get("admin_url")).startsWith("http://127.0.0.1:");
        assertThat(state.get("admin_token")).matches("[A-Za-z0-9_-]{43}");

        String body = "{\"args\":[\"users\",\"disable\",\"alice\"],\"stdin\":\"\"}";
        assertThat(post(state.get("admin_url"), "Bearer " + state.get("admin_token") + "x", body)).isEqualTo(401);
        assertThat(post(state.get("admin_url"), null, body)).isEqualTo(401);
        assertThat(post(state.get("admin_url"), "Bearer " + state.get("admin_token"),
                "{\"args\":[\"start-api\"],\"stdin\":\"\"}")).as("only the admin commands run there").isEqualTo(400);
    }

    private int cli(String stdin, String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of()));
    }

    private static int post(String url, String authorization, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }
}
