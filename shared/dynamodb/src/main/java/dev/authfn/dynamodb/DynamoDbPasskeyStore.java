package dev.authfn.dynamodb;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;
import static dev.authfn.dynamodb.internal.AttributeValues.strings;
import static dev.authfn.dynamodb.internal.DynamoDbCalls.call;
import static dev.authfn.dynamodb.internal.DynamoDbCalls.conditionFailed;
import static dev.authfn.dynamodb.internal.DynamoDbCalls.transact;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyStore;
import dev.authfn.dynamodb.internal.PasskeyItems;
import dev.authfn.dynamodb.internal.UserItems;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * {@link PasskeyStore} on the users table (shared/dynamodb/README.md "Passkeys"): the user item
 * keeps its WebAuthn user handle and the set of its credential ids, each passkey and each
 * ceremony's challenge is an item of its own beside the users ({@link PasskeyItems}).
 *
 * <p>What concerns a user is conditional on its item being the user {@code userId}
 * ({@code userId = :userId}, which no phantom and no user re-created under the name meets): the
 * handle, an {@code UpdateItem}; adding, removing and renaming, one {@code TransactWriteItems} each
 * with the passkey item, so the user's set and its passkey items never disagree, and a passkey
 * left behind by a user an operator deleted (its item names the old {@code ownerId}) is never
 * changed in the name of anyone. What a sign-in does knows only the credential id: recording a use
 * and flagging are one conditional {@code UpdateItem} of the passkey item. A challenge is spent by
 * one {@code DeleteItem} that returns it, so one request gets it.
 *
 * <p>Every call goes through {@link dev.authfn.dynamodb.internal.DynamoDbCalls}: a write that met
 * another transaction is sent again, and anything but a failed condition fails closed with
 * {@link StoreUnavailableException}.
 */
public final class DynamoDbPasskeyStore implements PasskeyStore {

    /** BatchGetItem takes at most this many keys. */
    static final int BATCH_GET_SIZE = 100;
    private static final int MAX_BATCH_ATTEMPTS = 5;
    private static final Duration BATCH_RETRY_DELAY = Duration.ofMillis(50);
    private static final AttributeValue TRUE = AttributeValue.fromBool(true);

    private final DynamoDbClient client;
    private final String tableName;

