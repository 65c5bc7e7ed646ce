package dev.authfn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.account.MailRequest;
import dev.authfn.core.account.Outbox;
import dev.authfn.testkit.OutboxContract;
import dev.authfn.testkit.SessionStoreContract;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The outbox contract against a real DynamoDB API (a fresh table per test: take scans it), and the item's format. */
@ExtendWith(DynamoDbEndpointExtension.class)
class DynamoDbOutboxIT extends OutboxContract {

    private static DynamoDbTestEndpoint endpoint;
    private static DynamoDbClient client;
    private String table;

    @BeforeAll
    static void connect(DynamoDbTestEndpoint found) {
        endpoint = found;
        client = DynamoDbClients.create(found.endpoint(), found.region(), found.credentials());
    }

    @Override
    protected Outbox newOutbox() {
        table = endpoint.freshTableName("authfn-outbox");
        TableDefinitions.createOutboxTable(client, table);
        return new DynamoDbOutbox(client, table);
    }

    @AfterEach
    void deleteTable() {
        client.deleteTable(request -> request.tableName(table));
    }

    @Test
    void storesTheDocumentedAttributesWithAOneDayTtl() {
        MailRequest request = new MailRequest("0123abcd", MailRequest.Kind.FORGOT_BY_USERNAME, "alice",
                SessionStoreContract.T0);
        new DynamoDbOutbox(client, table).enqueue(request);

        Map<String, AttributeValue> item = client.getItem(get -> get.tableName(table)
                .key(Map.of("id", AttributeValue.fromS("0123abcd"))).consistentRead(true)).item();

        assertThat(item).containsOnlyKeys("id", "kind", "subject", "createdAt", "expiresAt");
        assertThat(item.get("kind").s()).isEqualTo("forgot-username");
        assertThat(item.get("subject").s()).isEqualTo("alice");
        assertThat(item.get("createdAt").n()).isEqualTo(Long.toString(SessionStoreContract.T0.toEpochMilli()));
        assertThat(item.get("expiresAt").n())
                .isEqualTo(Long.toString(SessionStoreContract.T0.plusSeconds(86_400).getEpochSecond()));
    }
}
