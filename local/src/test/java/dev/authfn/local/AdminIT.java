package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.json.Json;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.core.session.Session;
import dev.authfn.core.user.User;
import dev.authfn.dynamodb.DynamoDbMfaStore;
import dev.authfn.dynamodb.DynamoDbSessionStore;
import dev.authfn.dynamodb.DynamoDbUserStore;
import dev.authfn.dynamodb.TableDefinitions;
import dev.authfn.emulator.MotoServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private static DynamoDbMfaStore mfa;

    private static final String NL = System.lineSeparator();

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
        mfa = new DynamoDbMfaStore(client, "AdminUsers");
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
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(usingLine() + "authfn: password refused (too_short): "
                + "shorter than 12 characters; a new password needs 12 to 1024 characters (Unicode code points), not found"
                + " in a breach, not built on the user name" + NL + "See './authfn users add --help'." + NL);
        assertThat(admin("long enough password\n", "users", "add", "erin", "--password-stdin")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).matches("authfn: added user erin \\(id [0-9a-f-]{36}\\) "
                + "with roles \\[] and permissions \\[]" + NL);
        assertThat(admin("another long password\n", "users", "add", "erin", "--password-stdin")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(usingLine()
                + "authfn: user erin exists; use ./authfn users passwd to change the password" + NL);
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

    @Test
    void refusesToDisableAUserThatDoesNotExistWithOneLine() {
        assertThat(admin("", "users", "disable", "nobody")).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(usingLine() + "authfn: no user nobody" + NL);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void resettingTheSecondFactorRemovesItEndsTheSessionsAndPrintsTheAuditLine() {
        assertThat(admin("jack password 789\n", "users", "add", "jack", "--password-stdin")).isZero();
        User jack = users.get("jack").orElseThrow();
        Instant now = Instant.now();
        assertThat(mfa.beginTotp("jack", jack.userId(), "k1.sealed", now)).isTrue();
        assertThat(mfa.confirmTotp("jack", jack.userId(), "k1.sealed", now.getEpochSecond() / 30, Set.of("h1"), now))
                .isTrue();
        sessions.create(new Session("jack-session-AAAAAAAAAAAA", "hash", jack.userId(), "jack", Set.of(), Set.of(),
                now, now, now.plusSeconds(1800), now.plusSeconds(28800), "test", "127.0.0.1"));

        assertThat(admin("", "users", "mfa-reset", "jack")).isZero();

        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("authfn: removed the TOTP factor of jack and ended 1 session(s)" + NL);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(usingLine() + "{\"level\":\"INFO\",\"event\":"
                + "\"mfa_reset\",\"outcome\":\"removed\",\"user\":\"jack\",\"sessions\":1}" + NL);
        assertThat(mfa.totp("jack")).isEmpty();
        assertThat(users.get("jack").orElseThrow().mfaEnrolled()).isFalse();
        assertThat(sessions.listLive(jack.userId(), now)).isEmpty();
    }

    @Test
    void refusesToResetTheSecondFactorOfAUserThatDoesNotExistLikeDisable() {
        assertThat(admin("", "users", "mfa-reset", "nobody")).isEqualTo(1);

        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(usingLine() + "{\"level\":\"WARN\",\"event\":"
                + "\"mfa_reset\",\"outcome\":\"refused\",\"reason\":\"NO_SUCH_USER\",\"user\":\"nobody\"}" + NL
                + "authfn: no user nobody" + NL);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void listsALiveSessionsTableAndTheSameAsJson() {
        assertThat(admin("hana password 789\n", "users", "add", "hana", "--password-stdin")).isZero();
        User hana = users.get("hana").orElseThrow();
        Instant created = Instant.parse("2026-01-02T03:04:05.678Z");
        Instant seen = created.plusSeconds(60);
        Instant expires = Instant.now().plusSeconds(3600);
        sessions.create(new Session("hana-session-AAAAAAAAAAAA", "hash", hana.userId(), "hana", Set.of(), Set.of(),
                created, seen, expires, expires.plusSeconds(3600), "curl/8.5\u001b[31m", "192.0.2.7"));

        assertThat(admin("", "sessions", "list", "hana")).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        String expiresText = expires.truncatedTo(ChronoUnit.SECONDS).toString();
        assertThat(text).isEqualTo(String.format("%-24s %-22s %-22s %-22s %-15s %s%n", "id", "created", "last seen",
                "expires", "ip", "user agent")
                + String.format("%-24s %-22s %-22s %-22s %-15s %s%n", "hana-session-AAAAAAAAAAAA", "2026-01-02T03:04:05Z",
                        "2026-01-02T03:05:05Z", expiresText, "192.0.2.7", "curl/8.5?[31m")
                + "1 live session(s)" + NL);

        assertThat(admin("", "sessions", "list", "hana", "--json")).isZero();
        Map<String, Object> json = Json.parseObject(out.toString(StandardCharsets.UTF_8)).orElseThrow();
        assertThat(json).containsOnlyKeys("username", "sessions").containsEntry("username", "hana");
        assertThat(json.get("sessions")).isEqualTo(List.of(Map.of("id", "hana-session-AAAAAAAAAAAA",
                "created", "2026-01-02T03:04:05Z", "last_seen", "2026-01-02T03:05:05Z", "expires", expiresText,
                "ip", "192.0.2.7", "user_agent", "curl/8.5\u001b[31m")));
    }

    @Test
    void listsNoSessionsAsAnEmptyTableAndAnEmptyJsonList() {
        assertThat(admin("iris password 789\n", "users", "add", "iris", "--password-stdin")).isZero();

        assertThat(admin("", "sessions", "list", "iris")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(String.format("%-24s %-22s %-22s %-22s %-15s %s%n",
                "id", "created", "last seen", "expires", "ip", "user agent") + "0 live session(s)" + NL);
        assertThat(admin("", "sessions", "list", "iris", "--json")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"username\":\"iris\",\"sessions\":[]}" + NL);
    }

    private String usingLine() {
        return "authfn: using " + moto.endpoint() + ", tables AdminUsers and AdminSessions" + NL;
    }

    private int admin(String stdin, String... args) {
        List<String> withTarget = new ArrayList<>(List.of(args));
        withTarget.addAll(List.of("--dynamodb-endpoint", moto.endpoint().toString(),
                "--users-table", "AdminUsers", "--sessions-table", "AdminSessions"));
        out.reset();
        err.reset();
        return Main.run(withTarget.toArray(String[]::new), new Terminal(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of()));
    }
}
