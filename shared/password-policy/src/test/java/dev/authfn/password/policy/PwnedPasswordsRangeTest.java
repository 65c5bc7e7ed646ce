package dev.authfn.password.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.authfn.core.json.Json;
import dev.authfn.core.password.PasswordPolicy.Rejection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PwnedPasswordsRange} and the policy's use of it, against a server on 127.0.0.1 that
 * speaks the range API, padding included: nothing reaches the real API.
 */
class PwnedPasswordsRangeTest {

    private static final String PASSWORD = "tuesday-mango-kettle";
    private static final String HEX = PwnedPasswordsRange.sha1Hex(PASSWORD);
    private static final String PREFIX = HEX.substring(0, 5);
    private static final String SUFFIX = HEX.substring(5);

    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final List<String> paddingHeaders = new CopyOnWriteArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private HttpServer server;
    private volatile int status = 200;
    private volatile String body = "";
    private volatile boolean slow;

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
        executor.shutdownNow();
    }

    @Test
    void sendsOnlyTheFiveCharacterUpperCasePrefixAndAsksForPadding() throws Exception {
        body = padded(SUFFIX.substring(0, 34) + "0:5");

        assertThat(policy(BreachApiDown.REFUSE).checkNew(PASSWORD, null)).isEmpty();

        assertThat(paths).containsExactly("/range/" + PREFIX);
        assertThat(paths.get(0)).matches("/range/[0-9A-F]{5}");
        assertThat(paddingHeaders).containsExactly("true");
        assertThat(warnings).isEmpty();
    }

    @Test
    void aListedSuffixIsABreach() throws Exception {
        body = padded(SUFFIX + ":3");

        assertThat(policy(BreachApiDown.OFFLINE_LIST).checkNew(PASSWORD, null)).contains(Rejection.BREACHED);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aListedSuffixInLowerCaseIsABreachToo() throws Exception {
        body = padded(SUFFIX.toLowerCase() + ":1");

        assertThat(policy(BreachApiDown.OFFLINE_LIST).checkNew(PASSWORD, null)).contains(Rejection.BREACHED);
    }

    @Test
    void ourSuffixAsPaddingWithCountZeroIsNoBreach() throws Exception {
        body = padded(SUFFIX + ":0");

        assertThat(policy(BreachApiDown.REFUSE).checkNew(PASSWORD, null)).isEmpty();
        assertThat(warnings).isEmpty();
    }

    @Test
    void theOfflineListRefusesACommonPasswordWithoutAskingTheApi() throws Exception {
        body = padded("");

        assertThat(policy(BreachApiDown.REFUSE).checkNew("qwerty123456", null)).contains(Rejection.BREACHED);
        assertThat(paths).isEmpty();
    }

    @Test
    void aServerDownFallsBackToTheOfflineListWithOneWarningLine() throws Exception {
        NistPasswordPolicy policy = policyAt(closedPort(), BreachApiDown.OFFLINE_LIST, Duration.ofSeconds(2));

        assertThat(policy.checkNew(PASSWORD, null)).isEmpty();
        assertThat(policy.checkNew("qwerty123456", null)).contains(Rejection.BREACHED); // the offline list still works

        assertThat(warnings).hasSize(1);
        assertThat(Json.parseObject(warnings.get(0)).orElseThrow()).isEqualTo(Map.of("level", "WARN",
                "event", "password_breach_check", "outcome", "offline_list_only", "reason", "unreachable"));
        assertThat(warnings.get(0)).doesNotContain(PREFIX, PASSWORD).doesNotContain("\n");
    }

    @Test
    void aServerDownRefusesAsUnavailableWhenConfiguredToFailClosed() throws Exception {
        NistPasswordPolicy policy = policyAt(closedPort(), BreachApiDown.REFUSE, Duration.ofSeconds(2));

        assertThat(policy.checkNew(PASSWORD, null)).contains(Rejection.BREACH_CHECK_UNAVAILABLE);
        assertThat(warnings).hasSize(1);
        assertThat(Json.parseObject(warnings.get(0)).orElseThrow())
                .containsEntry("outcome", "refused").containsEntry("reason", "unreachable");
    }

    @Test
    void aSlowServerHitsTheTimeout() throws Exception {
        slow = true;
        body = padded(SUFFIX + ":3");
        NistPasswordPolicy policy = policyAt(start(), BreachApiDown.REFUSE, Duration.ofMillis(300));

        long started = System.nanoTime();
        assertThat(policy.checkNew(PASSWORD, null)).contains(Rejection.BREACH_CHECK_UNAVAILABLE);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(tookMillis).isBetween(250L, 2_000L); // the offline list loads within it too
        assertThat(Json.parseObject(warnings.get(0)).orElseThrow()).containsEntry("reason", "timeout");
        assertThat(paths).containsExactly("/range/" + PREFIX);
    }

    @Test
    void anErrorStatusOrAMalformedAnswerIsUnavailable() throws Exception {
        URI base = start();
        status = 503;
        NistPasswordPolicy offline = policyAt(base, BreachApiDown.OFFLINE_LIST, Duration.ofSeconds(2));
        assertThat(offline.checkNew(PASSWORD, null)).isEmpty();

        status = 200;
        body = padded(SUFFIX + ":3") + "\r\n<html>rate limited</html>\r\n";
        NistPasswordPolicy refuse = policyAt(base, BreachApiDown.REFUSE, Duration.ofSeconds(2));
        assertThat(refuse.checkNew(PASSWORD, null)).contains(Rejection.BREACH_CHECK_UNAVAILABLE);

        body = "x".repeat(PwnedPasswordsRange.MAX_BODY_BYTES + 1);
        assertThat(refuse.checkNew(PASSWORD, null)).contains(Rejection.BREACH_CHECK_UNAVAILABLE);

        assertThat(warnings).extracting(line -> Json.parseObject(line).orElseThrow().get("reason"))
                .containsExactly("http_503", "malformed", "too_large");
    }

    @Test
    void theFactoryWiresTheConfiguredApi() throws Exception {
        URI base = start();
        body = padded(SUFFIX + ":12");
        Map<String, String> env = new HashMap<>();
        env.put(PasswordPolicies.ENV_BREACH_API, base.toString());
        env.put(PasswordPolicies.ENV_BREACH_API_DOWN, "refuse");
        env.put(PasswordPolicies.ENV_BREACH_API_TIMEOUT, "PT1S");

        NistPasswordPolicy policy = PasswordPolicies.fromEnvironment(env, warnings::add);

        assertThat(policy.checkNew(PASSWORD, null)).contains(Rejection.BREACHED);
        assertThat(policy.checkNew("another-fine-password", null)).isEmpty();
        assertThat(paths).hasSize(2);
    }

    @Test
    void hashesTheNfkcFormAsTheRangeApiSpellsIt() {
        // SHA-1("password"), as published
        assertThat(PwnedPasswordsRange.sha1Hex("password")).isEqualTo("5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8");
    }

    /** {@code line} among 800 zero-count padding lines, CRLF-separated, as the API answers. */
    private static String padded(String line) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            lines.add(String.format("%035X:0", (long) i * 7_919L));
        }
        if (!line.isEmpty()) {
            lines.add(400, line);
        }
        return String.join("\r\n", lines);
    }

    private NistPasswordPolicy policy(BreachApiDown down) throws IOException {
        return policyAt(start(), down, Duration.ofSeconds(2));
    }

    private NistPasswordPolicy policyAt(URI base, BreachApiDown down, Duration timeout) {
        return new NistPasswordPolicy(12, () -> CommonPasswords.zxcvbn(12),
                java.util.Optional.of(new PwnedPasswordsRange(base, timeout)), down, warnings::add);
    }

    private URI start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/range/", exchange -> {
            try (exchange) {
                paths.add(exchange.getRequestURI().getRawPath());
                paddingHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Add-Padding")));
                if (slow) {
                    release.await(5, TimeUnit.SECONDS);
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/range/");
    }

    private static URI closedPort() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        return URI.create("http://127.0.0.1:" + port + "/range/");
    }
}
