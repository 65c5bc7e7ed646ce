package dev.authfn.dynamodb;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;
import static dev.authfn.dynamodb.internal.DynamoDbCalls.call;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import dev.authfn.dynamodb.internal.AttributeValues;
import dev.authfn.dynamodb.internal.SessionItems;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@link SessionStore} on the sessions table (see {@link TableDefinitions}). Expiry is decided
 * in code and in condition expressions on every read and write; TTL only cleans up. Reads by id
 * are strongly consistent. Listing and revoke-all query the {@code userId} index, which DynamoDB
 * keeps eventually consistent: a session created a moment earlier can be missing from them, so
 * ending all of a user's sessions does not rely on {@link #revokeAll} alone (the user item's
 * session registrations, {@link DynamoDbUserStore#closeSessionEpoch}).
 */
public final class DynamoDbSessionStore implements SessionStore {

    /** Items per page of an index query (DynamoDB also stops a page at 1 MB). */
    public static final int DEFAULT_PAGE_SIZE = 100;
    /** BatchWriteItem takes at most this many requests. */
    static final int BATCH_SIZE = 25;
    private static final int MAX_BATCH_ATTEMPTS = 5;
    private static final Duration BATCH_RETRY_DELAY = Duration.ofMillis(50);

    private static final Map<String, String> TOUCH_NAMES = Map.of(
            "#id", SessionItems.ID,
            "#lastSeenAt", SessionItems.LAST_SEEN_AT,
            "#idleExpiresAt", SessionItems.IDLE_EXPIRES_AT,
            "#absoluteExpiresAt", SessionItems.ABSOLUTE_EXPIRES_AT,
            "#expiresAt", SessionItems.EXPIRES_AT);

    private final DynamoDbClient client;
    private final String tableName;
    private final int pageSize;

    public DynamoDbSessionStore(DynamoDbClient client, String tableName) {
        this(client, tableName, DEFAULT_PAGE_SIZE);
    }

    /** With {@code pageSize} items per index query page; tests use a small one to page for real. */
    public DynamoDbSessionStore(DynamoDbClient client, String tableName, int pageSize) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be at least 1");
        }
        this.pageSize = pageSize;
    }

    @Override
    public boolean create(Session session) {
        try {
            call("PutItem (create session)", () -> client.putItem(request -> request
                    .tableName(tableName)
                    .item(SessionItems.toItem(session))
                    .conditionExpression("attribute_not_exists(#id)")
                    .expressionAttributeNames(Map.of("#id", SessionItems.ID))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<Session> find(String sessionId, Instant now) {
        return read(sessionId, "GetItem (find session)").filter(session -> session.isLiveAt(now));
    }

    /**
     * The conditional update alone, from the session the caller has read: the authorizer's cookie
     * path reads the session anyway, so its once-a-minute slide costs one write, not a second read
     * and a write. The condition re-checks everything the read established. A read that has gone
     * stale (it looks expired now) costs one strongly consistent read to learn what stands.
     */
    @Override
    public Optional<Session> touch(Session read, Instant now, Duration idleTimeout) {
        if (!read.isLiveAt(now)) {
            return read(read.id(), "GetItem (touch session)")
                    .filter(current -> current.isLiveAt(now))
                    .flatMap(current -> slide(current, now, idleTimeout));
        }
        return slide(read, now, idleTimeout);
    }

    private Optional<Session> slide(Session read, Instant now, Duration idleTimeout) {
        String sessionId = read.id();
        Duration interval = SessionStore.touchInterval(idleTimeout);
        if (now.isBefore(read.lastSeenAt().plus(interval))) {
            return Optional.of(read);
        }
        Instant slid = now.plus(idleTimeout);
        Instant absolute = read.absoluteExpiresAt();
        // Capped at the absolute expiry, so it is also min(idle, absolute): the TTL value.
        Instant idleExpiresAt = slid.isBefore(absolute) ? slid : absolute;
        try {
            Map<String, AttributeValue> item = call("UpdateItem (touch session)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(SessionItems.key(sessionId))
                    .updateExpression("SET #lastSeenAt = :now, #idleExpiresAt = :idle, #expiresAt = :ttl")
                    // Still there, still live, and not touched by a concurrent request meanwhile.
                    .conditionExpression("attribute_exists(#id) AND #idleExpiresAt > :now"
                            + " AND #absoluteExpiresAt > :now AND #lastSeenAt <= :touchedBefore")
                    .expressionAttributeNames(TOUCH_NAMES)
                    .expressionAttributeValues(Map.of(
                            ":now", millis(now),
                            ":idle", millis(idleExpiresAt),
                            ":ttl", number(SessionItems.ttlSeconds(idleExpiresAt)),
                            ":touchedBefore", millis(now.minus(interval))))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD))).attributes();
            return Optional.of(SessionItems.fromItem(item));
        } catch (ConditionalCheckFailedException e) {
            // Revoked, expired or touched by someone else since the read: report what stands now,
            // from the item the refusal carries (a concurrent slide, the usual case, costs no read).
            if (e.hasItem() && !e.item().isEmpty()) {
                return Optional.of(SessionItems.fromItem(e.item())).filter(session -> session.isLiveAt(now));
            }
            return find(sessionId, now);
        }
    }

    @Override
    public boolean updateGrants(String sessionId, Set<String> roles, Set<String> permissions, Instant now) {
        try {
            call("UpdateItem (session grants)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(SessionItems.key(sessionId))
                    .updateExpression("SET #roles = :roles, #permissions = :permissions")
                    .conditionExpression("attribute_exists(#id) AND #idleExpiresAt > :now AND #absoluteExpiresAt > :now")
                    .expressionAttributeNames(Map.of(
                            "#id", SessionItems.ID,
                            "#roles", SessionItems.ROLES,
                            "#permissions", SessionItems.PERMISSIONS,
                            "#idleExpiresAt", SessionItems.IDLE_EXPIRES_AT,
                            "#absoluteExpiresAt", SessionItems.ABSOLUTE_EXPIRES_AT))
                    .expressionAttributeValues(Map.of(
                            ":roles", AttributeValues.stringList(roles),
                            ":permissions", AttributeValues.stringList(permissions),
                            ":now", millis(now)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean revoke(String sessionId, String userId) {
        try {
            call("DeleteItem (revoke session)", () -> client.deleteItem(request -> request
                    .tableName(tableName)
                    .key(SessionItems.key(sessionId))
                    .conditionExpression("#userId = :userId")
                    .expressionAttributeNames(Map.of("#userId", SessionItems.USER_ID))
                    .expressionAttributeValues(Map.of(":userId", string(userId)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public int revokeAll(String userId) {
        List<String> ids = queryByUser(userId, "Query " + TableDefinitions.SESSIONS_BY_USER_INDEX + " (revoke all)")
                .stream()
                .map(item -> item.get(SessionItems.ID).s())
                .toList();
        for (int from = 0; from < ids.size(); from += BATCH_SIZE) {
            deleteBatch(ids.subList(from, Math.min(from + BATCH_SIZE, ids.size())));
        }
        return ids.size();
    }

    @Override
    public List<Session> listLive(String userId, Instant now) {
        return queryByUser(userId, "Query " + TableDefinitions.SESSIONS_BY_USER_INDEX + " (list sessions)")
                .stream()
                .map(SessionItems::fromItem)
                .filter(session -> session.isLiveAt(now))
                .sorted(Comparator.comparing(Session::createdAt).thenComparing(Session::id))
                .toList();
    }

    private Optional<Session> read(String sessionId, String operation) {
        GetItemResponse response = call(operation, () -> client.getItem(request -> request
                .tableName(tableName)
                .key(SessionItems.key(sessionId))
                .consistentRead(true)));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(SessionItems.fromItem(response.item()))
                : Optional.empty();
    }

    /** Every item of the user in the index, page by page. */
    private List<Map<String, AttributeValue>> queryByUser(String userId, String operation) {
        QueryRequest query = QueryRequest.builder()
                .tableName(tableName)
                .indexName(TableDefinitions.SESSIONS_BY_USER_INDEX)
                .keyConditionExpression("#userId = :userId")
                .expressionAttributeNames(Map.of("#userId", SessionItems.USER_ID))
                .expressionAttributeValues(Map.of(":userId", string(userId)))
                .limit(pageSize)
                .build();
        // The paginator sends its requests while it is iterated, so the iteration runs inside call.
        return call(operation, () -> client.queryPaginator(query).items().stream().toList());
    }

    /** Deletes up to {@link #BATCH_SIZE} sessions, retrying what DynamoDB left unprocessed. */
    private void deleteBatch(List<String> ids) {
        Map<String, List<WriteRequest>> pending = Map.of(tableName, ids.stream()
                .map(id -> WriteRequest.builder().deleteRequest(delete -> delete.key(SessionItems.key(id))).build())
                .toList());
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > MAX_BATCH_ATTEMPTS) {
                throw new StoreUnavailableException("DynamoDB BatchWriteItem (revoke all) left deletes unprocessed after "
                        + MAX_BATCH_ATTEMPTS + " attempts", null);
            }
            if (attempt > 1) {
                pause(BATCH_RETRY_DELAY.multipliedBy(1L << (attempt - 2)));
            }
            Map<String, List<WriteRequest>> requests = pending;
            pending = call("BatchWriteItem (revoke all)",
                    () -> client.batchWriteItem(request -> request.requestItems(requests))).unprocessedItems();
        }
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while retrying DynamoDB BatchWriteItem (revoke all)", e);
        }
    }
}
