package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.authfn.auth.Components;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.keys.KeySet;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.testkit.InMemoryStores;
import dev.authfn.testkit.InMemoryUserStore;
import dev.authfn.testkit.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@code users add | passwd | mfa-reset} against an in-memory root, as a {@code start-api} runs
 * them for the CLI: the password rules of new passwords, and what a refusal prints.
 */
class UsersCommandTest {

    private static final String NL = System.lineSeparator();
    private static final String RULES = "; a new password needs 12 to 1024 characters (Unicode code points), not found"
            + " in a breach, not built on the user name";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final dev.authfn.testkit.InMemorySessionStore sessions = new dev.authfn.testkit.InMemorySessionStore();
    private final Components root = Components.of(
            AuthfnConfig.fromEnvironment(Map.of(), EnumSet.noneOf(AuthfnConfig.Requirement.class)),
            new InMemoryStores(sessions, users), () -> KeySet.generate(clock), clock);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void refusesANewPasswordShorterThanTwelveNamingTheReasonAndTheMinimum() {
        assertThat(cli(Map.of(), "eleven char\n", "users", "add", "erin", "--password-stdin")).isEqualTo(2);

        assertThat(users.get("erin")).isEmpty();
        assertThat(stderr()).isEqualTo("authfn: password refused (too_short): shorter than 12 characters" + RULES + NL
                + "See './authfn users add --help'." + NL);
    }

    @Test
    void theMinimumIsConfigurable() {
        assertThat(cli(Map.of("AUTHFN_PASSWORD_MIN_LENGTH", "16"), "fifteen chars!!\n", "users", "add", "erin",
                "--password-stdin")).isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: password refused (too_short): shorter than 16 characters; a new password"
                + " needs 16 to 1024");

