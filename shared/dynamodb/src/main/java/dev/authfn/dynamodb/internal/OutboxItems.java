package dev.authfn.dynamodb.internal;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.string;

import dev.authfn.core.account.MailRequest;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The outbox table's items (shared/dynamodb/README.md): {@code id} (key), {@code kind},
 * {@code subject}, {@code createdAt} (epoch milliseconds), {@code expiresAt} (TTL). The mailer
 * reads the same names from the stream's new image.
 */
public final class OutboxItems {

    public static final String ID = "id";
    public static final String KIND = "kind";
    public static final String SUBJECT = "subject";
    public static final String CREATED_AT = "createdAt";
    public static final String EXPIRES_AT = SessionItems.EXPIRES_AT;

    private OutboxItems() {}

    public static Map<String, AttributeValue> toItem(MailRequest request) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, string(request.id()));
        item.put(KIND, string(request.kind().wireName()));
        item.put(SUBJECT, string(request.subject()));
        item.put(CREATED_AT, millis(request.createdAt()));
        return item;
    }

    public static MailRequest fromItem(Map<String, AttributeValue> item) {
        return new MailRequest(item.get(ID).s(), MailRequest.Kind.fromWireName(item.get(KIND).s()),
                item.get(SUBJECT).s(), millis(item, CREATED_AT));
    }
}
