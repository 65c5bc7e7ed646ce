package dev.authfn.dynamodb;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.string;
import static dev.authfn.dynamodb.internal.AttributeValues.strings;
import static dev.authfn.dynamodb.internal.DynamoDbCalls.call;
import static dev.authfn.dynamodb.internal.DynamoDbCalls.transact;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.oauth.AuthorizationCode;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.oauth.RefreshFamily;
import dev.authfn.dynamodb.internal.OAuthItems;
import dev.authfn.dynamodb.internal.UserItems;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * {@link OAuthStore} on the users table (shared/dynamodb/README.md "OAuth provider"): clients,
 * the index of their CORS origins, authorization codes and refresh-token families, each an item
 * beside the users ({@link OAuthItems}), none with a {@code userId}.
 *
 * <p>A client and its origins' entries are written in one {@code TransactWriteItems}, so the
 * index never names a client that is not there (nor misses one that is). A code is spent by one
 * conditional {@code UpdateItem} that records the grant's session; a family rotates by one
 * {@code PutItem} conditional on the current hash the caller read. Every read is strongly
 * consistent.
 *
 * <p>Every call goes through {@link dev.authfn.dynamodb.internal.DynamoDbCalls}: a write that met
 * another transaction is sent again, and anything but a failed condition fails closed with
 * {@link StoreUnavailableException}.
 */
public final class DynamoDbOAuthStore implements OAuthStore {

    /** How often {@link #removeClient} reads and tries again when the client changed under it. */
    static final int REMOVE_TRIES = 3;

    private final DynamoDbClient client;
    private final String tableName;

