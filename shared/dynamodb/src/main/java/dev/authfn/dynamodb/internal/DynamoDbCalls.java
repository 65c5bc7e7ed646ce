package dev.authfn.dynamodb.internal;

import dev.authfn.core.StoreUnavailableException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Runs one DynamoDB request and translates what the SDK throws. A failed condition passes
 * through as {@link ConditionalCheckFailedException} for the caller to turn into a domain
 * outcome; every other SDK failure (throttling, 5xx, a connection failure or timeout after the
 * SDK's retries, a missing table, denied access) becomes one {@link StoreUnavailableException}
 * whose message names the operation and the error code, never a credential or an item.
 *
 * <p>A single-item write that meets a transaction in progress on its item (the second factor's
 * and the account routes' transactions share the user item with the lockout and session writes)
 * is refused with {@code TransactionConflict} and nothing written, so it is sent again, at most
 * {@link #CONFLICT_TRIES} times in all with a short pause, before it counts as unavailable;
 * {@link #transact} does the same for a transaction that met another write.
 */
public final class DynamoDbCalls {

    private DynamoDbCalls() {}

    /** How often a write that met a transaction is tried in all. */
    public static final int CONFLICT_TRIES = 3;

    public static <T> T call(String operation, Supplier<T> request) {
        for (int tries = 1; ; tries++) {
            try {
                return request.get();
            } catch (ConditionalCheckFailedException e) {
                throw e;
            } catch (TransactionConflictException e) {
                if (tries == CONFLICT_TRIES) {
                    throw unavailable(operation, e);
                }
                pause(tries);
            } catch (SdkException e) {
                throw unavailable(operation, e);
            }
        }
    }

    /**
     * Runs one {@code TransactWriteItems} as {@link #call} runs a single write. A transaction
     * cancelled by its conditions alone (every reason {@code ConditionalCheckFailed} or none, at
     * least one failed) passes through as {@link TransactionCanceledException}, for the caller to
     * read the reasons, in the order of the items. One that met another write on one of its items
     * ({@code TransactionConflict} among the reasons: nothing was written) is sent again, as a
     * single write that met a transaction is, at most {@link #CONFLICT_TRIES} times in all. Any other
     * cancellation (no reasons, a validation error, throttling of an item) and any other failure
     * becomes {@link StoreUnavailableException}: the caller never guesses an outcome.
     */
    public static <T> T transact(String operation, Supplier<T> request) {
        for (int tries = 1; ; tries++) {
            try {
                return request.get();
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
                if (reasons.stream().anyMatch(reason -> "TransactionConflict".equals(reason.code()))) {
                    if (tries == CONFLICT_TRIES) {
                        throw unavailable(operation, e);
                    }
                    pause(tries);
                } else if (cancelledByConditions(reasons)) {
                    throw e;
                } else {
                    throw unavailable(operation, e);
                }
            } catch (TransactionConflictException e) {
                if (tries == CONFLICT_TRIES) {
                    throw unavailable(operation, e);
                }
                pause(tries);
            } catch (SdkException e) {
                throw unavailable(operation, e);
            }
        }
    }

    /** Whether the reason is a failed condition of its item. */
    public static boolean conditionFailed(CancellationReason reason) {
        return "ConditionalCheckFailed".equals(reason.code());
    }

    private static boolean cancelledByConditions(List<CancellationReason> reasons) {
        return reasons.stream().anyMatch(DynamoDbCalls::conditionFailed) && reasons.stream()
                .allMatch(reason -> conditionFailed(reason) || reason.code() == null || "None".equals(reason.code()));
    }

    /** 5-10 ms, then 10-20 ms: a transaction on one item takes a few milliseconds. */
    private static void pause(int tries) {
        long millis = 5L << (tries - 1);
        try {
            Thread.sleep(millis + ThreadLocalRandom.current().nextLong(millis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while retrying a DynamoDB write", e);
        }
    }

    public static StoreUnavailableException unavailable(String operation, SdkException e) {
        return new StoreUnavailableException("DynamoDB " + operation + " failed: " + reason(e), e);
    }

    private static String reason(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null) {
            return service.awsErrorDetails().errorCode() + " (HTTP " + service.statusCode() + ")";
        }
        return e.getClass().getSimpleName();
    }
}
