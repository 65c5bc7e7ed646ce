package dev.authfn.local.e2e;

import dev.authfn.core.password.PasswordHasher;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.dynamodb.DynamoDbClients;
import dev.authfn.dynamodb.DynamoDbSessionStore;
import dev.authfn.dynamodb.DynamoDbUserStore;
import dev.authfn.local.LocalApi;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The repository's {@code template.yaml} served by a {@link LocalApi} of its own: a free port, a
 * moto server started for it, a generated key set, the real handlers. Users are written straight
 * into its users table, as {@code ./authfn users add} would. The API's log (access lines, the
 * handlers' audit lines, failures with stack traces) goes to a file, not the build output.
 */
final class E2eApi implements AutoCloseable {

    /** The repository's template, from the module directory failsafe runs in. */
    static final Path TEMPLATE = Path.of("..", "template.yaml");

    private final LocalApi api;
    private final PrintStream log;
    private final Path logFile;
    private final DynamoDbClient dynamodb;
    private final DynamoDbUserStore users;
    private final PasswordHasher hasher = new Argon2idHasher();

    private E2eApi(LocalApi api, PrintStream log, Path logFile) {
        this.api = api;
        this.log = log;
        this.logFile = logFile;
        this.dynamodb = DynamoDbClients.create(Optional.of(api.dynamodbEndpoint()), Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
        this.users = new DynamoDbUserStore(dynamodb, api.usersTable());
    }

    static E2eApi start(Class<?> testClass) throws IOException {
        Path logDir = Path.of(System.getProperty("authfn.e2e.log.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(logDir);
        Path logFile = logDir.resolve(testClass.getSimpleName() + "-local-api.log");
        PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile()), true, StandardCharsets.UTF_8);
        LocalApi api;
        try {
            api = LocalApi.start(TEMPLATE, 0, Optional.empty(), Optional.empty(), Map.of(), true, log);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        System.out.println("authfn e2e: " + testClass.getSimpleName() + " drives " + api.baseUri()
                + " (DynamoDB " + api.dynamodbEndpoint() + "); its log is " + logFile.toAbsolutePath());
        return new E2eApi(api, log, logFile);
    }

    LocalApi api() {
        return api;
    }

    Path logFile() {
        return logFile;
    }

    /** Adds an active user and returns its user id (the tokens' {@code sub}). */
    String addUser(String username, String password, Set<String> roles, Set<String> permissions) {
        String userId = UUID.randomUUID().toString();
        User user = new User(username, userId, hasher.hash(password), roles, permissions, UserStatus.ACTIVE, 0,
                Instant.EPOCH);
        if (!users.create(user)) {
            throw new IllegalStateException("user " + username + " exists already");
        }
        return userId;
    }

    @Override
    public void close() {
        try {
            api.close();
        } finally {
            dynamodb.close();
            log.close();
        }
    }
}
