package dev.authfn.dynamodb.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.StoreUnavailableException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

class DynamoDbCallsTest {

    @Test
    void returnsWhatTheRequestReturns() {
        assertThat(DynamoDbCalls.call("GetItem (test)", () -> "answer")).isEqualTo("answer");
    }

    @Test
    void letsAFailedConditionThroughForTheCallerToDecide() {
        ConditionalCheckFailedException failed = ConditionalCheckFailedException.builder().message("failed").build();

        assertThatThrownBy(() -> DynamoDbCalls.call("PutItem (test)", () -> {
            throw failed;
        })).isSameAs(failed);
    }

    @Test
    void reportsAServiceErrorByOperationAndErrorCode() {
        ResourceNotFoundException missing = ResourceNotFoundException.builder()
                .message("Requested resource not found: Table: sessions-of-account-123456789012 not found")
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ResourceNotFoundException").build())
                .build();

        assertThatThrownBy(() -> DynamoDbCalls.call("GetItem (find session)", () -> {
            throw missing;
        }))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB GetItem (find session) failed: ResourceNotFoundException (HTTP 400)")
                .hasCause(missing);
    }

    @Test
    void reportsAClientFailureByOperationAndKind() {
        assertThatThrownBy(() -> DynamoDbCalls.call("Query userId-index (list sessions)", () -> {
            throw ApiCallTimeoutException.create(5000);
        }))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB Query userId-index (list sessions) failed: ApiCallTimeoutException");
        assertThatThrownBy(() -> DynamoDbCalls.call("GetItem (get user)", () -> {
            throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
        }))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB GetItem (get user) failed: SdkClientException");
    }

    @Test
    void sendsAWriteThatMetATransactionAgainAndStopsAfterThreeTries() {
        TransactionConflictException conflict = TransactionConflictException.builder()
                .message("Transaction is ongoing for the item").statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionConflictException").build())
                .build();
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        assertThat(DynamoDbCalls.call("UpdateItem (reserve attempt)", () -> {
            if (calls.incrementAndGet() < 3) {
                throw conflict;
            }
            return "written";
        })).isEqualTo("written");
        assertThat(calls).hasValue(3);

        calls.set(0);
        assertThatThrownBy(() -> DynamoDbCalls.call("UpdateItem (reserve attempt)", () -> {
            calls.incrementAndGet();
            throw conflict;
        }))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB UpdateItem (reserve attempt) failed: TransactionConflictException (HTTP 400)")
                .hasCause(conflict);
        assertThat(calls).hasValue(DynamoDbCalls.CONFLICT_TRIES);
    }

    @Test
    void letsATransactionCancelledByItsConditionsThroughWithItsReasons() {
        TransactionCanceledException cancelled = cancelled("None", "ConditionalCheckFailed");

        assertThatThrownBy(() -> DynamoDbCalls.transact("TransactWriteItems (test)", () -> {
            throw cancelled;
        })).isSameAs(cancelled);
    }

    @Test
    void sendsATransactionThatMetAnotherWriteAgainAndStopsAfterThreeTries() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        assertThat(DynamoDbCalls.transact("TransactWriteItems (test)", () -> {
            if (calls.incrementAndGet() < 3) {
                throw cancelled("TransactionConflict", "None");
            }
            return "written";
        })).isEqualTo("written");
        assertThat(calls).hasValue(3);

        calls.set(0);
        assertThatThrownBy(() -> DynamoDbCalls.transact("TransactWriteItems (test)", () -> {
            calls.incrementAndGet();
            throw cancelled("ConditionalCheckFailed", "TransactionConflict");
        }))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB TransactWriteItems (test) failed: TransactionCanceledException (HTTP 400)");
        assertThat(calls).hasValue(DynamoDbCalls.CONFLICT_TRIES);
    }

    @Test
    void failsClosedOnATransactionCancelledForAnotherReasonOrForNoneGiven() {
        assertThatThrownBy(() -> DynamoDbCalls.transact("TransactWriteItems (test)", () -> {
            throw cancelled("ConditionalCheckFailed", "ThrottlingError");
        })).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> DynamoDbCalls.transact("TransactWriteItems (test)", () -> {
            throw cancelled();
        })).isInstanceOf(StoreUnavailableException.class);
        assertThatThrownBy(() -> DynamoDbCalls.transact("TransactWriteItems (test)", () -> {
            throw cancelled("None", "None");
        })).isInstanceOf(StoreUnavailableException.class);
    }

    private static TransactionCanceledException cancelled(String... codes) {
        return (TransactionCanceledException) TransactionCanceledException.builder()
                .message("Transaction cancelled")
                .cancellationReasons(java.util.Arrays.stream(codes)
                        .map(code -> CancellationReason.builder().code(code).build()).toList())
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").build())
                .build();
    }
}
