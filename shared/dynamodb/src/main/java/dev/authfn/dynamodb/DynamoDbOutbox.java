package dev.authfn.dynamodb;

import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;
import static dev.authfn.dynamodb.internal.DynamoDbCalls.call;

import dev.authfn.core.account.MailRequest;
import dev.authfn.core.account.Outbox;
import dev.authfn.dynamodb.internal.OutboxItems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The outbox table: one item per mail request, keyed by its random id. Its stream (new images)
 * drives the mailer function in production; items expire by TTL after {@link #KEEP}.
 */
public final class DynamoDbOutbox implements Outbox {

    /** How long an item stays (the stream has delivered it long before; TTL cleans up). */
    static final Duration KEEP = Duration.ofDays(1);

    private final DynamoDbClient client;
    private final String tableName;

    public DynamoDbOutbox(DynamoDbClient client, String tableName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public void enqueue(MailRequest request) {
        Map<String, AttributeValue> item = OutboxItems.toItem(request);
        item.put(OutboxItems.EXPIRES_AT, number(request.createdAt().plus(KEEP).getEpochSecond()));
        call("PutItem (outbox)", () -> client.putItem(put -> put.tableName(tableName).item(item)));
    }

    /** Scans (the local API's driver: a small table), then deletes each request it returns, once. */
    @Override
    public List<MailRequest> take(int max) {
        ScanResponse scan = call("Scan (outbox)", () -> client.scan(request -> request.tableName(tableName)
                .consistentRead(true)));
        List<MailRequest> waiting = new ArrayList<>(scan.items().stream().map(OutboxItems::fromItem)
                .sorted(Comparator.comparing(MailRequest::createdAt)).limit(max).toList());
        waiting.removeIf(request -> !delete(request.id()));
        return waiting;
    }

    private boolean delete(String id) {
        try {
            call("DeleteItem (outbox)", () -> client.deleteItem(request -> request.tableName(tableName)
                    .key(Map.of(OutboxItems.ID, string(id)))
                    .conditionExpression("attribute_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", OutboxItems.ID))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
