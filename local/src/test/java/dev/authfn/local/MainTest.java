package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.json.Json;
import dev.authfn.local.template.SamTemplate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The ./authfn command line through {@link Main#run}, as a person types it: exit status, stdout, stderr. */
class MainTest {

    private static final String NL = System.lineSeparator();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** The repository root, as ./authfn sets it (the tests run in local/). */
    @BeforeAll
    static void rootIsTheRepository() {
        System.setProperty("authfn.root", "..");
    }

    @AfterAll
    static void forgetTheRoot() {
        System.clearProperty("authfn.root");
    }

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void listsTheCommandsWithHelpAndWithoutArguments() {
        assertThat(run("--help")).isZero();
        String help = stdout();
        assertThat(help).startsWith("Usage: ./authfn [-h] COMMAND" + NL + NL
                        + "authfn's developer tool: local API, invoke, admin, tests and packaging." + NL)
                .contains(NL + "Commands:" + NL
                        + "  start-api   Serve the template's HTTP API locally, like sam local start-api." + NL
                        + "  invoke      Call one function with an event file, like sam local invoke." + NL
                        + "  users       Manage users: add, disable, passwd, mfa-reset (local API or AWS)." + NL
                        + "  sessions    A user's sessions: list, revoke-all (local API or AWS)." + NL
                        + "  clients     OAuth clients: add, list, remove (local API or AWS)." + NL
                        + "  keys        Key sets: generate, rotate." + NL
                        + "  mail        The local outbox: list, show, link, clear." + NL
                        + "  test        Run every test: unit, integration and end-to-end (mvn verify)." + NL
                        + "  mutation    Mutation testing (PIT) of shared/core and shared/auth." + NL
                        + "  package     Build the functions' deployable jars (authfn-<f>-lambda.jar)." + NL
                        + "  completion  Print a bash/zsh completion script for ./authfn." + NL
                        + "  help        Display help information about the specified command." + NL)
                .contains("Every command takes --help.");
        assertThat(stderr()).isEmpty();

        assertThat(run()).isZero();
        assertThat(stdout()).isEqualTo(help);
        assertThat(run("help")).isZero();
        assertThat(stdout()).isEqualTo(help);
    }

    @Test
    void everyCommandAndSubcommandExplainsItselfWithHelp() {
        List<String> commands = commandPaths(Main.commandLine(terminal("")), List.of());
        assertThat(commands).contains("start-api", "invoke", "users add", "users disable", "users passwd",
                "users mfa-reset", "sessions list", "sessions revoke-all", "clients add", "clients list",
                "clients remove", "keys generate", "keys rotate", "mail list",
                "mail show",
                "mail link", "mail clear", "test", "package", "completion");

        for (String command : commands) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(List.of(command.split(" ")));
                args.add(flag);
                assertThat(run(args.toArray(String[]::new))).as(command + " " + flag).isZero();
                assertThat(stdout()).as(command + " " + flag).startsWith("Usage: ./authfn " + command + " [-h]");
                assertThat(stderr()).as(command + " " + flag).isEmpty();
            }
        }
    }

    @Test
    void helpNamesACommandsOptions() {
        assertThat(run("users", "add", "--help")).isZero();
        String usersAdd = stdout();
        assertThat(usersAdd).startsWith("Usage: ./authfn users add [-h] [--password-stdin] [--dynamodb-endpoint=URL]" + NL)
                .contains("      --role=ROLE          a role of the user (repeatable)" + NL);
        assertThat(run("users", "--help")).isZero();
        String users = stdout();

        assertThat(run("help", "users")).isZero();
        assertThat(stdout()).isEqualTo(users).isNotEqualTo(usersAdd);
    }

    @Test
    void aMistypedCommandIsAUsageErrorWithASuggestion() {
        assertThat(run("strat-api")).isEqualTo(2);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).isEqualTo("authfn: Unmatched argument at index 0: 'strat-api'" + NL
                + "Did you mean: ./authfn start-api or ./authfn test or ./authfn mutation?" + NL
                + "See './authfn --help'." + NL);

        assertThat(run("users", "disabel", "bob")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: Unmatched arguments from index 1: 'disabel', 'bob'" + NL
                + "Did you mean: users disable?" + NL
                + "See './authfn users --help'." + NL);
    }

    @Test
    void aMistypedOptionIsAUsageErrorWithASuggestion() {
        assertThat(run("start-api", "--templat", "t.yaml")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: Unknown options: '--templat', 't.yaml'" + NL
                + "Possible solutions: --template" + NL
                + "See './authfn start-api --help'." + NL);

        assertThat(run("sessions", "list", "bob", "--jsno")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: Unknown option: '--jsno'" + NL
                + "Possible solutions: --json" + NL
                + "See './authfn sessions list --help'." + NL);
    }

    @Test
    void neverEchoesAnArgumentThatMayBeAPassword() {
        assertThat(run("users", "add", "bob", "hunter2hunter2")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: unknown option or extra argument (not shown: it may be a password, "
                + "which comes only from the prompt or --password-stdin)" + NL
                + "See './authfn users add --help'." + NL);

        assertThat(run("users", "passwd", "bob", "--pasword", "hunter2hunter2")).isEqualTo(2);
        assertThat(stderr()).doesNotContain("hunter2").startsWith("authfn: unknown option or extra argument (not shown");
    }

    @Test
    void refusesBadOptionValuesWithStatusTwo() {
        assertThat(run("start-api", "--port", "http")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: Invalid value for option '--port': must be a number from 0 to 65535, got http"
                + NL + "See './authfn start-api --help'." + NL);

        assertThat(run("start-api", "--port", "1", "--port", "2")).isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: option '--port' (N) should be specified only once");

        assertThat(run("keys", "generate", "--alg", "HS512")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: Invalid value for option '--alg': expected one of "
                + "[RS256, PS256, ES256, EdDSA, HS256] (case-sensitive) but was 'HS512'" + NL
                + "See './authfn keys generate --help'." + NL);

        assertThat(run("users", "add", "not a name")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: Invalid value for positional parameter at index 0 (NAME): "
                + "not a valid user name: letters, digits and ._@+- , 1 to 64 characters" + NL
                + "See './authfn users add --help'." + NL);

        assertThat(run("users", "disable", "bob", "--dynamodb-endpoint", "localhost:8000")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: Invalid value for option '--dynamodb-endpoint': "
                + "must be an http(s) URL, got localhost:8000" + NL
                + "See './authfn users disable --help'." + NL);
    }

    @Test
    void aGroupWithoutItsSubcommandIsAUsageError() {
        assertThat(run("sessions")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: ./authfn sessions needs a subcommand: list, revoke-all" + NL
                + "See './authfn sessions --help'." + NL);
    }

    @Test
    void aFailingCommandExitsOneWithOneLineAndNoStackTrace() {
        // No endpoint and no region: the composition root refuses the configuration before any call.
        int status = run(Map.of("PATH", "/usr/bin"), "users", "disable", "bob",
                "--users-table", "Users", "--sessions-table", "Sessions");

        assertThat(status).isEqualTo(1);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).isEqualTo("authfn: using AWS (default credentials), tables Users and Sessions" + NL
                + "authfn: invalid authfn configuration (1 problem): AWS_REGION (or AWS_DEFAULT_REGION) is required: "
                + "the region of the tables and the secret" + NL);
    }

    @Test
    void anAdminCommandWithoutTablesSaysWhichOneIsMissing() {
        assertThat(run(Map.of(), "sessions", "list", "bob")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: which users table? Start ./authfn start-api, or pass --users-table "
                + "(or set AUTHFN_USERS_TABLE) for AWS" + NL + "See './authfn sessions list --help'." + NL);
    }

    @Test
    void startApiAndInvokeKeepEveryOptionTheyHad() {
        ParseResult startApi = Main.commandLine(terminal("")).parseArgs("start-api", "--port", "0",
                "--dynamodb-endpoint", "http://127.0.0.1:8000", "--keys", "keys.json", "--template", "t.yaml",
                "--parameter", "Issuer=https://auth.example.com", "--parameter=Greeting=hi", "--debug").subcommand();
        assertThat(startApi.matchedOptionValue("--port", -1)).isZero();
        assertThat(startApi.matchedOptionValue("--dynamodb-endpoint", URI.create("http://x")))
                .isEqualTo(URI.create("http://127.0.0.1:8000"));
        assertThat(startApi.matchedOptionValue("--keys", Path.of("x"))).isEqualTo(Path.of("keys.json"));
        assertThat(startApi.matchedOptionValue("--template", Path.of("x"))).isEqualTo(Path.of("t.yaml"));
        assertThat(startApi.matchedOptionValue("--parameter", Map.of()))
                .isEqualTo(Map.of("Issuer", "https://auth.example.com", "Greeting", "hi"));
        assertThat(startApi.matchedOptionValue("--debug", false)).isTrue();

        ParseResult invoke = Main.commandLine(terminal("")).parseArgs("invoke", "LoginFunction", "-e", "e.json",
                "--dynamodb-endpoint=https://dynamodb.eu-west-1.amazonaws.com", "--keys=k.json", "--template=t.yaml",
                "--parameter", "Issuer=x", "--debug").subcommand();
        assertThat(invoke.matchedPositionalValue(0, "")).isEqualTo("LoginFunction");
        assertThat(invoke.matchedOptionValue("--event", Path.of("x"))).isEqualTo(Path.of("e.json"));
        assertThat(invoke.matchedOptionValue("--dynamodb-endpoint", URI.create("http://x")))
                .isEqualTo(URI.create("https://dynamodb.eu-west-1.amazonaws.com"));
        assertThat(invoke.matchedOptionValue("--keys", Path.of("x"))).isEqualTo(Path.of("k.json"));
        assertThat(invoke.matchedOptionValue("--parameter", Map.of())).isEqualTo(Map.of("Issuer", "x"));
        assertThat(invoke.matchedOptionValue("--debug", false)).isTrue();
        assertThat(Main.commandLine(terminal("")).parseArgs("invoke", "F", "--event", "e.json").subcommand()
                .matchedOptionValue("-e", Path.of("x"))).isEqualTo(Path.of("e.json"));
    }

    @Test
    void testPassesItsArgumentsToMavenAsTheyAre() {
        ParseResult test = Main.commandLine(terminal("")).parseArgs("test", "-pl", "shared/core", "-Pbrowser",
                "-Dtest=MainTest").subcommand();

        assertThat(test.matchedPositionalValue(0, List.of())).isEqualTo(List.of("-pl", "shared/core", "-Pbrowser", "-Dtest=MainTest"));
    }

    @Test
    void refusesAParameterTheTemplateDoesNotHave() {
        assertThat(run("invoke", "EchoFunction", "-e", "x.json", "--template", template().toString(),
                "--parameter", "Greting=hi")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: --parameter Greting: the template has no such parameter; it has [Greeting]"
                + NL + "See './authfn invoke --help'." + NL);
    }

    @Test
    void aParameterNeedsANameAndAValue() {
        assertThat(run("invoke", "EchoFunction", "-e", "x.json", "--parameter", "Greeting")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: Value for option option '--parameter' (NAME=VALUE) should be in "
                + "KEY=VALUE format but was Greeting" + NL + "See './authfn invoke --help'." + NL);
    }

    @Test
    void needsAnEventFileToInvoke() {
        assertThat(run("invoke", "EchoFunction", "--template", template().toString())).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: Missing required option: '--event=FILE'" + NL
                + "See './authfn invoke --help'." + NL);
    }

    @Test
    void refusesAKeyFileItCannotRead(@TempDir Path directory) {
        Path missing = directory.resolve("missing.json");
        assertThat(run("invoke", "EchoFunction", "-e", "x.json", "--keys", missing.toString())).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: --keys: cannot read " + missing + " (NoSuchFileException)" + NL
                + "See './authfn invoke --help'." + NL);
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
    void reportsAMissingHandlerClassAsAFailedCommand() {
        // No tables in this template, so the unreachable endpoint is never called and no moto starts.
        assertThat(run("start-api", "--port", "0", "--template", template("/missing-handler-template.yaml").toString(),
                "--dynamodb-endpoint", "http://127.0.0.1:9")).isEqualTo(1);
        assertThat(stderr()).startsWith("authfn: cannot host the template's functions:")
                .contains("GoneFunction: handler dev.authfn.functions.gone.GoneHandler is not on the classpath "
                        + "(it is built by functions/gone)")
                .doesNotContain("\tat ");
    }

    @Test
    void generatesAKeySetAsJsonWithOrWithoutTheJsonOption() {
        assertThat(run("keys", "generate", "--alg", "ES256")).isZero();
        Map<String, Object> text = Json.parseObject(stdout()).orElseThrow();
        assertThat(run("keys", "generate", "--alg", "ES256", "--json")).isZero();
        Map<String, Object> json = Json.parseObject(stdout()).orElseThrow();

        assertThat(List.of(text, json)).allSatisfy(keySet -> {
            assertThat(keySet).containsOnlyKeys("keys");
            assertThat(purposes(keySet)).containsExactly("jwt:ES256", "cookie:oct", "csrf:oct", "mfa:oct");
        });
        assertThat(stderr()).isEmpty();
    }

    @Test
    void rotatesOnePurposeOfTheKeySetOnStdinKeepingTheOldKeyForVerification() {
        // given
        assertThat(run("keys", "generate", "--alg", "EdDSA")).isZero();
        String generated = stdout();

        // when
        assertThat(runWithStdin(generated, "keys", "rotate", "cookie")).isZero();

        // then
        Map<String, Object> rotated = Json.parseObject(stdout()).orElseThrow();
        assertThat(purposesAndStatuses(rotated)).containsExactly(
                "cookie:active", "jwt:active", "cookie:verify-only", "csrf:active", "mfa:active");
        assertThat(stderr()).isEmpty();
    }

    @Test
    void rotatingMfaAddsTheFirstMfaKeyToAKeySetFromBeforeTheSecondFactor() {
        // given: a generated key set without its mfa key, as older deployments have it
        assertThat(run("keys", "generate", "--alg", "EdDSA")).isZero();
        Map<String, Object> generated = Json.parseObject(stdout()).orElseThrow();
        List<?> withoutMfa = ((List<?>) generated.get("keys")).stream()
                .filter(key -> !"mfa".equals(((Map<?, ?>) key).get("purpose"))).toList();

        // when
        assertThat(runWithStdin(Json.write(Map.of("keys", withoutMfa)), "keys", "rotate", "mfa")).isZero();

        // then
        assertThat(purposesAndStatuses(Json.parseObject(stdout()).orElseThrow())).containsExactly(
                "mfa:active", "jwt:active", "cookie:active", "csrf:active");
    }

    @Test
    void refusesToRotateAnUnknownPurposeOrWhatIsNoKeySet() {
        assertThat(runWithStdin("{}", "keys", "rotate", "session")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: Invalid value for positional parameter at index 0 (PURPOSE): "
                + "must be one of jwt, cookie, csrf, mfa, got session" + NL + "See './authfn keys rotate --help'." + NL);

        assertThat(runWithStdin("{\"keys\":[]}", "keys", "rotate", "mfa")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: stdin holds no valid key set: jwt has 0 active keys, needs exactly 1; "
                + "cookie has 0 active keys, needs exactly 1; csrf has 0 active keys, needs exactly 1" + NL
                + "See './authfn keys rotate --help'." + NL);
        assertThat(stdout()).isEmpty();
    }

    @Test
    void packageRefusesAFunctionThatDoesNotExistBeforeRunningMaven() {
        assertThat(run("package", "login", "logni")).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: no function named logni (functions/ has: account authorizer jwks login "
                + "mailer mfa oauth passkeys protected session)" + NL + "See './authfn package --help'." + NL);
    }

    @Test
    void printsACompletionScriptThatCompletesTheCommands(@TempDir Path directory) throws Exception {
        assertThat(run("completion")).isZero();
        String script = stdout();
        assertThat(script).startsWith("#!/usr/bin/env bash")
                .contains("local commands=\"start-api invoke users sessions clients keys mail test mutation package completion help\"")
                .contains("function _picocli_authfn_users_add()", "function _picocli_authfn_sessions_list()",
                        "function _picocli_authfn_clients_add()")
                .contains("complete -F _complete_authfn -o default authfn authfn.sh authfn.bash");

        Path file = Files.writeString(directory.resolve("authfn_completion"), script);
        assertThat(complete(file, "./authfn st")).containsExactly("start-api");
        assertThat(complete(file, "./authfn sessions ")).containsExactly("list", "revoke-all");
        assertThat(complete(file, "./authfn clients ")).containsExactlyInAnyOrder("add", "list", "remove");
        assertThat(complete(file, "./authfn clients add --c")).containsExactly("--confidential");
        assertThat(complete(file, "./authfn mail ")).containsExactlyInAnyOrder("list", "show", "link", "clear");
        assertThat(complete(file, "./authfn package j")).containsExactly("jwks");
        assertThat(complete(file, "./authfn start-api --d")).containsExactlyInAnyOrder("--debug", "--dynamodb-endpoint");
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
    void makesThePasskeysRelyingPartyLocalhostOnTheLocalApisPortUnlessGiven() throws Exception {
        // An IP address is no RP ID: the passkeys are for the API reached as http://localhost:<port>.
        SamTemplate template = SamTemplate.load(Path.of("..", "template.yaml"));
        URI base = URI.create("http://127.0.0.1:3123");

        assertThat(Main.localEnvironment(template, Map.of(), base).parameters())
                .containsEntry("WebAuthnRpId", "localhost")
                .containsEntry("WebAuthnOrigins", "http://localhost:3123");
        assertThat(Main.localEnvironment(template, Map.of(), base).functionEnvironment(template,
                template.function("PasskeysFunction")))
                .containsEntry("AUTHFN_ISSUER", "http://127.0.0.1:3123")
                .containsEntry("AUTHFN_WEBAUTHN_RP_ID", "localhost")
                .containsEntry("AUTHFN_WEBAUTHN_ORIGINS", "http://localhost:3123");
        assertThat(Main.localEnvironment(template, Map.of("WebAuthnRpId", "example.com",
                "WebAuthnOrigins", "https://app.example.com"), base).parameters())
                .containsEntry("WebAuthnRpId", "example.com")
                .containsEntry("WebAuthnOrigins", "https://app.example.com");
    }

    @Test
    void hostsEveryRoutesFunctionAndTheAuthorizer() throws Exception {
        SamTemplate template = SamTemplate.load(Path.of("..", "template.yaml"));

        assertThat(Main.servedFunctions(template)).containsExactly(
                "LoginFunction", "AccountFunction", "AuthorizerFunction", "MfaFunction", "PasskeysFunction",
                "OAuthFunction", "SessionFunction", "JwksFunction", "ProtectedFunction");
    }

    /** Each key of a key set as purpose:status. */
    private static List<String> purposesAndStatuses(Map<String, Object> keySet) {
        return ((List<?>) keySet.get("keys")).stream().map(key -> (Map<?, ?>) key)
                .map(key -> key.get("purpose") + ":" + key.get("status"))
                .toList();
    }

    /** Each key of a key set as purpose:alg (or purpose:kty for a symmetric key). */
    private static List<String> purposes(Map<String, Object> keySet) {
        return ((List<?>) keySet.get("keys")).stream().map(key -> (Map<?, ?>) key)
                .map(key -> key.get("purpose") + ":" + (key.containsKey("alg") ? key.get("alg") : key.get("kty")))
                .toList();
    }

    /** What bash offers after {@code line}, with the completion script loaded as {@code source <(./authfn completion)} does. */
    private static List<String> complete(Path script, String line) throws Exception {
        String program = "source '" + script + "'; read -ra COMP_WORDS <<< \"$LINE\";"
                + " [[ \"$LINE\" == *' ' ]] && COMP_WORDS+=(''); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ));"
                + " COMP_LINE=\"$LINE\"; COMP_POINT=${#LINE}; _complete_authfn; printf '%s\\n' \"${COMPREPLY[@]}\"";
        // stderr aside: outside a real completion, bash's compopt complains that none is running.
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", program).redirectError(ProcessBuilder.Redirect.DISCARD);
        bash.environment().put("LINE", line);
        Process process = bash.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.lines().map(String::strip).filter(word -> !word.isEmpty()).toList();
    }

    /** Every runnable command, as the words that name it: "start-api", "users add"... */
    private static List<String> commandPaths(CommandLine command, List<String> path) {
        List<String> paths = new ArrayList<>();
        for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
            List<String> words = new ArrayList<>(path);
            words.add(sub.getKey());
            if (!sub.getKey().equals("help")) {
                paths.add(String.join(" ", words));
            }
            paths.addAll(commandPaths(sub.getValue(), words));
        }
        return paths;
    }

    private int run(String... args) {
        return run(Map.of(), args);
    }

    /** Runs with {@code stdin} as standard input. */
    private int runWithStdin(String stdin, String... args) {
        out.reset();
        err.reset();
        return Main.run(args, terminal(stdin));
    }

    private int run(Map<String, String> environment, String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), environment));
    }

    private Terminal terminal(String stdin) {
        return new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
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
