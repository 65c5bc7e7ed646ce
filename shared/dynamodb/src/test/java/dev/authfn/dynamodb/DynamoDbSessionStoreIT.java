package dev.authfn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import dev.authfn.dynamodb.internal.SessionItems;
import dev.authfn.testkit.SessionStoreContract;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import dev.authfn.emulator.HttpProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The session store contract against a real DynamoDB API, plus what only DynamoDB has: items, pages, TTL. */
@ExtendWith(DynamoDbEndpointExtension.class)
class DynamoDbSessionStoreIT extends SessionStoreContract {

    /** Small, so that listing and revoke-all really page through the index. */
    private static final int PAGE_SIZE = 10;

    private static DynamoDbTestEndpoint endpoint;
    private static DynamoDbClient client;
    private static String table;

    @BeforeAll
    static void createTable(DynamoDbTestEndpoint found) {
        endpoint = found;
        client = DynamoDbClients.create(found.endpoint(), found.region(), found.credentials());
        table = found.freshTableName("authfn-sessions");
        TableDefinitions.createSessionsTable(client, table);
    }

    @AfterAll
    static void deleteTable() {
        if (client != null) {
            client.deleteTable(request -> request.tableName(table));
            client.close();
        }
    }

    @Override
    protected SessionStore newStore() {
        return new DynamoDbSessionStore(client, table, PAGE_SIZE);
    }