    public DynamoDbOAuthStore(DynamoDbClient client, String tableName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    // --- clients ---

    /**
     * One transaction: the client item put where none is, and {@code ADD clientIds :id} on the
     * item of each of its CORS origins ({@link OAuthClient#corsOrigins()}; none for a confidential
     * client).
     */
    @Override
    public boolean addClient(OAuthClient oauthClient) {
        List<TransactWriteItem> items = new ArrayList<>();
        items.add(TransactWriteItem.builder().put(request -> request
                .tableName(tableName)
                .item(OAuthItems.toItem(oauthClient))
                .conditionExpression("attribute_not_exists(#key)")
                .expressionAttributeNames(Map.of("#key", UserItems.USERNAME))).build());
        for (String origin : oauthClient.corsOrigins()) {
            if (!OAuthItems.originFits(origin)) {
                throw new IllegalArgumentException("a redirect URI's origin is too long to be stored");
            }
            items.add(originUpdate(origin, "ADD", oauthClient.clientId()));
        }
        try {
            transact("TransactWriteItems (add OAuth client)",
                    () -> client.transactWriteItems(request -> request.transactItems(items)));
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }

    @Override
    public Optional<OAuthClient> client(String clientId) {
        if (!isClientId(clientId)) {
            return Optional.empty();
        }
        GetItemResponse response = call("GetItem (OAuth client)", () -> client.getItem(request -> request
                .tableName(tableName)
                .key(OAuthItems.clientKey(clientId))
                .consistentRead(true)));
        return response.hasItem() ? OAuthItems.clientFromItem(response.item()) : Optional.empty();
    }

    /**
     * A strongly consistent {@code Scan} of the whole users table, page by page, keeping the items
     * whose key begins {@code oauthclient#}: an administrator's listing ({@code ./authfn clients
     * list}), never a request's. It reads every user too, so its cost grows with the table.
     */
    @Override
    public List<OAuthClient> clients() {
        List<OAuthClient> clients = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = call("Scan (OAuth clients)", () -> client.scan(request -> request
                    .tableName(tableName)
                    .filterExpression("begins_with(#key, :prefix)")
                    .expressionAttributeNames(Map.of("#key", UserItems.USERNAME))
                    .expressionAttributeValues(Map.of(":prefix", string(OAuthItems.clientPrefix())))
                    .consistentRead(true)
                    .exclusiveStartKey(from)));
            for (Map<String, AttributeValue> item : page.items()) {
                OAuthItems.clientFromItem(item).ifPresent(clients::add);
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        clients.sort(Comparator.comparing(OAuthClient::clientId));
        return List.copyOf(clients);
    }

    /**
     * Reads the client, then one transaction: the client item deleted on condition that it is
     * still the client read ({@code createdAt = :createdAt}), and {@code DELETE clientIds :id} on
     * each of its origins' items. When the client changed in between (removed, or removed and
     * added again), it reads again, {@value #REMOVE_TRIES} times in all.
     */
    @Override
    public boolean removeClient(String clientId) {
        if (!isClientId(clientId)) {
            return false;
        }
        for (int tries = 1; ; tries++) {
            Optional<OAuthClient> read = client(clientId);
            if (read.isEmpty()) {
                return false;
            }
            List<TransactWriteItem> items = new ArrayList<>();
            items.add(TransactWriteItem.builder().delete(request -> request
                    .tableName(tableName)
                    .key(OAuthItems.clientKey(clientId))
                    .conditionExpression("#createdAt = :createdAt")
                    .expressionAttributeNames(Map.of("#createdAt", OAuthItems.CREATED_AT))
                    .expressionAttributeValues(Map.of(":createdAt", millis(read.get().createdAt())))).build());
            for (String origin : read.get().corsOrigins()) {
                items.add(originUpdate(origin, "DELETE", clientId));
            }
            String operation = "TransactWriteItems (remove OAuth client)";
            try {
                transact(operation, () -> client.transactWriteItems(request -> request.transactItems(items)));
                return true;
            } catch (TransactionCanceledException e) {
                if (tries == REMOVE_TRIES) {
                    throw new StoreUnavailableException("DynamoDB " + operation + " failed: the client changed "
                            + REMOVE_TRIES + " times while it was being removed", e);
                }
            }
        }
    }

    /**
     * A strongly consistent {@code GetItem} of {@code oauthorigin#<origin>}: true while its set of
     * client ids is not empty (an emptied set leaves an item without it).
     */
    @Override
    public boolean isCorsOrigin(String origin) {
        if (origin == null || origin.isEmpty() || !OAuthItems.originFits(origin)) {
            return false;
        }
        GetItemResponse response = call("GetItem (OAuth CORS origin)", () -> client.getItem(request -> request
                .tableName(tableName)
                .key(OAuthItems.originKey(origin))
                .projectionExpression("#ids")
                .expressionAttributeNames(Map.of("#ids", OAuthItems.CLIENT_IDS))
                .consistentRead(true)));
        return response.hasItem() && !strings(response.item(), OAuthItems.CLIENT_IDS).isEmpty();
    }

    private TransactWriteItem originUpdate(String origin, String action, String clientId) {
        return TransactWriteItem.builder().update(request -> request
                .tableName(tableName)
                .key(OAuthItems.originKey(origin))
                .updateExpression(action + " #ids :id")
                .expressionAttributeNames(Map.of("#ids", OAuthItems.CLIENT_IDS))
                .expressionAttributeValues(Map.of(":id", OAuthItems.idSet(clientId)))).build();
    }

    private static boolean isClientId(String clientId) {
        return clientId != null && OAuthClient.CLIENT_ID.matcher(clientId).matches();
    }

    // --- codes ---

    @Override
    public void saveCode(AuthorizationCode code) {
        call("PutItem (OAuth code)", () -> client.putItem(request -> request
                .tableName(tableName)
                .item(OAuthItems.toItem(code))));
    }

    /**
     * {@code SET grantSession = :grant} on condition {@code attribute_exists(username) AND
     * attribute_not_exists(grantSession)}, {@code ALL_NEW}: of parallel spends one meets it. A
     * refusal is told from the item as it stood ({@code ReturnValuesOnConditionCheckFailure:
     * ALL_OLD}; a strongly consistent read only when none comes back, as for a code that is not
     * there): a spent code names the first grant's session, no item is {@link Unknown}.
     */
    @Override
    public CodeSpend spendCode(String codeHash, String grantSessionId, Instant now) {
        Objects.requireNonNull(grantSessionId, "grantSessionId");
        Objects.requireNonNull(now, "now");
        if (!OAuthItems.codeFits(codeHash)) {
            return new Unknown();
        }
        String operation = "UpdateItem (spend OAuth code)";
        try {
            UpdateItemResponse response = call(operation, () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(OAuthItems.codeKey(codeHash))
                    .updateExpression("SET #grant = :grant")
                    .conditionExpression("attribute_exists(#key) AND attribute_not_exists(#grant)")
                    .expressionAttributeNames(Map.of("#grant", OAuthItems.GRANT_SESSION, "#key", UserItems.USERNAME))
                    .expressionAttributeValues(Map.of(":grant", string(grantSessionId)))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
            return new Spent(OAuthItems.codeFromItem(codeHash, response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> stood = e.hasItem() ? e.item() : readCode(codeHash);
            if (stood.isEmpty()) {
                return new Unknown();
            }
            String firstGrant = string(stood, OAuthItems.GRANT_SESSION);
            if (firstGrant == null) {
                throw new StoreUnavailableException("DynamoDB " + operation
                        + " failed: the code was refused but is not spent", e);
            }
            return new Reused(OAuthItems.codeFromItem(codeHash, stood), firstGrant);
        }
    }

    private Map<String, AttributeValue> readCode(String codeHash) {
        GetItemResponse response = call("GetItem (OAuth code)", () -> client.getItem(request -> request
                .tableName(tableName)
                .key(OAuthItems.codeKey(codeHash))
                .consistentRead(true)));
        return response.hasItem() ? response.item() : Map.of();
    }

    // --- families ---

    /** {@code PutItem} on condition {@code attribute_not_exists(username)}. */
    @Override
    public boolean saveFamily(RefreshFamily family) {
        try {
            call("PutItem (OAuth refresh family)", () -> client.putItem(request -> request
                    .tableName(tableName)
                    .item(OAuthItems.toItem(family))
                    .conditionExpression("attribute_not_exists(#key)")
                    .expressionAttributeNames(Map.of("#key", UserItems.USERNAME))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<RefreshFamily> family(String familyId) {
        if (!OAuthItems.familyFits(familyId)) {
            return Optional.empty();
        }
        GetItemResponse response = call("GetItem (OAuth refresh family)", () -> client.getItem(request -> request
                .tableName(tableName)
                .key(OAuthItems.familyKey(familyId))
                .consistentRead(true)));
        return response.hasItem() ? Optional.of(OAuthItems.familyFromItem(familyId, response.item())) : Optional.empty();
    }

    /**
     * {@code PutItem} of {@code next} on condition {@code currentHash = :read}: a removed family
     * (no item) and one another refresh rotated first both fail it, and nothing is written.
     */
    @Override
    public boolean rotate(RefreshFamily read, RefreshFamily next) {
        if (!read.familyId().equals(next.familyId())) {
            throw new IllegalArgumentException("a rotation keeps the family id");
        }
        try {
            call("PutItem (rotate OAuth refresh family)", () -> client.putItem(request -> request
                    .tableName(tableName)
                    .item(OAuthItems.toItem(next))
                    .conditionExpression("#current = :read")
                    .expressionAttributeNames(Map.of("#current", OAuthItems.CURRENT_HASH))
                    .expressionAttributeValues(Map.of(":read", string(read.currentHash())))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** {@code DeleteItem} on condition {@code attribute_exists(username)}. */
    @Override
    public boolean removeFamily(String familyId) {
        if (!OAuthItems.familyFits(familyId)) {
            return false;
        }
        try {
            call("DeleteItem (OAuth refresh family)", () -> client.deleteItem(request -> request
                    .tableName(tableName)
                    .key(OAuthItems.familyKey(familyId))
                    .conditionExpression("attribute_exists(#key)")
                    .expressionAttributeNames(Map.of("#key", UserItems.USERNAME))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
