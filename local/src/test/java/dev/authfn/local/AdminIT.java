package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.password.PasswordHasher;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.core.session.Session;
import dev.authfn.core.user.User;
import dev.authfn.dynamodb.DynamoDbSessionStore;
import dev.authfn.dynamodb.DynamoDbUserStore;
import dev.authfn.dynamodb.TableDefinitions;
import dev.authfn.emulator.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The admin CLI against a real DynamoDB API (moto), through its command line. */
class AdminIT {

    private static MotoServer moto;
    private static DynamoDbClient client;
    private static DynamoDbUserStore users;
    private static DynamoDbSessionStore sessions;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start(MotoServer.findOnPath(System.getenv("PATH")).orElseThrow(
                () -> new AssertionError("AdminIT needs moto_server on the PATH (pip install 'moto[server]')")));
        client = LocalInfrastructure.client(moto.endpoint(), true);
        TableDefinitions.createUsersTable(client, "AdminUsers");
        TableDefinitions.createSessionsTable(client, "AdminSessions");
        sessions = new DynamoDbSessionStore(client, "AdminSessions");
        users = new DynamoDbUserStore(client, "AdminUsers");
    }

    @AfterAll
    static void stopMoto() {
        client.close();
        moto.close();
    }

    @Test
    void addsAUserWithRolesAndAHashedPasswordFromStandardInput() {
        int status = admin("correct horse battery staple\n", "users", "add", "Dana", "--role", "user", "--role", "admin",
                "--permission", "posts:create", "--password-stdin");

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        User dana = users.get("dana").orElseThrow();
        assertThat(dana.roles()).containsExactlyInAnyOrder("user", "admin");
        assertThat(dana.permissions()).containsExactly("posts:create");
        assertThat(dana.passwordHash()).startsWith("$argon2id$").doesNotContain("correct horse");
        assertThat(new Argon2idHasher().verify("correct horse battery staple", dana.passwordHash())).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("correct horse");
    }

    @Test
    void refusesATooShortPasswordAndAnExistingName() {
        assertThat(admin("short\n", "users", "add", "erin", "--password-stdin")).isEqualTo(2);
        assertThat(users.get("erin")).isEmpty();
        assertThat(admin("long enough password\n", "users", "add", "erin", "--password-stdin")).isZero();
        assertThat(admin("another long password\n", "users", "add", "erin", "--password-stdin")).isEqualTo(1);
    }

    @Test
    void changingAPasswordEndsEverySessionOfTheUser() {
        assertThat(admin("first password 123\n", "users", "add", "frank", "--password-stdin")).isZero();
        User frank = users.get("frank").orElseThrow();
        Instant now = Instant.now();
        for (int i = 0; i < 3; i++) {
            sessions.create(new Session("frank-session-" + i + "-AAAAAAAAA", "hash", frank.userId(), "frank",
                    Set.of(), Set.of(), now, now, now.plusSeconds(1800), now.plusSeconds(28800), "test", "127.0.0.1"));
        }
        assertThat(sessions.listLive(frank.userId(), now)).hasSize(3);

        assertThat(admin("second password 456\n", "users", "passwd", "frank", "--password-stdin")).isZero();

        assertThat(sessions.listLive(frank.userId(), now)).isEmpty();
        User after = users.get("frank").orElseThrow();
        assertThat(new Argon2idHasher().verify("second password 456", after.passwordHash())).isTrue();
        assertThat(new Argon2idHasher().verify("first password 123", after.passwordHash())).isFalse();
    }

    @Test
    void disablingAUserEndsTheirSessions() {
        assertThat(admin("gina password 789\n", "users", "add", "gina", "--password-stdin")).isZero();
        User gina = users.get("gina").orElseThrow();
        Instant now = Instant.now();
        sessions.create(new Session("gina-session-AAAAAAAAAAAA", "hash", gina.userId(), "gina", Set.of(), Set.of(),
                now, now, now.plusSeconds(1800), now.plusSeconds(28800), "test", "127.0.0.1"));

        assertThat(admin("", "users", "disable", "gina")).isZero();

        assertThat(sessions.listLive(gina.userId(), now)).isEmpty();
        assertThat(users.get("gina").orElseThrow().status().wireName()).isEqualTo("disabled");
    }

    private int admin(String stdin, String command, String... args) {
        String[] withTarget = new String[args.length + 6];
        System.arraycopy(args, 0, withTarget, 0, args.length);
        withTarget[args.length] = "--dynamodb-endpoint";
        withTarget[args.length + 1] = moto.endpoint().toString();
        withTarget[args.length + 2] = "--users-table";
        withTarget[args.length + 3] = "AdminUsers";
        withTarget[args.length + 4] = "--sessions-table";
        withTarget[args.length + 5] = "AdminSessions";
        out.reset();
        err.reset();
        return Admin.run(command, withTarget, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
