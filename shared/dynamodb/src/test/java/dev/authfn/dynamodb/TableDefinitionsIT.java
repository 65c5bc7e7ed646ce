package dev.authfn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

@ExtendWith(DynamoDbEndpointExtension.class)
class TableDefinitionsIT {

    private static DynamoDbClient client;
    private static final List<String> created = new ArrayList<>();
    private static DynamoDbTestEndpoint endpoint;

    @BeforeAll
    static void connect(DynamoDbTestEndpoint found) {
        endpoint = found;
        client = DynamoDbClients.create(found.endpoint(), found.region(), found.credentials());
    }

    @AfterAll
    static void deleteTables() {
        if (client != null) {
            created.forEach(table -> client.deleteTable(request -> request.tableName(table)));
            client.close();
        }
    }

    @Test
    void createsTheSessionsTableWithItsKeyIndexTtlAndOnDemandBilling() {
        String table = create("authfn-sessions");
        TableDefinitions.createSessionsTable(client, table);

        TableDescription description = client.describeTable(request -> request.tableName(table)).table();
        TimeToLiveDescription ttl = client.describeTimeToLive(request -> request.tableName(table))
                .timeToLiveDescription();

        assertThat(description.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(description.keySchema()).containsExactly(hashKey("id"));
        assertThat(description.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(description.globalSecondaryIndexes()).singleElement().satisfies(index -> {
            assertThat(index.indexName()).isEqualTo("userId-index");
            assertThat(index.keySchema()).containsExactly(hashKey("userId"));
            assertThat(index.projection().projectionType()).isEqualTo(ProjectionType.ALL);
        });
        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(ttl.attributeName()).isEqualTo("expiresAt");
    }

    @Test
    void createsTheUsersTableKeyedByUsernameWithTtlAndOnDemandBilling() {
        String table = create("authfn-users");
        TableDefinitions.createUsersTable(client, table);

        TableDescription description = client.describeTable(request -> request.tableName(table)).table();
        TimeToLiveDescription ttl = client.describeTimeToLive(request -> request.tableName(table))
                .timeToLiveDescription();

        assertThat(description.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(description.keySchema()).containsExactly(hashKey("username"));
        assertThat(description.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(description.globalSecondaryIndexes()).isEmpty();
        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(ttl.attributeName()).isEqualTo("expiresAt");
    }

    private static String create(String prefix) {
        String table = endpoint.freshTableName(prefix);
        created.add(table);
        return table;
    }

    private static KeySchemaElement hashKey(String attribute) {
        return KeySchemaElement.builder().attributeName(attribute).keyType(KeyType.HASH).build();
    }
}
