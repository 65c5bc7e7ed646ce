package dev.authfn.dynamodb.internal;

import dev.authfn.core.StoreUnavailableException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Runs one DynamoDB request and translates what the SDK throws. A failed condition passes
 * through as {@link ConditionalCheckFailedException} for the caller to turn into a domain
 * outcome; every other SDK failure (throttling, 5xx, a connection failure or timeout after the
 * SDK's retries, a missing table, denied access) becomes one {@link StoreUnavailableException}
 * whose message names the operation and the error code, never a credential or an item.
 */
public final class DynamoDbCalls {

    private DynamoDbCalls() {}

    public static <T> T call(String operation, Supplier<T> request) {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (SdkException e) {
            throw unavailable(operation, e);
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
