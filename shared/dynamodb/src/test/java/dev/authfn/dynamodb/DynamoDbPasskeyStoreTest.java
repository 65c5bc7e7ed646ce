package dev.authfn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyStore.Added;
import dev.authfn.dynamodb.internal.PasskeyItems;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * What no emulator produces on demand: transactions that meet another write
 * ({@code TransactionConflict}), cancellations for reasons other than a condition, a refusal
 * without the item, keys a batch read leaves unprocessed. A scripted client answers; the outcomes
 * a real DynamoDB API gives are {@link DynamoDbPasskeyStoreIT}'s.
 */
class DynamoDbPasskeyStoreTest {

    private static final Instant T0 = Instant.parse("2100-01-01T08:00:00Z");
    private static final Passkey PASSKEY = new Passkey("credential-1", "alice", "id-1", "handle", "key", 0,
            "00000000-0000-0000-0000-000000000000", List.of(), false, false, "Passkey", T0, Optional.empty(), false);
    private static final Map<String, AttributeValue> ALICE = Map.of(
            "username", AttributeValue.fromS("alice"), "userId", AttributeValue.fromS("id-1"));

    private final Scripted client = new Scripted();
    private final DynamoDbPasskeyStore store = new DynamoDbPasskeyStore(client, "users");

    @Test
    void anAddThatMetAnotherTransactionIsSentAgain() {
        client.transactions.add(() -> {
            throw cancelled(reason("None"), reason("TransactionConflict"));
        });
        client.transactions.add(() -> TransactWriteItemsResponse.builder().build());

        assertThat(store.add(PASSKEY, 10)).isEqualTo(Added.ADDED);
        assertThat(client.transactionsSent).hasSize(2);
    }

    @Test
    void anAddConflictingThreeTimesFailsClosed() {
        for (int i = 0; i < 3; i++) {
            client.transactions.add(() -> {
                throw cancelled(reason("TransactionConflict"), reason("None"));
            });
        }

        assertThatThrownBy(() -> store.add(PASSKEY, 10))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB TransactWriteItems (add passkey) failed: TransactionCanceledException (HTTP 400)");
        assertThat(client.transactionsSent).hasSize(3);
    }