    public DynamoDbPasskeyStore(DynamoDbClient client, String tableName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    /**
     * {@code SET passkeyHandle = if_not_exists(passkeyHandle, :candidate)}: the first writer's
     * handle stays, and the item as written says which it is ({@code ALL_NEW}: an emulator's
     * {@code UPDATED_NEW} leaves out an attribute the write did not change).
     */
    @Override
    public Optional<String> userHandle(String username, String userId, String candidate) {
        Objects.requireNonNull(candidate, "candidate");
        try {
            UpdateItemResponse response = call("UpdateItem (passkey user handle)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(username))
                    .updateExpression("SET #handle = if_not_exists(#handle, :candidate)")
                    .conditionExpression("#userId = :userId")
                    .expressionAttributeNames(Map.of("#handle", PasskeyItems.HANDLE, "#userId", UserItems.USER_ID))
                    .expressionAttributeValues(Map.of(":candidate", string(candidate), ":userId", string(userId)))
                    .returnValues(ReturnValue.ALL_NEW)));
            return Optional.of(response.attributes().get(PasskeyItems.HANDLE).s());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /**
     * The user item's set (its {@code userId} and {@code passkeys} only, not the password hash),
     * then the passkey items in one {@code BatchGetItem} per hundred: one round trip for the few
     * passkeys of a user (the flows allow ten), where a {@code GetItem} each would cost one round
     * trip per passkey for the same read units.
     * Both reads are strongly consistent; a passkey that no longer names this user is left out.
     */
    @Override
    public List<Passkey> list(String username, String userId) {
        GetItemResponse user = call("GetItem (passkeys of user)", () -> client.getItem(request -> request
                .tableName(tableName)
                .key(UserItems.key(username))
                .projectionExpression("#userId, #passkeys")
                .expressionAttributeNames(Map.of("#userId", UserItems.USER_ID, "#passkeys", PasskeyItems.PASSKEYS))
                .consistentRead(true)));
        if (!user.hasItem() || !userId.equals(string(user.item(), UserItems.USER_ID))) {
            return List.of();
        }
        List<String> ids = strings(user.item(), PasskeyItems.PASSKEYS).stream()
                .filter(PasskeyItems::keyFits).sorted().toList();
        List<Passkey> passkeys = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += BATCH_GET_SIZE) {
            for (Map<String, AttributeValue> item : readBatch(ids.subList(from, Math.min(ids.size(), from + BATCH_GET_SIZE)))) {
                PasskeyItems.fromItem(item)
                        .filter(passkey -> passkey.username().equals(username) && passkey.userId().equals(userId))
                        .ifPresent(passkeys::add);
            }
        }
        passkeys.sort(Comparator.comparing(Passkey::createdAt).thenComparing(Passkey::credentialId));
        return List.copyOf(passkeys);
    }

    @Override
    public Optional<Passkey> find(String credentialId) {
        if (!PasskeyItems.keyFits(credentialId)) {
            return Optional.empty();
        }
        GetItemResponse response = call("GetItem (find passkey)", () -> client.getItem(request -> request
                .tableName(tableName)
                .key(PasskeyItems.passkeyKey(credentialId))
                .consistentRead(true)));
        return response.hasItem() ? PasskeyItems.fromItem(response.item()) : Optional.empty();
    }

    /**
     * One transaction: the passkey item put where none is, and the user item's {@code ADD passkeys}
     * on condition {@code userId = :userId AND (attribute_not_exists(passkeys) OR size(passkeys) <
     * :max)}. A refusal is told from the two cancellation reasons and the user item as it stood
     * ({@code ReturnValuesOnConditionCheckFailure: ALL_OLD}; read only when none comes back): no
     * such user before a taken credential id, a taken id before the limit.
     */
    @Override
    public Added add(Passkey passkey, int maxPerUser) {
        if (maxPerUser < 1) {
            throw new IllegalArgumentException("maxPerUser must be positive");
        }
        TransactWriteItem put = TransactWriteItem.builder().put(request -> request
                .tableName(tableName)
                .item(PasskeyItems.toItem(passkey))
                .conditionExpression("attribute_not_exists(#key)")
                .expressionAttributeNames(Map.of("#key", UserItems.USERNAME))).build();
        TransactWriteItem user = TransactWriteItem.builder().update(request -> request
                .tableName(tableName)
                .key(UserItems.key(passkey.username()))
                .updateExpression("ADD #passkeys :id")
                .conditionExpression("#userId = :userId AND (attribute_not_exists(#passkeys) OR size(#passkeys) < :max)")
                .expressionAttributeNames(Map.of("#passkeys", PasskeyItems.PASSKEYS, "#userId", UserItems.USER_ID))
                .expressionAttributeValues(Map.of(":id", PasskeyItems.idSet(passkey.credentialId()),
                        ":userId", string(passkey.userId()), ":max", number(maxPerUser)))
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build();
        String operation = "TransactWriteItems (add passkey)";
        try {
            transact(operation, () -> client.transactWriteItems(request -> request.transactItems(put, user)));
            return Added.ADDED;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.cancellationReasons();
            if (reasons.size() != 2) {
                throw new StoreUnavailableException("DynamoDB " + operation + " failed: " + reasons.size()
                        + " cancellation reasons for 2 items", e);
            }
            CancellationReason userRefused = reasons.get(1);
            if (conditionFailed(userRefused)) {
                Map<String, AttributeValue> stood = userRefused.hasItem() ? userRefused.item()
                        : readUser(passkey.username());
                if (!passkey.userId().equals(string(stood, UserItems.USER_ID))) {
                    return Added.NO_USER;
                }
            }
            return conditionFailed(reasons.get(0)) ? Added.DUPLICATE : Added.LIMIT_REACHED;
        }
    }

    /** The passkey item's {@code SET name}, with a check that the user is still {@code userId}, in one transaction. */
    @Override
    public boolean rename(String username, String userId, String credentialId, String name) {
        Objects.requireNonNull(name, "name");
        if (!PasskeyItems.keyFits(credentialId)) {
            return false;
        }
        TransactWriteItem passkey = TransactWriteItem.builder().update(request -> request
                .tableName(tableName)
                .key(PasskeyItems.passkeyKey(credentialId))
                .updateExpression("SET #name = :name")
                .conditionExpression("#owner = :username AND #ownerId = :userId")
                .expressionAttributeNames(Map.of("#name", PasskeyItems.NAME, "#owner", PasskeyItems.OWNER,
                        "#ownerId", PasskeyItems.OWNER_ID))
                .expressionAttributeValues(Map.of(":name", string(name), ":username", string(username),
                        ":userId", string(userId)))).build();
        return userTransaction("TransactWriteItems (rename passkey)", passkey, TransactWriteItem.builder()
                .conditionCheck(request -> request
                        .tableName(tableName)
                        .key(UserItems.key(username))
                        .conditionExpression("#userId = :userId")
                        .expressionAttributeNames(Map.of("#userId", UserItems.USER_ID))
                        .expressionAttributeValues(Map.of(":userId", string(userId)))).build());
    }

    /** The passkey item deleted and its id taken from the user's set, in one transaction. */
    @Override
    public boolean remove(String username, String userId, String credentialId) {
        if (!PasskeyItems.keyFits(credentialId)) {
            return false;
        }
        TransactWriteItem passkey = TransactWriteItem.builder().delete(request -> request
                .tableName(tableName)
                .key(PasskeyItems.passkeyKey(credentialId))
                .conditionExpression("#owner = :username AND #ownerId = :userId")
                .expressionAttributeNames(Map.of("#owner", PasskeyItems.OWNER, "#ownerId", PasskeyItems.OWNER_ID))
                .expressionAttributeValues(Map.of(":username", string(username), ":userId", string(userId)))).build();
        return userTransaction("TransactWriteItems (remove passkey)", passkey, TransactWriteItem.builder()
                .update(request -> request
                        .tableName(tableName)
                        .key(UserItems.key(username))
                        .updateExpression("DELETE #passkeys :id")
                        .conditionExpression("#userId = :userId")
                        .expressionAttributeNames(Map.of("#passkeys", PasskeyItems.PASSKEYS, "#userId", UserItems.USER_ID))
                        .expressionAttributeValues(Map.of(":id", PasskeyItems.idSet(credentialId),
                                ":userId", string(userId)))).build());
    }

    /** True when both parts met their conditions; false, nothing written, when either did not. */
    private boolean userTransaction(String operation, TransactWriteItem passkey, TransactWriteItem user) {
        try {
            transact(operation, () -> client.transactWriteItems(request -> request.transactItems(passkey, user)));
            return true;
        } catch (TransactionCanceledException e) {
            return false;
        }
    }

    /** {@code SET signCount, backedUp, lastUsedAt} on condition {@code signCount = :previous}: one of two uses at one counter. */
    @Override
    public boolean recordUse(String credentialId, long previousCounter, long newCounter, boolean backedUp, Instant now) {
        if (newCounter < 0) {
            throw new IllegalArgumentException("newCounter must not be negative");
        }
        Objects.requireNonNull(now, "now");
        return updatePasskey("UpdateItem (record passkey use)", credentialId,
                "SET #signCount = :new, #backedUp = :backedUp, #lastUsedAt = :now",
                "attribute_exists(#credentialId) AND #signCount = :previous",
                Map.of("#signCount", PasskeyItems.SIGN_COUNT, "#backedUp", PasskeyItems.BACKED_UP,
                        "#lastUsedAt", PasskeyItems.LAST_USED_AT, "#credentialId", PasskeyItems.CREDENTIAL_ID),
                Map.of(":new", number(newCounter), ":backedUp", AttributeValue.fromBool(backedUp), ":now", millis(now),
                        ":previous", number(previousCounter)));
    }

    /** {@code SET flagged = true} (and {@code flaggedAt}, the first time) on the passkey item, while there is one. */
    @Override
    public boolean flag(String credentialId, Instant now) {
        return updatePasskey("UpdateItem (flag passkey)", credentialId,
                "SET #flagged = :true, #flaggedAt = if_not_exists(#flaggedAt, :now)",
                "attribute_exists(#credentialId)",
                Map.of("#flagged", PasskeyItems.FLAGGED, "#flaggedAt", PasskeyItems.FLAGGED_AT,
                        "#credentialId", PasskeyItems.CREDENTIAL_ID),
                Map.of(":true", TRUE, ":now", millis(now)));
    }

    private boolean updatePasskey(String operation, String credentialId, String update, String condition,
            Map<String, String> names, Map<String, AttributeValue> values) {
        if (!PasskeyItems.keyFits(credentialId)) {
            return false;
        }
        try {
            call(operation, () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(PasskeyItems.passkeyKey(credentialId))
                    .updateExpression(update)
                    .conditionExpression(condition)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public void saveChallenge(Challenge challenge) {
        call("PutItem (passkey challenge)", () -> client.putItem(request -> request
                .tableName(tableName)
                .item(PasskeyItems.toItem(challenge))));
    }

    /** {@code DeleteItem} on condition {@code attribute_exists}, {@code ReturnValues: ALL_OLD}: of parallel spends, one gets it. */
    @Override
    public Optional<Challenge> spendChallenge(String challengeHash) {
        try {
            DeleteItemResponse response = call("DeleteItem (spend passkey challenge)", () -> client.deleteItem(request -> request
                    .tableName(tableName)
                    .key(PasskeyItems.challengeKey(challengeHash))
                    .conditionExpression("attribute_exists(#key)")
                    .expressionAttributeNames(Map.of("#key", UserItems.USERNAME))
                    .returnValues(ReturnValue.ALL_OLD)));
            return Optional.of(PasskeyItems.challengeFromItem(challengeHash, response.attributes()));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /** The passkey items of these credential ids (at most {@link #BATCH_GET_SIZE}), asking again for what DynamoDB left unprocessed. */
    private List<Map<String, AttributeValue>> readBatch(List<String> credentialIds) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, KeysAndAttributes> pending = Map.of(tableName, KeysAndAttributes.builder()
                .keys(credentialIds.stream().map(PasskeyItems::passkeyKey).toList())
                .consistentRead(true)
                .build());
        for (int attempt = 1; !pending.isEmpty(); attempt++) {
            if (attempt > MAX_BATCH_ATTEMPTS) {
                throw new StoreUnavailableException("DynamoDB BatchGetItem (list passkeys) left keys unprocessed after "
                        + MAX_BATCH_ATTEMPTS + " attempts", null);
            }
            if (attempt > 1) {
                pause(BATCH_RETRY_DELAY.multipliedBy(1L << (attempt - 2)));
            }
            Map<String, KeysAndAttributes> requests = pending;
            BatchGetItemResponse response = call("BatchGetItem (list passkeys)",
                    () -> client.batchGetItem(request -> request.requestItems(requests)));
            items.addAll(response.responses().getOrDefault(tableName, List.of()));
            pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return items;
    }

    private static void pause(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while retrying DynamoDB BatchGetItem (list passkeys)", e);
        }
    }

    /** The item under {@code username}, strongly consistent; empty when there is none. */
    private Map<String, AttributeValue> readUser(String username) {
        GetItemResponse response = call("GetItem (passkey user)", () -> client.getItem(request -> request
                .tableName(tableName)
                .key(UserItems.key(username))
                .projectionExpression("#userId")
                .expressionAttributeNames(Map.of("#userId", UserItems.USER_ID))
                .consistentRead(true)));
        return response.hasItem() ? response.item() : Map.of();
    }
}
