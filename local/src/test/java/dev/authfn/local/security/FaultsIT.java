package dev.authfn.local.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.keys.KeySet;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.dynamodb.TableDefinitions;
import dev.authfn.emulator.MotoServer;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * SECURITY.md "Attacks and bad inputs", Faults: the DynamoDB endpoint goes away while the API runs
 * (a moto server this test owns, stopped mid-run), then a fresh one comes back at the same address.
 * The API is never restarted.
 */
class FaultsIT {

    private static Path motoExecutable;
    private static MotoServer moto;
    private static SecurityApi sut;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        motoExecutable = MotoServer.findOnPath(System.getenv("PATH"))
                .orElseThrow(() -> new IllegalStateException("FaultsIT needs moto_server on the PATH"));
        moto = MotoServer.start(motoExecutable);
        sut = SecurityApi.startOnOwnMoto(FaultsIT.class, moto.endpoint(), KeySet.generate(Clock.systemUTC()));
        http = sut.http();
        sut.addUser("alice", Set.of("user"), Set.of("posts:create"));
    }

    @AfterAll
    static void stop() {
        try {
            if (sut != null) {
                sut.close();
            }
        } finally {
            if (moto != null) {
                moto.close();
            }
        }
    }

    @Test
    void dynamoDbGoneMeansDenyAnd503AndOnceItIsBackEverythingWorksWithoutARestart() throws Exception {
        Login before = sut.login("alice");
        assertThat(before.withCookie(http.get("/protected")).send().status()).isEqualTo(200);
        int port = moto.endpoint().getPort();

        moto.close();
        assertThat(moto.isAlive()).isFalse();

        // The authorizer fails closed for cookie and (stateful) bearer requests alike.
        Expect.deniedByTheAuthorizer(before.withCookie(http.get("/protected")).send());
        Expect.deniedByTheAuthorizer(before.withBearer(http.get("/protected")).send());
        Expect.deniedByTheAuthorizer(before.withCookieAndCsrf(http.post("/posts")).send());
        assertThat(sut.logLines()).anyMatch(line -> line.contains("\"event\":\"authorize\",\"outcome\":\"deny\",\"reason\":\"STORE_UNAVAILABLE\""));

        // Login answers 503 problem+json, sets no cookie.
        Http.Response login = http.post("/auth/login")
                .json(Map.of("username", "alice", "password", SecurityApi.PASSWORD)).send();
        Expect.problem(login, 503, "store-unavailable");
        assertThat(login.setCookieHeaders()).isEmpty();
        assertThat(login.body()).doesNotContain("Exception", "amazonaws", "127.0.0.1");
        assertThat(sut.logLines()).anyMatch(line -> line.contains("\"event\":\"login\",\"outcome\":\"error\",\"reason\":\"STORE_UNAVAILABLE\""));

        // A fresh DynamoDB at the same address: tables and a user, as an operator would restore them.
        moto = MotoServer.start(motoExecutable, port);
        try (DynamoDbClient client = SecurityApi.client(moto.endpoint())) {
            TableDefinitions.createSessionsTable(client, sut.api().sessionsTable());
            TableDefinitions.createUsersTable(client, sut.api().usersTable());
            SecurityApi.addUser(client, sut.api().usersTable(), sut.api().sessionsTable(), new Argon2idHasher(),
                    "alice", Set.of("user"), Set.of("posts:create"));
        }

        Login after = sut.login("alice");
        assertThat(after.withCookie(http.get("/protected")).send().status()).isEqualTo(200);
        assertThat(after.withBearer(http.get("/protected")).send().status()).isEqualTo(200);
        assertThat(after.withCookieAndCsrf(http.post("/posts")).send().status()).isEqualTo(201);
        assertThat(sut.sessionItem(after.sessionId())).isPresent();
        // The session from before the outage lived in the lost table: it stays denied.
        Expect.deniedByTheAuthorizer(before.withCookie(http.get("/protected")).send());
    }
}
