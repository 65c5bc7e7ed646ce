package dev.authfn.local.security;

import static dev.authfn.local.security.SecurityApi.CSRF_COOKIE;
import static dev.authfn.local.security.SecurityApi.SESSION_COOKIE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import dev.authfn.testkit.Fuzz;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;

/**
 * Bounded fuzzing of every credential path over real HTTP: random and mutated session cookies,
 * CSRF tokens, access tokens, Basic headers and JSON bodies. Only the expected refusals come back,
 * never a 500, and the local API logs no handler failure. Two seconds per path by default;
 * {@code -Dauthfn.fuzz.seconds=N} runs longer, {@code -Dauthfn.fuzz.seed=S} replays.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class HttpFuzzIT {

    private static final Duration BUDGET = Duration.ofSeconds(2);

    private static SecurityApi sut;
    private static Http http;
    private static Login login;

    @BeforeAll
    static void start(DynamoDbTestEndpoint dynamodb) throws Exception {
        sut = SecurityApi.start(HttpFuzzIT.class, dynamodb);
        http = sut.http();
        sut.addUser("alice", Set.of("user"), Set.of("posts:create"));
        login = sut.login("alice");
    }

    @AfterAll
    static void stop() {
        if (sut != null) {
            sut.close();
        }
    }

    @Test
    void mutatedSessionCookiesAreDeniedNever500() {
        Fuzz.run("session cookie over HTTP", BUDGET, random -> {
            String value = random.nextInt(4) == 0 ? Fuzz.randomString(random, 300) : Fuzz.mutate(random, login.sessionCookie());
            Http.Response response = sendOrSkip(() -> http.get("/protected").cookie(SESSION_COOKIE, value).send());
            if (response == null) {
                return;
            }
            assertThat(response.status()).as("cookie %s -> %s", value, response).isIn(200, 403);
            if (response.status() == 200) {
                assertThat(value).as("only a value still carrying the real cookie passes").contains(login.sessionCookie());
            }
        });
        assertNoHandlerFailed();
    }

    @Test
    void mutatedCsrfTokensAreDeniedNever500() {
        Fuzz.run("CSRF token over HTTP", BUDGET, random -> {
            String token = random.nextInt(4) == 0 ? Fuzz.randomString(random, 120) : Fuzz.mutate(random, login.csrfToken());
            Http.Response response = sendOrSkip(() -> http.post("/posts").cookie(SESSION_COOKIE, login.sessionCookie())
                    .csrf(token).send());
            if (response == null) {
                return;
            }
            assertThat(response.status()).as("token %s -> %s", token, response).isIn(201, 403);
            if (response.status() == 201) {
                assertThat(token.strip()).isEqualTo(login.csrfToken());
            }
        });
        assertNoHandlerFailed();
    }

    @Test
    void mutatedAccessTokensAreDeniedNever500() {
        Fuzz.run("access token over HTTP", BUDGET, random -> {
            String token = random.nextInt(4) == 0 ? Fuzz.randomString(random, 1200) : Fuzz.mutate(random, login.accessToken());
            Http.Response response = sendOrSkip(() -> http.get("/protected").bearer(token).send());
            if (response == null) {
                return;
            }
            assertThat(response.status()).as("token %s -> %s", token, response).isIn(200, 403);
            if (response.status() == 200) {
                assertThat(token.strip()).isEqualTo(login.accessToken());
            }
        });
        assertNoHandlerFailed();
    }

    @Test
    void randomBasicHeadersAndJsonBodiesGetOnlyLoginRefusalsNever500() {
        String validJson = "{\"username\":\"alice\",\"password\":\"not the password\"}";
        Fuzz.run("login over HTTP", BUDGET, 50, random -> {
            Http.Call call = http.post("/auth/login");
            String described;
            switch (random.nextInt(3)) {
                case 0 -> {
                    String value = "Basic " + Base64.getEncoder().encodeToString(randomBytes(random));
                    described = value;
                    call = headerOrNull(call, "Authorization", random.nextBoolean() ? value : Fuzz.mutate(random, value));
                }
                case 1 -> {
                    String body = Fuzz.mutate(random, validJson);
                    described = body;
                    call.body("application/json", body.getBytes(StandardCharsets.UTF_8));
                }
                default -> {
                    byte[] body = randomBytes(random);
                    described = Base64.getEncoder().encodeToString(body);
                    call.body(random.nextBoolean() ? "application/json" : "text/plain; charset=x", body);
                }
            }
            if (call == null) {
                return;
            }
            Http.Call ready = call;
            Http.Response response = sendOrSkip(ready::send);
            if (response == null) {
                return;
            }
            assertThat(response.status()).as("%s -> %s", described, response).isIn(400, 401, 415, 429);
            assertThat(response.setCookieHeaders()).isEmpty();
        });
        assertThat(sut.sessionIds()).containsExactly(login.sessionId());
        assertNoHandlerFailed();
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(80)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** The call with the header, or null when the JDK client refuses the value (CR, LF, NUL...). */
    private static Http.Call headerOrNull(Http.Call call, String name, String value) {
        try {
            return call.header(name, value);
        } catch (IllegalArgumentException refusedByTheClient) {
            return null;
        }
    }

    /** Sends, or answers null when the JDK client refuses to build the request (a value it will not send). */
    private static Http.Response sendOrSkip(java.util.function.Supplier<Http.Response> send) {
        try {
            return send.get();
        } catch (IllegalArgumentException refusedByTheClient) {
            return null;
        }
    }

    private static void assertNoHandlerFailed() {
        assertThat(sut.logLines()).noneMatch(line -> line.startsWith("authfn-local:") && line.contains(" failed"))
                .noneMatch(line -> line.contains("Exception") && !line.contains("STORE_UNAVAILABLE"));
    }
}
