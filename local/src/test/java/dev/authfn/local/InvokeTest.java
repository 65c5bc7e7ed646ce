package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.local.template.SamTemplate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InvokeTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void readsTheEventIntoTheHandlersInputTypeAndPrintsTheResponseAsJson() throws Exception {
        int status = run("EchoFunction", resource("/events/http-get.json"), false);

        assertThat(status).isEqualTo(Invoke.OK);
        assertThat(stdout()).startsWith("{\"statusCode\":200,\"headers\":{\"content-type\":\"text/plain\","
                        + "\"x-route-key\":\"GET /public\",\"x-request-id\":\"c6af9ac6-7b61-11e6-9a41-93e8deadbeef\"")
                .contains("\"x-cookies\":\"theme=dark\"", "\"x-greeting\":\"hello\"", "\"x-table\":\"ItemsTable\"")
                .endsWith("\"isBase64Encoded\":false}" + System.lineSeparator());
    }

    @Test
    void readsAnAuthorizerEventWithApiGatewaysTimeFormat() throws Exception {
        int status = run("AuthorizerFunction", resource("/events/authorizer-allow.json"), false);

        assertThat(status).isEqualTo(Invoke.OK);
        assertThat(stdout()).startsWith("{\"isAuthorized\":true,\"context\":{")
                .contains("\"sub\":\"user-1\"", "\"auth_type\":\"bearer\"");
    }

    @Test
    void exitsNonZeroWithTheExceptionClassAndMessageButNoStackTraceWhenTheHandlerThrows() throws Exception {
        int status = run("FailingFunction", resource("/events/http-get.json"), false);

        assertThat(status).isEqualTo(Invoke.HANDLER_FAILED);
        assertThat(stdout()).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("FailingFunction threw java.lang.IllegalStateException: the store is down" + System.lineSeparator());
    }

    @Test
    void printsTheStackTraceWithDebug() throws Exception {
        run("FailingFunction", resource("/events/http-get.json"), true);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("\tat dev.authfn.local.fixtures.FailingHandler.handleRequest");
    }

    @Test
    void refusesAnEventThatDoesNotFitTheInputType(@TempDir Path directory) throws Exception {
        Path event = Files.writeString(directory.resolve("bad.json"), "[1, 2]");

        int status = run("EchoFunction", event, false);

        assertThat(status).isEqualTo(Invoke.BAD_EVENT);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("authfn: " + event + " is not a com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent: ");
    }

    @Test
    void saysWhereAnEventFileIsBrokenWithoutQuotingIt(@TempDir Path directory) throws Exception {
        Path event = Files.writeString(directory.resolve("bad.json"),
                "{\"headers\": {\"authorization\": Bearer-not-quoted-secret}}");

        int status = run("EchoFunction", event, false);

        assertThat(status).isEqualTo(Invoke.BAD_EVENT);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("authfn: " + event + " is not a com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent: ")
                .contains("at line 1, column ")
                .doesNotContain("Bearer", "secret");
    }

    private int run(String function, Path event, boolean debug) throws Exception {
        SamTemplate template = SamTemplate.load(resource("/local-api-template.yaml"));
        return new Invoke(template, LocalEnvironment.namedByLogicalId(template))
                .run(function, event, debug, new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Path resource(String name) throws Exception {
        return Path.of(InvokeTest.class.getResource(name).toURI());
    }
}