    @Test
    void aCancellationForAnotherReasonFailsClosedAtOnce() {
        client.transactions.add(() -> {
            throw cancelled(reason("ValidationError"), reason("None"));
        });

        assertThatThrownBy(() -> store.remove("alice", "id-1", "credential-1"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB TransactWriteItems (remove passkey) failed: TransactionCanceledException (HTTP 400)");
        assertThat(client.transactionsSent).hasSize(1);
    }

    @Test
    void aRefusedUserWithoutTheItemIsToldFromAStronglyConsistentRead() {
        client.transactions.add(() -> {
            throw cancelled(reason("None"), reason("ConditionalCheckFailed"));
        });
        client.items.add(ALICE);

        assertThat(store.add(PASSKEY, 10)).as("the user stands: its set is full").isEqualTo(Added.LIMIT_REACHED);
        assertThat(client.reads).singleElement().satisfies(read -> assertThat(read.consistentRead()).isTrue());

        client.transactions.add(() -> {
            throw cancelled(reason("ConditionalCheckFailed"), reason("ConditionalCheckFailed"));
        });
        client.items.add(Map.of());

        assertThat(store.add(PASSKEY, 10)).isEqualTo(Added.NO_USER);
    }

    @Test
    void aRefusedUserWithTheItemNeedsNoRead() {
        client.transactions.add(() -> {
            throw cancelled(reason("ConditionalCheckFailed"),
                    CancellationReason.builder().code("ConditionalCheckFailed").item(ALICE).build());
        });

        assertThat(store.add(PASSKEY, 10)).isEqualTo(Added.DUPLICATE);
        assertThat(client.reads).isEmpty();
    }

    @Test
    void addsWithTheLimitInTheConditionOfTheUserItem() {
        client.transactions.add(() -> TransactWriteItemsResponse.builder().build());

        store.add(PASSKEY, 10);

        var items = client.transactionsSent.getFirst().transactItems();
        assertThat(items.get(0).put().item()).isEqualTo(PasskeyItems.toItem(PASSKEY));
        assertThat(items.get(1).update().conditionExpression())
                .isEqualTo("#userId = :userId AND (attribute_not_exists(#passkeys) OR size(#passkeys) < :max)");
        assertThat(items.get(1).update().expressionAttributeValues().get(":max").n()).isEqualTo("10");
    }

    @Test
    void keysABatchReadLeftUnprocessedAreAskedForAgain() {
        Map<String, AttributeValue> one = PasskeyItems.toItem(PASSKEY);
        Passkey second = new Passkey("credential-2", "alice", "id-1", "handle", "key", 0,
                "00000000-0000-0000-0000-000000000000", List.of(), false, false, "Passkey", T0.plusSeconds(1),
                Optional.empty(), false);
        client.items.add(Map.of("userId", AttributeValue.fromS("id-1"),
                "passkeys", AttributeValue.fromSs(List.of("credential-1", "credential-2"))));
        client.batches.add(BatchGetItemResponse.builder()
                .responses(Map.of("users", List.of(one)))
                .unprocessedKeys(Map.of("users", KeysAndAttributes.builder()
                        .keys(PasskeyItems.passkeyKey("credential-2")).consistentRead(true).build()))
                .build());
        client.batches.add(BatchGetItemResponse.builder()
                .responses(Map.of("users", List.of(PasskeyItems.toItem(second))))
                .build());

        assertThat(store.list("alice", "id-1")).containsExactly(PASSKEY, second);
        assertThat(client.batchesSent).hasSize(2);
        assertThat(client.batchesSent.getFirst().requestItems().get("users").consistentRead()).isTrue();
    }

    @Test
    void aBatchReadThatKeepsLeavingKeysFailsClosed() {
        client.items.add(Map.of("userId", AttributeValue.fromS("id-1"),
                "passkeys", AttributeValue.fromSs(List.of("credential-1"))));
        for (int i = 0; i < 5; i++) {
            client.batches.add(BatchGetItemResponse.builder()
                    .unprocessedKeys(Map.of("users", KeysAndAttributes.builder()
                            .keys(PasskeyItems.passkeyKey("credential-1")).consistentRead(true).build()))
                    .build());
        }

        assertThatThrownBy(() -> store.list("alice", "id-1"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB BatchGetItem (list passkeys) left keys unprocessed after 5 attempts");
    }

    @Test
    void aCredentialIdTooLongForAKeyAsksNothing() {
        String tooLong = "x".repeat(2041);

        assertThat(store.find(tooLong)).isEmpty();
        assertThat(store.rename("alice", "id-1", tooLong, "name")).isFalse();
        assertThat(store.remove("alice", "id-1", tooLong)).isFalse();
        assertThat(store.recordUse(tooLong, 0, 1, false, T0)).isFalse();
        assertThat(store.flag(tooLong, T0)).isFalse();
        assertThat(PasskeyItems.keyFits("x".repeat(2040))).as("passkey# and 2040 bytes: 2048").isTrue();
        assertThat(client.reads).isEmpty();
        assertThat(client.transactionsSent).isEmpty();
    }

    private static CancellationReason reason(String code) {
        return CancellationReason.builder().code(code).build();
    }

    private static TransactionCanceledException cancelled(CancellationReason... reasons) {
        return (TransactionCanceledException) TransactionCanceledException.builder()
                .message("Transaction cancelled")
                .cancellationReasons(Arrays.asList(reasons))
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").build())
                .build();
    }

    /** Answers each call with the next scripted answer; any other call is unsupported. */
    private static final class Scripted implements DynamoDbClient {
        final Deque<Supplier<TransactWriteItemsResponse>> transactions = new ArrayDeque<>();
        final Deque<Map<String, AttributeValue>> items = new ArrayDeque<>();
        final Deque<BatchGetItemResponse> batches = new ArrayDeque<>();
        final List<TransactWriteItemsRequest> transactionsSent = new ArrayList<>();
        final List<GetItemRequest> reads = new ArrayList<>();
        final List<BatchGetItemRequest> batchesSent = new ArrayList<>();

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            transactionsSent.add(request);
            return transactions.removeFirst().get();
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            reads.add(request);
            return GetItemResponse.builder().item(items.removeFirst()).build();
        }

        @Override
        public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
            batchesSent.add(request);
            return batches.removeFirst();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }
}
