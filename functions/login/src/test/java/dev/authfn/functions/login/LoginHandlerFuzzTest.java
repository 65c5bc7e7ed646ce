package dev.authfn.functions.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.testkit.Fuzz;
import dev.authfn.testkit.lambda.Events;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.testkit.lambda.World;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of the login function's parsing with in-memory stores: random and mutated
 * {@code Authorization: Basic} headers and JSON bodies, plain or base64-encoded. The handler
 * answers only login refusals (400, 401, 413, 415, 429), never throws, never logs anyone in and
 * never writes a session. Three seconds each by default ({@code -Dauthfn.fuzz.seconds=N},
 * {@code -Dauthfn.fuzz.seed=S}).
 */
class LoginHandlerFuzzTest {

    private static final Duration BUDGET = Duration.ofSeconds(3);
    private static final String VALID_JSON = "{\"username\":\"alice\",\"password\":\"zzzzzzzzzzzz\"}";

    private static World world;
    private static LoginHandler handler;

    @BeforeAll
    static void wire() {
        world = new World();
        world.addUser("alice", "correct horse battery staple", Set.of("user"), Set.of());
        handler = new LoginHandler(world.components);
    }

    @Test
    void randomBasicHeadersGetOnlyRefusals() {
        Fuzz.run("LoginHandler Basic header", BUDGET, 100, random -> {
            String value = switch (random.nextInt(3)) {
                case 0 -> "Basic " + Base64.getEncoder().encodeToString(randomBytes(random));
                case 1 -> Fuzz.mutate(random, "Basic " + Base64.getEncoder().encodeToString(
                        "alice:zzzzzzzzzzzz".getBytes(StandardCharsets.UTF_8)));
                default -> Fuzz.randomString(random, 100);
            };
            APIGatewayV2HTTPEvent event = Events.http("login-basic.json");
            HashMap<String, String> headers = new HashMap<>(event.getHeaders());
            headers.put("authorization", value);
            event.setHeaders(headers);
            assertRefused(handler.handleRequest(event, new RecordingContext()), value);
        });
        assertThat(world.sessions.find("x", world.clock.instant())).isEmpty();
    }

    @Test
    void randomJsonBodiesGetOnlyRefusals() {
        Fuzz.run("LoginHandler JSON body", BUDGET, 100, random -> {
            String body = random.nextInt(4) == 0 ? Fuzz.randomString(random, 200) : Fuzz.mutate(random, VALID_JSON);
            APIGatewayV2HTTPEvent event = Events.http("login-json.json");
            if (random.nextBoolean()) {
                event.setBody(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
                event.setIsBase64Encoded(true);
            } else {
                event.setBody(body);
                event.setIsBase64Encoded(false);
            }
            assertRefused(handler.handleRequest(event, new RecordingContext()), body);
        });
    }

    private static void assertRefused(APIGatewayV2HTTPResponse response, String input) {
        assertThat(response.getStatusCode()).as("input %s -> %s", input, response.getBody()).isIn(400, 401, 413, 415, 429);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getCookies()).isNullOrEmpty();
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(80)];
        random.nextBytes(bytes);
        return bytes;
    }
}
