package dev.authfn.dynamodb;

import dev.authfn.dynamodb.internal.SessionItems;
import dev.authfn.dynamodb.internal.UserItems;
import java.time.Duration;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * The two tables, as the local tools and the tests create them (and as {@code template.yaml}
 * must declare them): on-demand billing; sessions keyed by {@code id} with the GSI
 * {@value #SESSIONS_BY_USER_INDEX} on {@code userId} (all attributes projected); users keyed by
 * {@code username}; both with TTL on {@value #TTL_ATTRIBUTE} (in the users table phantoms and
 * the short-lived items beside the users carry it, never a user, a passkey or an OAuth client). The create methods let SDK exceptions through, for example
 * {@code ResourceInUseException} when the table exists.
 */
public final class TableDefinitions {

    public static final String SESSIONS_BY_USER_INDEX = "userId-index";
    /** The TTL attribute of both tables. */
    public static final String TTL_ATTRIBUTE = SessionItems.EXPIRES_AT;

    private static final Duration POLL_DELAY = Duration.ofSeconds(1);
    private static final int MAX_POLLS = 120;

    private TableDefinitions() {}

    public static CreateTableRequest sessionsTable(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        stringAttribute(SessionItems.ID),
                        stringAttribute(SessionItems.USER_ID))
                .keySchema(hashKey(SessionItems.ID))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
                        .indexName(SESSIONS_BY_USER_INDEX)
                        .keySchema(hashKey(SessionItems.USER_ID))
                        .projection(projection -> projection.projectionType(ProjectionType.ALL))
                        .build())
                .build();
    }

    public static CreateTableRequest usersTable(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(stringAttribute(UserItems.USERNAME))
                .keySchema(hashKey(UserItems.USERNAME))
                .build();
    }

    /** The outbox: keyed by {@code id}, with a stream of new images (the mailer's trigger in production). */
    public static CreateTableRequest outboxTable(String tableName) {
        return CreateTableRequest.builder()
                .tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(stringAttribute(dev.authfn.dynamodb.internal.OutboxItems.ID))
                .keySchema(hashKey(dev.authfn.dynamodb.internal.OutboxItems.ID))
                .streamSpecification(stream -> stream.streamEnabled(true)
                        .streamViewType(software.amazon.awssdk.services.dynamodb.model.StreamViewType.NEW_IMAGE))
                .build();
    }

    /** Creates the outbox table, waits until it is active and turns TTL on. */
    public static void createOutboxTable(DynamoDbClient client, String tableName) {
        createAndWait(client, outboxTable(tableName));
        enableTtl(client, tableName);
    }

    /** Creates the sessions table, waits until it is active and turns TTL on. */
    public static void createSessionsTable(DynamoDbClient client, String tableName) {
        createAndWait(client, sessionsTable(tableName));
        enableTtl(client, tableName);
    }

    /**
     * Creates the users table, waits until it is active and turns TTL on, which removes the
     * phantom items that count failed logins for unknown names, and the spent or stale items kept
     * beside the users (mail tokens and counts, spent login attempts, passkey challenges, OAuth
     * authorization codes and refresh-token families).
     */
    public static void createUsersTable(DynamoDbClient client, String tableName) {
        createAndWait(client, usersTable(tableName));
        enableTtl(client, tableName);
    }

    private static void enableTtl(DynamoDbClient client, String tableName) {
        client.updateTimeToLive(request -> request
                .tableName(tableName)
                .timeToLiveSpecification(ttl -> ttl.attributeName(TTL_ATTRIBUTE).enabled(true)));
    }

    private static void createAndWait(DynamoDbClient client, CreateTableRequest request) {
        client.createTable(request);
        try (DynamoDbWaiter waiter = client.waiter()) {
            waiter.waitUntilTableExists(
                    describe -> describe.tableName(request.tableName()),
                    wait -> wait.maxAttempts(MAX_POLLS).backoffStrategyV2(BackoffStrategy.fixedDelay(POLL_DELAY)));
        }
    }

    private static AttributeDefinition stringAttribute(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement hashKey(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }
}
