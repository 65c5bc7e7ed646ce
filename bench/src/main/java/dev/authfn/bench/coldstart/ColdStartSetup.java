package dev.authfn.bench.coldstart;

import dev.authfn.core.authz.Amr;
import dev.authfn.auth.CredentialCodecs;
import dev.authfn.auth.SessionTimeouts;
import dev.authfn.core.keys.KeySet;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.core.session.Session;
import dev.authfn.core.token.SessionToken;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.dynamodb.DynamoDbClients;
import dev.authfn.dynamodb.DynamoDbSessionStore;
import dev.authfn.dynamodb.DynamoDbUserStore;
import dev.authfn.dynamodb.TableDefinitions;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Prepares what the cold-start drivers need (run on the bench classpath, not timed).
 *
 * <ul>
 *   <li>{@code prepare ENV_FILE [DYNAMODB_ENDPOINT]}: a new key set and the function environment
 *       (inline keys, issuer, audience, tables, stateless bearer tokens, dummy AWS credentials) plus
 *       {@code BENCH_AUTHORIZATION}, a bearer access token valid for an hour, written as
 *       {@code export NAME='value'} lines for the script to source. With an endpoint it also
 *       creates the tables there and a user {@code BENCH_USERNAME}/{@code BENCH_PASSWORD}.</li>
 *   <li>{@code cookie}: from that environment, stores a new session seen just now and prints its
 *       cookie ({@code __Host-session=...}), so that the timed run reads it and has no reason to
 *       slide its idle expiry.</li>
 * </ul>
 */
public final class ColdStartSetup {

    static final String ISSUER = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";
    static final String AUDIENCE = "authfn-api";
    static final String USERNAME = "coldstart";
    static final String PASSWORD = "correct horse battery staple";

    private ColdStartSetup() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "prepare" -> prepare(Path.of(args[1]), args.length > 2 ? Optional.of(URI.create(args[2])) : Optional.empty());
            case "cookie" -> System.out.println(cookie(System.getenv()));
            default -> throw new IllegalArgumentException("prepare ENV_FILE [ENDPOINT] | cookie");
        }
    }

    private static void prepare(Path envFile, Optional<URI> endpoint) throws IOException {
        Clock clock = Clock.systemUTC();
        KeySet keys = KeySet.generate(clock);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AUTHFN_KEYS", keys.toJson());
        env.put("AUTHFN_ISSUER", ISSUER);
        env.put("AUTHFN_AUDIENCE", AUDIENCE);
        env.put("AUTHFN_STATELESS_BEARER", "true"); // the bearer cold start makes no network call
        env.put("AUTHFN_SESSIONS_TABLE", "coldstart-sessions-" + suffix);
        env.put("AUTHFN_USERS_TABLE", "coldstart-users-" + suffix);
        endpoint.ifPresent(uri -> env.put("AUTHFN_DYNAMODB_ENDPOINT", uri.toString()));
        env.put("BENCH_USERNAME", USERNAME);
        env.put("BENCH_PASSWORD", PASSWORD);
        CredentialCodecs codecs = codecs(keys, clock);
        env.put("BENCH_AUTHORIZATION", "Bearer " + codecs.issuer().issue(
                "u-coldstart", USERNAME, "coldstart-session", Set.of("user"), Set.of("posts:create"), Amr.PASSWORD,
                clock.instant()));
        if (endpoint.isPresent()) {
            try (DynamoDbClient client = client(env)) {
                TableDefinitions.createSessionsTable(client, env.get("AUTHFN_SESSIONS_TABLE"));
                TableDefinitions.createUsersTable(client, env.get("AUTHFN_USERS_TABLE"));
                DynamoDbSessionStore sessions = new DynamoDbSessionStore(client, env.get("AUTHFN_SESSIONS_TABLE"));
                new DynamoDbUserStore(client, env.get("AUTHFN_USERS_TABLE")).create(new User(
                        USERNAME, "u-coldstart", new Argon2idHasher().hash(PASSWORD), Set.of("user"),
                        Set.of("posts:create"), UserStatus.ACTIVE, 0, Instant.EPOCH));
            }
        }
        StringBuilder out = new StringBuilder();
        env.forEach((name, value) -> out.append("export ").append(name).append("='")
                .append(value.replace("'", "'\\''")).append("'\n"));
        Files.writeString(envFile, out);
    }

    private static String cookie(Map<String, String> env) {
        Clock clock = Clock.systemUTC();
        CredentialCodecs codecs = codecs(KeySet.parse(env.get("AUTHFN_KEYS")), clock);
        SessionToken token = SessionToken.generate(new SecureRandom());
        Instant now = clock.instant();
        SessionTimeouts timeouts = SessionTimeouts.DEFAULT;
        Instant absolute = now.plus(timeouts.absolute());
        try (DynamoDbClient client = client(env)) {
            boolean created = new DynamoDbSessionStore(client, env.get("AUTHFN_SESSIONS_TABLE")).create(new Session(
                    token.id(), token.secretHash(), "u-coldstart", USERNAME, Set.of("user"), Set.of("posts:create"),
                    now, now, timeouts.idleExpiry(now, absolute), absolute, "coldstart", "203.0.113.10"));
            if (!created) {
                throw new IllegalStateException("session id collision");
            }
        }
        return "__Host-session=" + codecs.cookies().sign(token, now);
    }

    private static CredentialCodecs codecs(KeySet keys, Clock clock) {
        return new CredentialCodecs(keys, new CredentialCodecs.Settings(ISSUER, AUDIENCE, "authfn",
                Duration.ofHours(1), Duration.ofSeconds(60), SessionTimeouts.DEFAULT), new SecureRandom(), clock);
    }

    private static DynamoDbClient client(Map<String, String> env) {
        return DynamoDbClients.create(Optional.of(URI.create(env.get("AUTHFN_DYNAMODB_ENDPOINT"))), Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }
}
