package dev.authfn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.mfa.MfaStore.Attempt;
import dev.authfn.core.mfa.MfaStore.Spend;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * What no emulator produces on demand: a write meeting a concurrent transaction on the user item
 * ({@code TransactionConflict}), and cancellations for reasons other than a condition. A scripted
 * client answers; the outcomes a real DynamoDB API gives are {@link DynamoDbMfaStoreIT}'s.
 */
class DynamoDbMfaStoreTest {

    private static final Attempt ATTEMPT = new Attempt("attempt-hash", Instant.parse("2100-01-01T08:05:00Z"));
    private static final Map<String, AttributeValue> CONFIRMED = Map.of(
            "username", AttributeValue.fromS("alice"), "userId", AttributeValue.fromS("id-1"),
            "totpState", AttributeValue.fromS("confirmed"), "totpSecret", AttributeValue.fromS("k1.sealed-secret"),
            "totpLastStep", AttributeValue.fromN("100"));

    private final Scripted client = new Scripted();
    private final DynamoDbMfaStore store = new DynamoDbMfaStore(client, "users");

    @Test
    void aTransactionThatMetAConflictIsTriedAgainAndSpends() {
        client.transactions.add(() -> {
            throw cancelled(reason("TransactionConflict"), reason("None"));
        });
        client.transactions.add(() -> {
            throw cancelled(reason("None"), reason("TransactionConflict"));
        });
        client.transactions.add(() -> TransactWriteItemsResponse.builder().build());

        assertThat(store.spendTotpStep("alice", "id-1", 101, Optional.of(ATTEMPT))).isEqualTo(Spend.SPENT);
        assertThat(client.calls).hasValue(3);
    }

    @Test
    void aTransactionConflictingThreeTimesFailsClosed() {
        for (int i = 0; i < 3; i++) {
            client.transactions.add(() -> {
                throw cancelled(reason("None"), reason("TransactionConflict"));
            });
        }

        assertThatThrownBy(() -> store.spendRecoveryCode("alice", "id-1", "code-hash", Optional.of(ATTEMPT)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB TransactWriteItems (spend recovery code and login attempt) failed: "
                        + "TransactionConflict in each of 3 tries");
        assertThat(client.calls).hasValue(3);
    }

    @Test
    void anUpdateThatMetATransactionIsTriedAgain() {
        client.updates.add(() -> {
            throw TransactionConflictException.builder().message("conflict").build();
        });
        client.updates.add(() -> UpdateItemResponse.builder().build());

        assertThat(store.spendTotpStep("alice", "id-1", 101, Optional.empty())).isEqualTo(Spend.SPENT);
        assertThat(store.removeTotp("alice", "id-1")).isFalse(); // nothing scripted: the next is refused
        assertThat(client.calls).hasValue(3);
    }

    @Test
    void aCancellationForAnotherReasonFailsClosedAtOnceNamingNoItem() {
        client.transactions.add(() -> {
            throw cancelled(reason("ThrottlingError"), reason("None"));
        });

        assertThatThrownBy(() -> store.spendTotpStep("alice", "id-1", 101, Optional.of(ATTEMPT)))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB TransactWriteItems (spend TOTP step and login attempt) failed: "
                        + "TransactionCanceledException (HTTP 400)");
        assertThat(client.calls).hasValue(1);
    }

    @Test
    void aRefusalWithoutTheItemIsToldFromAStronglyConsistentRead() {
        client.transactions.add(() -> {
            throw cancelled(reason("ConditionalCheckFailed"), reason("None"));
        });
        client.items.add(CONFIRMED);

        assertThat(store.spendTotpStep("alice", "id-1", 100, Optional.of(ATTEMPT))).isEqualTo(Spend.CODE_SPENT);
        assertThat(client.reads).singleElement().satisfies(read -> assertThat(read.consistentRead()).isTrue());
    }

    @Test
    void aRefusalWithTheItemNeedsNoRead() {
        client.transactions.add(() -> {
            throw cancelled(CancellationReason.builder().code("ConditionalCheckFailed").item(CONFIRMED).build(),
                    reason("ConditionalCheckFailed"));
        });

        assertThat(store.spendTotpStep("alice", "id-1", 100, Optional.of(ATTEMPT))).isEqualTo(Spend.ATTEMPT_SPENT);
        assertThat(client.reads).isEmpty();
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

    /** Answers each call with the next scripted answer; an update with none scripted fails its condition. */
    private static final class Scripted implements DynamoDbClient {
        final Deque<Supplier<TransactWriteItemsResponse>> transactions = new ArrayDeque<>();
        final Deque<Supplier<UpdateItemResponse>> updates = new ArrayDeque<>();
        final Deque<Map<String, AttributeValue>> items = new ArrayDeque<>();
        final List<GetItemRequest> reads = new java.util.ArrayList<>();
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            calls.incrementAndGet();
            return transactions.removeFirst().get();
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            calls.incrementAndGet();
            if (updates.isEmpty()) {
                throw software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException.builder()
                        .message("The conditional request failed").build();
            }
            return updates.removeFirst().get();
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            reads.add(request);
            return GetItemResponse.builder().item(items.removeFirst()).build();
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
