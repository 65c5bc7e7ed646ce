package dev.authfn.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.jwt.AccessTokenIssuer;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.dynamodb.DynamoDbUserStore;
import dev.authfn.local.LocalApi;
import dev.authfn.local.LocalStore;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import dev.authfn.local.testing.TestTables;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * authfn's access tokens checked by verifiers authfn did not write: awslabs' {@code aws-jwt-verify}
 * ({@code JwtVerifier} with issuer, audience and {@code jwksUri}) and panva's {@code jose}
 * ({@code createRemoteJWKSet} + {@code jwtVerify} with {@code typ: "at+jwt"}), run by Node on
 * {@code src/test/node/verify.mjs}, which finds the JWKS through the discovery document the local
 * API serves. Both must accept a token the API issued and refuse an expired one, one for another
 * audience, and, after the key set is rotated and the old JWT key retired (the API restarted on
 * the same port, issuer and tables with the new key set, as a function re-reads the secret), one
 * signed with the retired key.
 *
 * <p>The Node packages come from {@code package-lock.json} ({@code npm ci}, which {@code .ci/run}
 * runs; this test runs it too when {@code node_modules} is missing). Nothing else reaches the
 * network: the verifiers fetch only from 127.0.0.1.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class NodeVerifiersIT {

    static final Path NODE_DIR = Path.of("src", "test", "node");
    private static final String PASSWORD = "correct horse battery staple";
    private static final String AUDIENCE = "authfn-api";
    private static final Duration NODE_TIMEOUT = Duration.ofSeconds(60);

    private static TestTables tables;
    private static PrintStream log;
    private static int port;
    private static KeySet original;
    private static String aliceId;

    @BeforeAll
    static void prepare(DynamoDbTestEndpoint dynamodb) throws Exception {
        installPackagesWhenMissing();
        Path logDir = Path.of(System.getProperty("authfn.e2e.log.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(logDir);
        log = new PrintStream(new FileOutputStream(logDir.resolve("NodeVerifiersIT-local-api.log").toFile()), true,
                StandardCharsets.UTF_8);
        tables = TestTables.of(NodeVerifiersIT.class, dynamodb);
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        original = KeySet.generate(Clock.systemUTC());
    }

    @AfterAll
    static void cleanUp() {
        if (tables != null) {
            tables.close();
        }
        if (log != null) {
            log.close();
        }
    }

    @Test
    void bothVerifiersAcceptIssuedTokensAndRefuseExpiredForeignAndRotatedOutOnes() throws Exception {
        String issuer = "http://127.0.0.1:" + port;
        String issuedBeforeRotation;
        Map<String, Object> before;
        try (LocalApi api = start(original)) {
            addAlice(api);
            issuedBeforeRotation = Login.json(new Http(api.baseUri()), "alice", PASSWORD, "node-verifiers").accessToken();
            Map<String, String> tokens = new LinkedHashMap<>();
            tokens.put("issued", issuedBeforeRotation);
            tokens.put("expired", new AccessTokenIssuer(original, issuer, AUDIENCE, "authfn", Duration.ofMinutes(5),
                    Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC))
                    .issue(aliceId, "alice", "AAAAAAAAAAAAAAAAAAAAAA", Set.of("user"), Set.of("orders:write"),
                            List.of("pwd"), Instant.now().minus(Duration.ofHours(1))));
            tokens.put("foreign-audience", new AccessTokenIssuer(original, issuer, "another-api", "authfn", Clock.systemUTC())
                    .issue(aliceId, "alice", "AAAAAAAAAAAAAAAAAAAAAA", Set.of("user"), Set.of("orders:write"),
                            List.of("pwd"), Instant.now().minus(Duration.ofHours(1))));
            before = verify(api, tokens);
        }
        assertThat(before).containsEntry("issuer", issuer).containsEntry("jwks_uri", issuer + "/.well-known/jwks.json");
        assertThat(results(before)).isEqualTo(Map.of(
                "issued", both(accepted()),
                "expired", Map.of("aws-jwt-verify", refused("JwtExpiredError"),
                        "jose", refusedOnClaim("ERR_JWT_EXPIRED", "exp")),
                "foreign-audience", Map.of("aws-jwt-verify", refused("JwtInvalidAudienceError"),
                        "jose", refusedOnClaim("ERR_JWT_CLAIM_VALIDATION_FAILED", "aud"))));

        String oldKid = original.activeJwtKey().kid();
        KeySet rotated = original.rotate(KeyPurpose.JWT, Clock.systemUTC());
        KeySet retired = rotated.retire(oldKid);
        assertThat(retired.activeJwtKey().kid()).isNotEqualTo(oldKid);
        Map<String, Object> after;
        try (LocalApi api = start(retired)) {
            String issuedAfterRotation = Login.json(new Http(api.baseUri()), "alice", PASSWORD, "node-verifiers")
                    .accessToken();
            after = verify(api, Map.of("rotated-out", issuedBeforeRotation, "issued-after-rotation", issuedAfterRotation));
        }
        assertThat(results(after)).isEqualTo(Map.of(
                "issued-after-rotation", both(accepted()),
                "rotated-out", Map.of("aws-jwt-verify", refused("KidNotFoundInJwksError"),
                        "jose", refused("ERR_JWKS_NO_MATCHING_KEY"))));
    }

    private static LocalApi start(KeySet keys) throws IOException {
        return LocalApi.start(E2eApi.TEMPLATE, Optional.empty(), port, LocalStore.DYNAMODB,
                Optional.of(tables.apiEndpoint()), Optional.of(keys.toJson()), Map.of(), true, tables.names(), log,
                Optional.empty());
    }

    private static void addAlice(LocalApi api) {
        aliceId = UUID.randomUUID().toString();
        new DynamoDbUserStore(tables.client(), api.usersTable()).create(new User("alice", aliceId,
                new Argon2idHasher().hash(PASSWORD), Set.of("user"), Set.of("orders:write"), UserStatus.ACTIVE, 0,
                Instant.EPOCH));
    }

    private static Map<String, Object> accepted() {
        return Map.of("valid", true, "sub", aliceId);
    }

    private static Map<String, Object> refused(String error) {
        return Map.of("valid", false, "error", error);
    }

    private static Map<String, Object> refusedOnClaim(String error, String claim) {
        return Map.of("valid", false, "error", error, "claim", claim);
    }

    private static Map<String, Object> both(Map<String, Object> outcome) {
        return Map.of("aws-jwt-verify", outcome, "jose", outcome);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> results(Map<String, Object> report) {
        return (Map<String, Object>) report.get("results");
    }

    /** Runs verify.mjs on these tokens against the API's discovery document; its JSON report. */
    private static Map<String, Object> verify(LocalApi api, Map<String, String> tokens) throws Exception {
        Map<String, Object> input = Map.of("discovery", api.baseUri() + "/.well-known/openid-configuration",
                "audience", AUDIENCE, "tokens", tokens);
        Process node = new ProcessBuilder("node", "verify.mjs").directory(NODE_DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var stdin = node.getOutputStream()) {
            stdin.write(JSONObjectUtils.toJSONString(input).getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            node.destroyForcibly();
            throw new AssertionError("node verify.mjs did not finish within " + NODE_TIMEOUT);
        }
        assertThat(node.exitValue()).as("node verify.mjs exit code (its stderr is above)").isZero();
        return JSONObjectUtils.parse(output);
    }

    private static void installPackagesWhenMissing() throws Exception {
        if (Files.isDirectory(NODE_DIR.resolve("node_modules"))) {
            return;
        }
        Process npm = new ProcessBuilder(List.of("npm", "ci", "--no-audit", "--no-fund")).directory(NODE_DIR.toFile())
                .inheritIO().start();
        if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
            throw new AssertionError("npm ci in " + NODE_DIR.toAbsolutePath() + " failed; Node 20+ and npm are needed "
                    + "(openid-client 6 needs 20; Debian 12's nodejs package is 18)");
        }
    }
}
