package dev.authfn.local.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.keys.KeySet;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.dynamodb.DynamoDbClients;
import dev.authfn.auth.UserAdministration;
import dev.authfn.dynamodb.DynamoDbSessionStore;
import dev.authfn.dynamodb.DynamoDbUserStore;
import dev.authfn.dynamodb.internal.SessionItems;
import dev.authfn.dynamodb.internal.UserItems;
import dev.authfn.local.LocalApi;
import dev.authfn.local.LocalTables;
import dev.authfn.local.testing.TestTables;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import dev.authfn.testkit.LaggingIndexSessionStore;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The repository's {@code template.yaml} served by a {@link LocalApi} of its own for one security
 * test class: a free port, tables of its own at the run's DynamoDB API ({@link TestTables}:
 * {@code AUTHFN_TEST_AWS_ENDPOINT}, LocalStack or the run's moto) or at a moto server the test
 * controls (the fault tests stop and restart theirs), a key set the test generated and so can
 * forge with, the real handlers. The test reads and writes the tables
 * directly through {@link #dynamodb()} to prove what was (not) written and to move expiry fields.
 * The API's log goes to a file that tests read.
 */
final class SecurityApi implements AutoCloseable {

    /** The repository's template, from the module directory failsafe runs in. */
    static final Path TEMPLATE = Path.of("..", "template.yaml");
    static final String PASSWORD = "correct horse battery staple";
    static final String SESSION_COOKIE = Login.SESSION_COOKIE;
    static final String CSRF_COOKIE = Login.CSRF_COOKIE;
    static final String AUDIENCE = "authfn-api";

    private final LocalApi api;
    private final KeySet keys;
    private final PrintStream log;
    private final Path logFile;
    private final DynamoDbClient dynamodb;
    private final DynamoDbUserStore users;
    private final Http http;
    private final PasswordHasher hasher = new Argon2idHasher();

    private final AutoCloseable tables;

    private SecurityApi(LocalApi api, KeySet keys, PrintStream log, Path logFile, DynamoDbClient dynamodb,
            AutoCloseable tables) {
        this.api = api;
        this.keys = keys;
        this.log = log;
        this.logFile = logFile;
        this.dynamodb = dynamodb;
        this.tables = tables;
        this.users = new DynamoDbUserStore(dynamodb, api.usersTable());
        this.http = new Http(api.baseUri());
    }

    /** An API with tables of its own at the run's DynamoDB API and a freshly generated key set. */
    static SecurityApi start(Class<?> testClass, DynamoDbTestEndpoint dynamodb) throws IOException {
        return start(testClass, dynamodb, KeySet.generate(Clock.systemUTC()));
    }

    /** An API with tables of its own at the run's DynamoDB API, running with {@code keys}. */
    static SecurityApi start(Class<?> testClass, DynamoDbTestEndpoint dynamodb, KeySet keys) throws IOException {
        TestTables tables = TestTables.of(testClass, dynamodb);
        try {
            Started started = startApi(testClass, Optional.of(tables.apiEndpoint()), keys, tables.names());
            return new SecurityApi(started.api(), keys, started.log(), started.logFile(), tables.client(), tables);
        } catch (IOException | RuntimeException e) {
            tables.close();
            throw e;
        }
    }

    /**
     * As {@link #start(Class, DynamoDbTestEndpoint)}, but the functions reach the run's DynamoDB
     * API through {@code functionsEndpoint} (a relay in front of it that records their requests)
     * while the test's own client goes straight to it.
     */
    static SecurityApi startThrough(Class<?> testClass, DynamoDbTestEndpoint dynamodb, URI functionsEndpoint)
            throws IOException {
        TestTables tables = TestTables.of(testClass, dynamodb);
        try {
            KeySet keys = KeySet.generate(Clock.systemUTC());
            Started started = startApi(testClass, Optional.of(functionsEndpoint), keys, tables.names());
            return new SecurityApi(started.api(), keys, started.log(), started.logFile(), tables.client(), tables);
        } catch (IOException | RuntimeException e) {
            tables.close();
            throw e;
        }
    }

    /**
     * An API on a moto server the test controls (and may stop): the default table names, a client
     * with moto's dummy credentials.
     */
    static SecurityApi startOnOwnMoto(Class<?> testClass, URI motoEndpoint, KeySet keys) throws IOException {
        return startOnOwnMoto(testClass, motoEndpoint, motoEndpoint, keys);
    }

    /**
     * As {@link #startOnOwnMoto(Class, URI, KeySet)}, but the functions reach moto at
     * {@code functionsEndpoint} (a fault proxy in front of it) while the test's own client, which
     * seeds and reads the tables, goes straight to {@code motoEndpoint}.
     */
    static SecurityApi startOnOwnMoto(Class<?> testClass, URI functionsEndpoint, URI motoEndpoint, KeySet keys)
            throws IOException {
        Started started = startApi(testClass, Optional.of(functionsEndpoint), keys, LocalTables.DEFAULT);
        DynamoDbClient client = client(motoEndpoint);
        return new SecurityApi(started.api(), keys, started.log(), started.logFile(), client, client);
    }

    private record Started(LocalApi api, PrintStream log, Path logFile) {
    }

    private static Started startApi(Class<?> testClass, Optional<URI> endpoint, KeySet keys, LocalTables tables)
            throws IOException {
        Path logDir = Path.of(System.getProperty("authfn.security.log.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(logDir);
        Path logFile = logDir.resolve(testClass.getSimpleName() + "-local-api.log");
        PrintStream log = new PrintStream(new FileOutputStream(logFile.toFile()), true, StandardCharsets.UTF_8);
        LocalApi api;
        try {
            api = LocalApi.start(TEMPLATE, 0, endpoint, Optional.of(keys.toJson()), Map.of(), true, tables, log);
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        System.out.println("authfn security: " + testClass.getSimpleName() + " attacks " + api.baseUri()
                + " (DynamoDB " + api.dynamodbEndpoint() + ", " + tables + "); its log is " + logFile.toAbsolutePath());
        return new Started(api, log, logFile);
    }

    /** A DynamoDB client with the emulator's dummy credentials. */
    static DynamoDbClient client(URI endpoint) {
        return DynamoDbClients.create(Optional.of(endpoint), Region.US_EAST_1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }

    LocalApi api() {
        return api;
    }

    Http http() {
        return http;
    }

    /** The key set the API runs with (private parts included: tests forge with it). */
    KeySet keys() {
        return keys;
    }

    /** The issuer the API puts in its tokens: its own URL. */
    String issuer() {
        return api.baseUri().toString();
    }

    DynamoDbClient dynamodb() {
        return dynamodb;
    }

    /** Adds an active user with {@link #PASSWORD} and returns its user id (the tokens' {@code sub}). */
    String addUser(String username, Set<String> roles, Set<String> permissions) {
        return addUser(dynamodb, api.usersTable(), api.sessionsTable(), hasher, username, roles, permissions);
    }

    static String addUser(DynamoDbClient client, String usersTable, String sessionsTable, PasswordHasher hasher,
            String username, Set<String> roles, Set<String> permissions) {
        String userId = UUID.randomUUID().toString();
        User user = new User(username, userId, hasher.hash(PASSWORD), roles, permissions, UserStatus.ACTIVE, 0,
                Instant.EPOCH);
        DynamoDbUserStore store = new DynamoDbUserStore(client, usersTable);
        if (!store.create(user)) {
            throw new IllegalStateException("user " + username + " exists already");
        }
        return userId;
    }

    DynamoDbUserStore users() {
        return users;
    }

    /** What an administrator does (disable, password change), through the service that also ends sessions. */
    UserAdministration admin() {
        return new UserAdministration(users, new DynamoDbSessionStore(dynamodb, api.sessionsTable()), Clock.systemUTC());
    }

    /**
     * As {@link #admin()}, over a sessions index that does not show sessions created in the last
     * {@code indexLag} (DynamoDB's userId GSI is eventually consistent; moto's is not).
     */
    UserAdministration admin(Duration indexLag) {
        return new UserAdministration(users, new LaggingIndexSessionStore(
                new DynamoDbSessionStore(dynamodb, api.sessionsTable()), Clock.systemUTC(), indexLag), Clock.systemUTC());
    }

    Optional<Map<String, AttributeValue>> sessionItem(String sessionId) {
        Map<String, AttributeValue> item = dynamodb.getItem(GetItemRequest.builder().tableName(api.sessionsTable())
                .key(SessionItems.key(sessionId)).consistentRead(true).build()).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    /** Every session item's id, as a consistent scan sees them. */
    Set<String> sessionIds() {
        return Set.copyOf(dynamodb.scanPaginator(ScanRequest.builder().tableName(api.sessionsTable())
                        .consistentRead(true).build()).items().stream()
                .map(item -> item.get(SessionItems.ID).s()).toList());
    }

    Map<String, AttributeValue> userItem(String username) {
        Map<String, AttributeValue> item = dynamodb.getItem(GetItemRequest.builder().tableName(api.usersTable())
                .key(UserItems.key(username)).consistentRead(true).build()).item();
        assertThat(item).as("users item %s", username).isNotEmpty();
        return item;
    }

    long failedLogins(String username) {
        AttributeValue value = userItem(username).get(UserItems.FAILED_LOGINS);
        return value == null ? 0 : Long.parseLong(value.n());
    }

    /** Sets number attributes (epoch millis, counters) of a session item directly, as time passing would. */
    void setSessionNumbers(String sessionId, Map<String, Long> values) {
        updateNumbers(api.sessionsTable(), SessionItems.key(sessionId), values);
    }

    /** Sets number attributes of a users item directly (the lockout counter and lock). */
    void setUserNumbers(String username, Map<String, Long> values) {
        updateNumbers(api.usersTable(), UserItems.key(username), values);
    }

    private void updateNumbers(String table, Map<String, AttributeValue> key, Map<String, Long> values) {
        StringBuilder expression = new StringBuilder("SET ");
        Map<String, String> names = new java.util.HashMap<>();
        Map<String, AttributeValue> numbers = new java.util.HashMap<>();
        int i = 0;
        for (Map.Entry<String, Long> entry : values.entrySet()) {
            expression.append(i == 0 ? "" : ", ").append("#a").append(i).append(" = :v").append(i);
            names.put("#a" + i, entry.getKey());
            numbers.put(":v" + i, AttributeValue.fromN(Long.toString(entry.getValue())));
            i++;
        }
        dynamodb.updateItem(UpdateItemRequest.builder().tableName(table).key(key)
                .updateExpression(expression.toString()).expressionAttributeNames(names)
                .expressionAttributeValues(numbers).conditionExpression("attribute_exists(#a0)").build());
    }

    /** The API's log so far, line by line. */
    List<String> logLines() {
        log.flush();
        try {
            return Files.readAllLines(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Logs {@code username} in with a JSON body; anything but a 200 fails the test. */
    Login login(String username) {
        return Login.from(http.post("/auth/login").json(Map.of("username", username, "password", PASSWORD)).send());
    }

    @Override
    public void close() {
        try {
            api.close();
        } finally {
            try {
                tables.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not delete the test's tables", e);
            } finally {
                log.close();
            }
        }
    }
}
