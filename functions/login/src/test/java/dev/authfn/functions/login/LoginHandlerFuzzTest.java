package dev.authfn.functions.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.authfn.core.json.Json;
import dev.authfn.core.user.User;
import dev.authfn.lambda.Problem;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.testkit.lambda.RequestText;
import dev.authfn.testkit.lambda.World;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzzing (Jazzer) of the login function over in-memory stores: the input is a whole
 * request as {@link RequestText} (any headers, {@code Authorization: Basic} among them, any body,
 * plain or base64-encoded), so the event fields the handler reads, the Basic header and the JSON
 * body are all fuzzed. Seeds: {@code LoginHandlerFuzzTestInputs/<method>/}. Every well-formed
 * credential costs a real Argon2id verification, so this target runs far fewer inputs a second than
 * the parser targets.
 */
class LoginHandlerFuzzTest {

    private static final World WORLD = new World();
    private static final User ALICE = WORLD.addUser("alice", "correct horse battery staple", Set.of("user"), Set.of());
    private static final LoginHandler HANDLER = new LoginHandler(WORLD.components);

    /**
     * Only a login refusal comes back: 400, 401, 403 (cross-site), 413, 415 or 429, as a problem
     * document and nothing else (no stack trace, no cookie), with one audit event that is no error;
     * no session is written. 429 says when to retry. Nothing throws.
     */
    @FuzzTest
    void anyRequestWithoutThePasswordGetsOnlyALoginRefusal(@NotNull String input) {
        RecordingContext context = new RecordingContext();

        APIGatewayV2HTTPResponse response = HANDLER.handleRequest(RequestText.parse(input).toHttpEvent(), context);

        assertThat(response.getStatusCode()).isIn(400, 401, 403, 413, 415, 429);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(response.getCookies()).isNullOrEmpty();
        Map<String, Object> problem = Json.parseObject(response.getBody()).orElseThrow();
        assertThat(problem).containsOnlyKeys("type", "title", "status", "detail");
        assertThat(Arrays.stream(Problem.values()).filter(p -> p.type().equals(problem.get("type"))))
                .singleElement().extracting(Problem::status).isEqualTo(response.getStatusCode());
        if (response.getStatusCode() == 429) {
            assertThat(Long.parseLong(response.getHeaders().get("Retry-After"))).isPositive();
        }
        assertThat(context.events()).singleElement()
                .satisfies(event -> assertThat(event.get("outcome")).isIn("refused", "locked"));
        assertThat(WORLD.sessions.listLive(ALICE.userId(), WORLD.clock.instant())).isEmpty();
    }
}