    @Test
    void touchOfASessionAsReadMakesOneConditionalWriteAndNoRead() {
        List<String> operations = new CopyOnWriteArrayList<>();
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                operations.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        };
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(endpoint.region())
                .credentialsProvider(endpoint.credentials())
                .overrideConfiguration(config -> config.addExecutionInterceptor(recorder));
        endpoint.endpoint().ifPresent(builder::endpointOverride);
        try (DynamoDbClient recorded = builder.build()) {
            SessionStore counted = new DynamoDbSessionStore(recorded, table, PAGE_SIZE);
            Session session = newSession(randomId(), T0);
            counted.create(session);
            Instant due = T0.plus(SessionStore.TOUCH_INTERVAL);
            Session read = counted.find(session.id(), due).orElseThrow();
            operations.clear();

            Session touched = counted.touch(read, due, IDLE).orElseThrow();

            assertThat(operations).containsExactly("UpdateItem");
            assertThat(touched.lastSeenAt()).isEqualTo(due);
            operations.clear();
            assertThat(counted.touch(read, due.plusSeconds(1), IDLE)).as("raced: another request slid it").contains(touched);
            assertThat(operations).as("the refusal carries the item: no read").containsExactly("UpdateItem");
            operations.clear();
            assertThat(counted.touch(read, read.idleExpiresAt().plusSeconds(1), IDLE)).isPresent();
            assertThat(operations).as("a read that looks expired now is read again first")
                    .containsExactly("GetItem", "UpdateItem");
        }
    }

    @Test
    void storesEveryAttributeUnderItsDocumentedNameAndType() {
        Session session = newSession(randomId(), T0);
        store().create(session);

        Map<String, AttributeValue> item = rawItem(session.id());

        assertThat(item).containsOnlyKeys("id", "secretHash", "userId", "username", "roles", "permissions",
                "createdAt", "lastSeenAt", "idleExpiresAt", "absoluteExpiresAt", "expiresAt", "userAgent", "sourceIp",
                "amr", "authTime");
        assertThat(item.get("roles").l()).containsExactly(AttributeValue.fromS("user"));
        assertThat(item.get("amr").l()).containsExactly(AttributeValue.fromS("pwd"));
        assertThat(item.get("authTime").n()).isEqualTo(Long.toString(T0.toEpochMilli()));
        assertThat(item.get("createdAt").n()).isEqualTo(Long.toString(T0.toEpochMilli()));
        assertThat(item.get("absoluteExpiresAt").n()).isEqualTo(Long.toString(T0.plus(ABSOLUTE).toEpochMilli()));
        assertThat(item.get("expiresAt").n())
                .isEqualTo(Long.toString(SessionItems.ttlSeconds(T0.plus(IDLE))))
                .isEqualTo(Long.toString(T0.plus(IDLE).getEpochSecond() + 1));
    }

    @Test
    void keepsTheTtlAttributeAtTheEarlierOfBothExpiriesWhenTouched() {
        Session session = newSession(randomId(), T0);
        store().create(session);
        Instant absolute = session.absoluteExpiresAt();

        store().touch(session, T0.plus(Duration.ofMinutes(10)), IDLE);
        long afterSlide = Long.parseLong(rawItem(session.id()).get("expiresAt").n());
        store().touch(session, T0.plus(Duration.ofMinutes(30)), ABSOLUTE);
        long afterCap = Long.parseLong(rawItem(session.id()).get("expiresAt").n());

        assertThat(afterSlide).isEqualTo(SessionItems.ttlSeconds(T0.plus(Duration.ofMinutes(10)).plus(IDLE)));
        assertThat(afterCap).isEqualTo(SessionItems.ttlSeconds(absolute));
    }

    @Test
    void revokeAllPagesThroughTheIndexAndDeletesInBatchesOf25() {
        String userId = randomId();
        for (int i = 0; i < 35; i++) {
            store().create(newSession(userId, T0.plusSeconds(i)));
        }
        RecordingDynamoDbClient recording = new RecordingDynamoDbClient(client);

        int revoked = new DynamoDbSessionStore(recording, table, PAGE_SIZE).revokeAll(userId);

        assertThat(revoked).isEqualTo(35);
        assertThat(recording.queries).hasSizeGreaterThanOrEqualTo(4)
                .allSatisfy(query -> assertThat(query.limit()).isEqualTo(PAGE_SIZE));
        assertThat(recording.batchWrites)
                .extracting(batch -> batch.requestItems().get(table).size())
                .containsExactly(25, 10);
        assertThat(store().listLive(userId, T0)).isEmpty();
    }

    /**
     * TTL is cleanup, not validity. The session below expired (by the wall clock, which is what
     * TTL deleters go by) ninety minutes ago. Whatever the emulator's deleter has done, the store
     * never returns it. On LocalStack the test triggers the deleter and shows the item gone; moto
     * never deletes expired items (as real DynamoDB may take days to), so there it shows the item
     * still in the table.
     */
    @Test
    void neverReturnsAnExpiredSessionWhetherOrNotTtlHasDeletedIt() throws Exception {
        Instant wallClock = Clock.systemUTC().instant();
        Session expired = newSession(randomId(), wallClock.minus(Duration.ofHours(2)));
        store().create(expired);

        assertThat(store().find(expired.id(), wallClock)).isEmpty();
        assertThat(store().listLive(expired.userId(), wallClock)).isEmpty();
        assertThat(store().touch(expired, wallClock, IDLE)).isEmpty();

        switch (endpoint.kind()) {
            case LOCALSTACK -> {
                assertThat(HttpProbe.delete(endpoint.endpoint().orElseThrow().resolve("/_aws/dynamodb/expired")))
                        .contains(200);
                assertThat(rawItem(expired.id())).isEmpty();
            }
            case MOTO -> assertThat(rawItem(expired.id())).containsEntry("id", AttributeValue.fromS(expired.id()));
            case AWS, OTHER -> {
                // Real AWS deletes within days, another emulator as it likes: the store's answers
                // above are what holds everywhere.
            }
        }
    }

    @Test
    void readsRolesAndPermissionsWrittenAsStringSets() {
        Session session = newSession(randomId(), T0);
        Map<String, AttributeValue> item = new HashMap<>(SessionItems.toItem(session));
        item.put("roles", AttributeValue.fromSs(List.of("admin", "user")));
        client.putItem(request -> request.tableName(table).item(item));

        assertThat(store().find(session.id(), T0).orElseThrow().roles()).isEqualTo(Set.of("admin", "user"));
    }

    @Test
    void keepsTheOrderOfTheAuthenticationMethodsInAList() {
        Session session = multiFactorSession(randomId(), T0);
        store().create(session);

        assertThat(rawItem(session.id()).get("amr").l()).containsExactly(AttributeValue.fromS("pwd"),
                AttributeValue.fromS("otp"), AttributeValue.fromS("mfa"));
    }

    /**
     * An item written before sessions recorded their authentication has no {@code amr} and no
     * {@code authTime}: it was a password login, so it reads as one, authenticated when created.
     */
    @Test
    void readsAnItemWithoutAmrOrAuthTimeAsAPasswordLoginAtItsCreation() {
        Session session = multiFactorSession(randomId(), T0);
        Map<String, AttributeValue> item = new HashMap<>(SessionItems.toItem(session));
        item.remove("amr");
        item.remove("authTime");
        client.putItem(request -> request.tableName(table).item(item));

        Session found = store().find(session.id(), T0).orElseThrow();

        assertThat(found.amr()).containsExactly("pwd");
        assertThat(found.authTime()).isEqualTo(session.createdAt());
        assertThat(store().listLive(session.userId(), T0)).singleElement()
                .returns(List.of("pwd"), Session::amr)
                .returns(T0, Session::authTime);
    }

    private static Map<String, AttributeValue> rawItem(String id) {
        return client.getItem(request -> request.tableName(table).key(SessionItems.key(id)).consistentRead(true)).item();
    }
}