        assertThat(cli(Map.of("AUTHFN_PASSWORD_MIN_LENGTH", "7"), "fifteen chars!!\n", "users", "add", "erin",
                "--password-stdin")).isEqualTo(1);
        assertThat(stderr()).contains("AUTHFN_PASSWORD_MIN_LENGTH must be a whole number of code points from 8 to 64");
        assertThat(users.get("erin")).isEmpty();
    }

    @Test
    void refusesACommonPasswordAndOneBuiltOnTheUserNameWithoutEchoingIt() {
        assertThat(cli(Map.of(), "qwerty123456\n", "users", "add", "erin", "--password-stdin")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: password refused (breached): found among breached or common passwords"
                + RULES + NL + "See './authfn users add --help'." + NL);

        assertThat(cli(Map.of(), "ErinErin2024\n", "users", "add", "erin", "--password-stdin")).isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: password refused (contains_username): built on the user name; ")
                .doesNotContain("ErinErin2024");
        assertThat(users.get("erin")).isEmpty();
    }

    @Test
    void passwdAppliesTheSameRulesAndKeepsTheOldPassword() {
        assertThat(cli(Map.of(), "a fine first password\n", "users", "add", "frank", "--password-stdin")).isZero();
        String before = users.get("frank").orElseThrow().passwordHash();

        assertThat(cli(Map.of(), "1qaz2wsx3edc\n", "users", "passwd", "frank", "--password-stdin")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: password refused (breached): found among breached or common passwords"
                + RULES + NL + "See './authfn users passwd --help'." + NL);
        assertThat(cli(Map.of(), "short\n", "users", "passwd", "frank", "--password-stdin")).isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: password refused (too_short): shorter than 12 characters;");
        assertThat(users.get("frank").orElseThrow().passwordHash()).isEqualTo(before);

        assertThat(cli(Map.of(), "a fine second password\n", "users", "passwd", "frank", "--password-stdin")).isZero();
        assertThat(new Argon2idHasher().verify("a fine second password", users.get("frank").orElseThrow().passwordHash()))
                .isTrue();
    }

    @Test
    void storesTheNfkcFormSoAnyDeviceSpellingLogsIn() {
        // é as e + combining acute (as some keyboards send it): 13 code points, 12 in NFKC
        assertThat(cli(Map.of(), "cafe\u0301 au lait!\n", "users", "add", "gina", "--password-stdin")).isZero();

        assertThat(new Argon2idHasher().verify("caf\u00e9 au lait!", users.get("gina").orElseThrow().passwordHash()))
                .isTrue();
    }

    @Test
    void asksTheConfiguredRangeApiAndFailsClosedWhenToldTo() throws Exception {
        List<String> paths = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/range/", exchange -> {
            try (exchange) {
                paths.add(exchange.getRequestURI().getPath());
                exchange.sendResponseHeaders(503, -1);
            }
        });
        server.start();
        try {
            Map<String, String> env = Map.of("AUTHFN_PASSWORD_BREACH_API",
                    "http://127.0.0.1:" + server.getAddress().getPort() + "/range/", "AUTHFN_PASSWORD_BREACH_API_DOWN", "refuse");

            assertThat(cli(env, "tuesday mango kettle\n", "users", "add", "hana", "--password-stdin")).isEqualTo(1);
            assertThat(stderr()).isEqualTo("{\"level\":\"WARN\",\"event\":\"password_breach_check\",\"outcome\":\"refused\","
                    + "\"reason\":\"http_503\"}" + NL + "authfn: password refused (breach_check_unavailable): the breach check"
                    + " did not answer (AUTHFN_PASSWORD_BREACH_API_DOWN=refuse); try again later" + NL);
            assertThat(paths).hasSize(1).allMatch(path -> path.matches("/range/[0-9A-F]{5}"));
            assertThat(users.get("hana")).isEmpty();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aLocalTargetAsksNoRangeApiUnlessConfigured() {
        // inside a start-api on in-memory stores, with AUTHFN_PASSWORD_BREACH_API unset: nothing is sent out
        assertThat(cli(Map.of("AUTHFN_PASSWORD_BREACH_API_DOWN", "offline-list"), "tuesday mango kettle\n", "users",
                "add", "hana", "--password-stdin")).isZero();
        assertThat(stderr()).isEmpty();
    }

    @Test
    void addsAUserWithAVerifiedNormalisedAddressThatNoOtherUserMayTake() {
        String password = "a long and unusual passphrase 7\n";
        assertThat(cli(Map.of(), password, "users", "add", "erin", "--email", "Erin@Example.COM", "--password-stdin"))
                .isZero();

        assertThat(users.get("erin")).hasValueSatisfying(erin -> {
            assertThat(erin.email()).isEqualTo("Erin@example.com");
            assertThat(erin.emailVerified()).isTrue();
        });
        assertThat(users.accounts().findByEmail("Erin@example.com")).map(user -> user.username()).hasValue("erin");
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("authfn: added user erin (id ")
                .contains(") <Erin@example.com> with roles []");

        assertThat(cli(Map.of(), password, "users", "add", "frank", "--email", "Erin@example.com", "--password-stdin"))
                .isEqualTo(1);
        assertThat(stderr()).isEqualTo("authfn: another user has the address Erin@example.com" + NL);
        assertThat(users.get("frank")).isEmpty();

        assertThat(cli(Map.of(), password, "users", "add", "gina", "--email", "not an address", "--password-stdin"))
                .isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: --email: not an email address");
    }

    @Test
    void aUserAddedWithoutAnAddressHasNoneAndCountsAsVerified() {
        assertThat(cli(Map.of(), "a long and unusual passphrase 7\n", "users", "add", "hank", "--password-stdin"))
                .isZero();

        assertThat(users.get("hank")).hasValueSatisfying(hank -> {
            assertThat(hank.hasEmail()).isFalse();
            assertThat(hank.emailVerified()).isTrue();
        });
    }

    @Test
    void mfaResetRemovesTheFactorAndEndsTheSessionsOrSaysThereWasNone() {
        assertThat(cli(Map.of(), "a long and unusual passphrase 7\n", "users", "add", "ivan", "--password-stdin"))
                .isZero();
        dev.authfn.core.user.User ivan = users.get("ivan").orElseThrow();
        users.mfa().beginTotp("ivan", ivan.userId(), "k1.sealed", clock.instant());
        users.mfa().confirmTotp("ivan", ivan.userId(), "k1.sealed", 1000, java.util.Set.of("h1"), clock.instant());
        sessions.create(dev.authfn.testkit.SessionStoreContract.newSession(ivan.userId(), clock.instant()));

        assertThat(cli(Map.of(), "", "users", "mfa-reset", "ivan")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("authfn: removed the TOTP factor of ivan and ended 1 session(s)" + NL);
        assertThat(stderr()).isEqualTo("{\"level\":\"INFO\",\"event\":\"mfa_reset\",\"outcome\":\"removed\","
                + "\"user\":\"ivan\",\"sessions\":1}" + NL);
        assertThat(users.mfa().totp("ivan")).isEmpty();
        assertThat(users.get("ivan").orElseThrow().mfaEnrolled()).isFalse();
        assertThat(sessions.listLive(ivan.userId(), clock.instant())).isEmpty();

        assertThat(cli(Map.of(), "", "users", "mfa-reset", "ivan")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("authfn: ivan had no second factor; ended 0 session(s)" + NL);
    }

    @Test
    void mfaResetOfAnUnknownUserFailsAsTheOtherCommandsDo() {
        assertThat(cli(Map.of(), "", "users", "mfa-reset", "nobody")).isEqualTo(1);
        String refused = stderr();
        assertThat(cli(Map.of(), "", "users", "disable", "nobody")).isEqualTo(1);

        assertThat(refused).isEqualTo("{\"level\":\"WARN\",\"event\":\"mfa_reset\",\"outcome\":\"refused\","
                + "\"reason\":\"NO_SUCH_USER\",\"user\":\"nobody\"}" + NL + stderr());
        assertThat(stderr()).isEqualTo("authfn: no user nobody" + NL);
        assertThat(cli(Map.of(), "", "users", "mfa-reset", "not a name")).isEqualTo(2);
    }

    private int cli(Map<String, String> environment, String stdin, String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                environment, Optional.of(root)));
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
