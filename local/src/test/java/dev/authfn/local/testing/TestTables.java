package dev.authfn.local.testing;

import dev.authfn.dynamodb.DynamoDbClients;
import dev.authfn.local.LocalAws;
import dev.authfn.local.LocalTables;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Tables of one test class's local API at the run's DynamoDB API ({@code DynamoDbEndpointExtension}:
 * {@code AUTHFN_TEST_AWS_ENDPOINT}, LocalStack, or the run's moto): fresh names, so that test
 * classes share the endpoint without seeing each other's items, and a client with the endpoint's
 * credentials for the test's own reads and writes. {@link #close} deletes the tables.
 */
public final class TestTables implements AutoCloseable {

    private final DynamoDbTestEndpoint endpoint;
    private final LocalTables names;
    private final DynamoDbClient client;

    private TestTables(DynamoDbTestEndpoint endpoint, LocalTables names) {
        this.endpoint = endpoint;
        this.names = names;
        this.client = DynamoDbClients.create(endpoint.endpoint(), endpoint.region(), endpoint.credentials());
    }

    /** Fresh table names for {@code testClass} at {@code endpoint}; nothing is created yet (the local API does that). */
    public static TestTables of(Class<?> testClass, DynamoDbTestEndpoint endpoint) {
        if (!endpoint.region().id().equals(LocalAws.REGION)) {
            throw new IllegalStateException("the local API runs its functions in " + LocalAws.REGION
                    + "; the test endpoint is in " + endpoint.region() + " (set AWS_REGION=" + LocalAws.REGION + ")");
        }
        String prefix = endpoint.freshTableName("authfn-" + testClass.getSimpleName().toLowerCase(Locale.ROOT));
        return new TestTables(endpoint, LocalTables.withPrefix(prefix));
    }

    /** The endpoint to give the local API: the emulator's URL, or the region's endpoint for AWS. */
    public URI apiEndpoint() {
        return endpoint.endpoint().orElseGet(() -> URI.create("https://dynamodb." + endpoint.region().id() + ".amazonaws.com"));
    }

    public LocalTables names() {
        return names;
    }

    /** A client for the tables, with the endpoint's credentials. */
    public DynamoDbClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            for (String table : List.of(names.sessions(), names.users(), names.outbox())) {
                try {
                    client.deleteTable(request -> request.tableName(table));
                } catch (ResourceNotFoundException e) {
                    // never created: the API failed to start
                }
            }
        } finally {
            client.close();
        }
    }
}
