package dev.authfn.dynamodb;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Sends Query and BatchWriteItem to a real client and records them, so a test can see pages and
 * batches. Every other operation is unsupported (the interface's default).
 */
final class RecordingDynamoDbClient implements DynamoDbClient {

    final List<QueryRequest> queries = new CopyOnWriteArrayList<>();
    final List<BatchWriteItemRequest> batchWrites = new CopyOnWriteArrayList<>();
    private final DynamoDbClient delegate;

    RecordingDynamoDbClient(DynamoDbClient delegate) {
        this.delegate = delegate;
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        queries.add(request);
        return delegate.query(request);
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
        batchWrites.add(request);
        return delegate.batchWriteItem(request);
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    @Override
    public void close() {
        // The delegate belongs to the test class.
    }
}
