package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.oauth.OAuthCredential;
import dev.authfn.core.user.User;
import dev.authfn.local.e2e.E2eApi;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The acceptance test of the OpenID Connect provider (docs/API.md §18, issue 17): panva's
 * {@code openid-client} v6, a relying-party library authfn did not write, runs the whole flow
 * against the local API as {@code ./authfn start-api} serves {@code template.yaml}, on tables of
 * this class's own at the run's DynamoDB API (moto unless {@code AUTHFN_TEST_AWS_ENDPOINT} says
 * otherwise). {@code src/test/node/oidc.mjs} does discovery, the authorization request (the hosted
 * login page, the page's login, the redirect with {@code code}, {@code state} and {@code iss}),
 * the code exchange with PKCE and ID token validation, userinfo, {@code GET /protected} with the
 * access token, refresh rotation, reuse detection ending the family and the grant's session,
 * revocation, and a confidential client's {@code client_credentials} token verified with
 * {@code jose}. This test registers the clients and the user with the admin CLI's own commands
 * ({@code ./authfn clients add}, {@code ./authfn users add}) and asserts the script's exit code;
 * the script's output (one line per step) is shown when it fails, and always in the log folder.
 *
 * <p>Node (20 or later) and the packages {@code package-lock.json} pins must be there:
 * {@code npm ci --prefix local/src/test/node}, as {@code .ci/run} does. Without them the test fails
 * saying so; it never skips. The script talks to 127.0.0.1 only.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class OidcClientIT {

    static final Path NODE_DIR = Path.of("src", "test", "node");
    private static final String INSTALL = "install Node.js 20 or later and npm (Debian 12's nodejs package is 18, too old for openid-client 6), then run "
            + "npm ci --prefix local/src/test/node from the repository root (.ci/run does both)";
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(120);
    private static final String USERNAME = "olivia";
    private static final String PASSWORD = "lilac ferry compass 6071";
    private static final String AUDIENCE = "authfn-api";
    private static final String PUBLIC_CLIENT = "oidc-spa";
    private static final String REDIRECT_URI = "http://127.0.0.1/oidc-callback";
    private static final String CONFIDENTIAL_CLIENT = "oidc-billing";
    private static final String CONFIDENTIAL_SCOPE = "orders:read posts:create";

    private static E2eApi e2e;
    private static LocalApi api;

    @BeforeAll
    static void start(DynamoDbTestEndpoint dynamodb) throws Exception {
        requireNodeAndPackages();
        e2e = E2eApi.start(OidcClientIT.class, dynamodb, E2eApi.TEMPLATE, Map.of("OAuthRefreshGrace", "PT0S"));
        api = e2e.api();
    }

    @AfterAll
    static void stop() {
        if (e2e != null) {
            e2e.close();
        }
    }

    @Test
    void openidClientRunsTheCodeFlowRefreshReuseRevocationAndClientCredentials() throws Exception {
        // given a user and the two clients, registered as an operator would
        AdminCli admin = new AdminCli(api);
        admin.addUser(USERNAME, PASSWORD, "--role", "user", "--permission", "posts:create", "--permission", "orders:read");
        User user = e2e.user(USERNAME);
        admin.addPublicClient(PUBLIC_CLIENT, REDIRECT_URI, "openid profile email offline_access");
        String secret = admin.addConfidentialClient(CONFIDENTIAL_CLIENT, "https://billing.example/cb",
                "openid " + CONFIDENTIAL_SCOPE);
        assertThat(OAuthCredential.isWellFormed(secret)).as("the printed secret has the documented shape").isTrue();

        // when openid-client runs the flows against the API
        Map<String, String> environment = Map.ofEntries(
                Map.entry("AUTHFN_OIDC_ISSUER", api.baseUri().toString()),
                Map.entry("AUTHFN_OIDC_PUBLIC_CLIENT", PUBLIC_CLIENT),
                Map.entry("AUTHFN_OIDC_REDIRECT_URI", REDIRECT_URI),
                Map.entry("AUTHFN_OIDC_CONFIDENTIAL_CLIENT", CONFIDENTIAL_CLIENT),
                Map.entry("AUTHFN_OIDC_CONFIDENTIAL_SECRET", secret),
                Map.entry("AUTHFN_OIDC_CONFIDENTIAL_SCOPE", CONFIDENTIAL_SCOPE),
                Map.entry("AUTHFN_OIDC_USERNAME", USERNAME),
                Map.entry("AUTHFN_OIDC_PASSWORD", PASSWORD),
                Map.entry("AUTHFN_OIDC_USER_ID", user.userId()),
                Map.entry("AUTHFN_OIDC_AUDIENCE", AUDIENCE),
                // The API runs with OAuthRefreshGrace=PT0S (AUTHFN_OAUTH_REFRESH_GRACE): a rotated-out
                // token presented again is reuse at once, so the script need not wait out the default 10 s.
                Map.entry("AUTHFN_OIDC_REFRESH_GRACE_SECONDS", "0"));
        Run run = node("oidc.mjs", environment);

        // then every step passed
        assertThat(run.exitCode()).as("node oidc.mjs exit code; its output (also in %s):%n%s", run.outputFile(),
                run.output()).isZero();
        assertThat(run.output()).as(run.output()).contains("oidc.mjs: all ").doesNotContain("FAILED")
                .doesNotContain(PASSWORD).doesNotContain(secret);
    }

    private record Run(int exitCode, String output, Path outputFile) {
    }

    /** Runs {@code node script} in the Node project with these variables; its stdout and stderr together. */
    private static Run node(String script, Map<String, String> environment) throws Exception {
        Path output = e2e.logFile().resolveSibling("OidcClientIT-" + script + ".log");
        ProcessBuilder builder = new ProcessBuilder("node", script).directory(NODE_DIR.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        Process node = builder.start();
        node.getOutputStream().close();
        if (!node.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            node.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            throw new AssertionError("node " + script + " did not finish within " + NODE_TIMEOUT + "; its output so far:"
                    + System.lineSeparator() + Files.readString(output));
        }
        return new Run(node.exitValue(), Files.readString(output), output.toAbsolutePath());
    }

    /** Fails, never skips, when Node or the locked packages are missing: the acceptance test must run. */
    private static void requireNodeAndPackages() throws InterruptedException {
        try {
            Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String shown = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!version.waitFor(30, TimeUnit.SECONDS) || version.exitValue() != 0) {
                throw new AssertionError("node --version failed (" + shown + "): " + INSTALL);
            }
            if (!shown.matches("v([2-9][0-9])\\..*")) {
                throw new AssertionError("node is " + shown + "; openid-client 6 needs Node 20 or later: " + INSTALL);
            }
        } catch (IOException e) {
            throw new AssertionError("node is not on the PATH (" + e.getMessage() + "): " + INSTALL, e);
        }
        for (String module : List.of("openid-client", "jose")) {
            if (!Files.isRegularFile(NODE_DIR.resolve("node_modules").resolve(module).resolve("package.json"))) {
                throw new AssertionError("the npm package " + module + " is not installed in "
                        + NODE_DIR.toAbsolutePath().resolve("node_modules") + ": " + INSTALL);
            }
        }
    }
}
