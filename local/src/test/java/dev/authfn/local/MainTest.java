package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.local.template.SamTemplate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void listsTheCommands() {
        assertThat(run("--help")).isZero();
        assertThat(stdout()).contains("start-api", "invoke", "Every command takes --help.");
    }

    @Test
    void explainsEachCommandWithHelp() {
        assertThat(run("start-api", "--help")).isZero();
        assertThat(stdout()).startsWith("Usage: ./authfn start-api [--port 3000]");
        out.reset();
        assertThat(run("invoke", "-h")).isZero();
        assertThat(stdout()).startsWith("Usage: ./authfn invoke <LogicalId> -e <event.json>");
    }

    @Test
    void refusesUnknownCommandsAndOptionsWithStatusTwo() {
        assertThat(run("deploy")).isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: unknown command: deploy");
        assertThat(run("start-api", "--prot", "3000")).isEqualTo(2);
        assertThat(stderr()).contains("authfn: unknown option: --prot (see --help)");
        assertThat(run("start-api", "--port", "http")).isEqualTo(2);
        assertThat(stderr()).contains("authfn: --port must be a number from 0 to 65535, got http");
    }

    @Test
    void refusesAParameterTheTemplateDoesNotHave() {
        assertThat(run("invoke", "EchoFunction", "-e", "x.json", "--template", template().toString(),
                "--parameter", "Greting=hi")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: --parameter Greting: the template has no such parameter; it has [Greeting]"
                + System.lineSeparator());
    }

    @Test
    void needsAnEventFileToInvoke() {
        assertThat(run("invoke", "EchoFunction", "--template", template().toString())).isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: invoke needs -e <event.json>");
    }

    @Test
    void invokesAFunctionFromTheCommandLine() throws Exception {
        Path event = Path.of(MainTest.class.getResource("/events/http-get.json").toURI());

        int status = run("invoke", "EchoFunction", "-e", event.toString(), "--template", template().toString(),
                "--parameter", "Greeting=hi");

        assertThat(status).isZero();
        assertThat(stdout()).contains("\"x-greeting\":\"hi\"");
    }

    @Test
    void reportsAMissingHandlerClassWithStatusTwo() {
        // No tables in this template, so the unreachable endpoint is never called and no moto starts.
        assertThat(run("start-api", "--port", "0", "--template", template("/missing-handler-template.yaml").toString(),
                "--dynamodb-endpoint", "http://127.0.0.1:9")).isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: cannot host the template's functions:")
                .contains("GoneFunction: handler dev.authfn.functions.gone.GoneHandler is not on the classpath "
                        + "(it is built by functions/gone)");
    }

    @Test
    void setsTheIssuerToTheLocalUrlUnlessGiven() throws Exception {
        SamTemplate template = SamTemplate.load(Path.of("..", "template.yaml"));
        URI base = URI.create("http://127.0.0.1:3000");

        assertThat(Main.localEnvironment(template, Map.of(), base).parameters()).containsEntry("Issuer", "http://127.0.0.1:3000");
        assertThat(Main.localEnvironment(template, Map.of("Issuer", "https://auth.example.com"), base).parameters())
                .containsEntry("Issuer", "https://auth.example.com");
    }

    @Test
    void hostsEveryRoutesFunctionAndTheAuthorizer() throws Exception {
        SamTemplate template = SamTemplate.load(Path.of("..", "template.yaml"));

        assertThat(Main.servedFunctions(template)).containsExactly(
                "LoginFunction", "SessionFunction", "AuthorizerFunction", "JwksFunction", "ProtectedFunction");
    }

    private int run(String... args) {
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Path template() {
        return template("/local-api-template.yaml");
    }

    private static Path template(String resource) {
        try {
            return Path.of(MainTest.class.getResource(resource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
