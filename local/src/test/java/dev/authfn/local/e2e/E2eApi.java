package dev.authfn.local.e2e;

import dev.authfn.core.password.PasswordHasher;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.dynamodb.DynamoDbOAuthStore;
import dev.authfn.dynamodb.DynamoDbSessionStore;
import dev.authfn.dynamodb.DynamoDbUserStore;
import dev.authfn.dynamodb.internal.SessionItems;
import dev.authfn.local.LocalApi;
import dev.authfn.local.LocalStore;
import dev.authfn.local.testing.TestTables;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
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
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The repository's {@code template.yaml} served by a {@link LocalApi} of its own: a free port,
 * tables of its own at the run's DynamoDB API ({@link TestTables}: {@code AUTHFN_TEST_AWS_ENDPOINT},
 * LocalStack or the run's moto), a generated key set, the real handlers. Users are written
 * straight into its users table, as {@code ./authfn users add} would; a test that goes through
 * the admin CLI itself ({@code AdminCli}) reads them back with {@link #user}. The API's log (access
 * lines, the handlers' audit lines, failures with stack traces) goes to a file, not the build
 * output.
 */
public final class E2eApi implements AutoCloseable {

    /** The repository's template, from the module directory failsafe runs in. */
    public static final Path TEMPLATE = Path.of("..", "template.yaml");

    private final LocalApi api;
    private final TestTables tables;
    private final PrintStream log;
    private final Path logFile;
    private final DynamoDbUserStore users;
    private final PasswordHasher hasher = new Argon2idHasher();

    private E2eApi(LocalApi api, TestTables tables, PrintStream log, Path logFile) {
        this.api = api;
        this.tables = tables;
        this.log = log;
        this.logFile = logFile;
        this.users = new DynamoDbUserStore(tables.client(), api.usersTable());
    }

    public static E2eApi start(Class<?> testClass, DynamoDbTestEndpoint dynamodb) throws IOException {
        return start(testClass, dynamodb, TEMPLATE, Map.of());
    }

    /**
     * As {@link #start(Class, DynamoDbTestEndpoint)} serving {@code template} with these parameter
     * values; an application behind authfn's authorizer ({@code examples/orders}) is served
     * together with the repository's template.
     */
    public static E2eApi start(Class<?> testClass, DynamoDbTestEndpoint dynamodb, Path template,
            Map<String, String> parameters) throws IOException {
        Path logDir = Path.of(System.getProperty("authfn.e2e.log.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(logDir);
        Path logFile = logDir.resolve(testClass.getSimpleName() + "-local-api.log");
        PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile()), true, StandardCharsets.UTF_8);
        TestTables tables = TestTables.of(testClass, dynamodb);
        LocalApi api;
        try {
            api = LocalApi.start(template, Optional.of(TEMPLATE), 0, LocalStore.DYNAMODB,
                    Optional.of(tables.apiEndpoint()), Optional.empty(), parameters, true, tables.names(), log, Optional.empty());
        } catch (IOException | RuntimeException e) {
            tables.close();
            log.close();
            throw e;
        }
        System.out.println("authfn e2e: " + testClass.getSimpleName() + " drives " + api.baseUri()
                + " (DynamoDB " + api.dynamodbEndpoint() + "); its log is " + logFile.toAbsolutePath());
        return new E2eApi(api, tables, log, logFile);
    }

    public LocalApi api() {
        return api;
    }

    /** The API's log; the folder it is in ({@code authfn.e2e.log.dir}) takes a test's other logs too. */
    public Path logFile() {
        return logFile;
    }

    /** The user named {@code username} as stored, however it was added; fails the test when there is none. */
    public User user(String username) {
        return users.get(username).orElseThrow(() -> new AssertionError("no user " + username));
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

    /** Registers an OAuth client in the API's users table, as {@code ./authfn clients add} would. */
    void addClient(OAuthClient client) {
        if (!new DynamoDbOAuthStore(tables.client(), api.usersTable()).addClient(client)) {
            throw new IllegalStateException("client " + client.clientId() + " exists already");
        }
    }

    /**
     * Rewrites the recorded login time of session {@code sessionId} in the sessions table, as if
     * the user had logged in at {@code authTime}: what the authorizer reads for a cookie, and what
     * {@code POST /auth/refresh} puts in the next access token's {@code auth_time}. How the tests
     * reach a login older than a route's {@code max_age} without waiting for it; the session must
     * exist.
     */
    void backdateLogin(String sessionId, Instant authTime) {
        tables.client().updateItem(UpdateItemRequest.builder().tableName(api.sessionsTable())
                .key(SessionItems.key(sessionId))
                .updateExpression("SET #authTime = :authTime")
                .conditionExpression("attribute_exists(#authTime)")
                .expressionAttributeNames(Map.of("#authTime", SessionItems.AUTH_TIME))
                .expressionAttributeValues(Map.of(":authTime",
                        AttributeValue.fromN(Long.toString(authTime.toEpochMilli()))))
                .build());
    }

    @Override
    public void close() {
        try {
            api.close();
        } finally {
            tables.close();
            log.close();
        }
    }
}
