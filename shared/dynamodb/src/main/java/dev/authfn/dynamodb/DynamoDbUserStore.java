package dev.authfn.dynamodb;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;
import static dev.authfn.dynamodb.internal.DynamoDbCalls.call;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import dev.authfn.dynamodb.internal.UserItems;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link UserStore} on the users table (see {@link TableDefinitions}). Every write is one
 * conditional request, so concurrent logins never lose an update: a failure is counted with
 * {@code ADD}, and the lock it earns is set only while the counter still holds the value that
 * earned it. Reads are strongly consistent.
 *
 * <p>Failures for names that no user holds are counted the same way in phantom items (see
 * {@link UserItems}). An item is a user exactly when it has a {@code userId}: every write meant
 * for users requires {@code attribute_exists(userId)}, every phantom write requires
 * {@code attribute_not_exists(userId)}, so neither kind can change the other, and
 * {@link #create} may replace a phantom. Phantoms carry the TTL attribute {@code expiresAt};
 * users never do.
 */
public final class DynamoDbUserStore implements UserStore {

    private static final AttributeValue ZERO = number(0);
    private static final AttributeValue ONE = number(1);
    private static final AttributeValue TRUE = AttributeValue.fromBool(true);

    /** The attribute names both phantom updates use. */
    private static final Map<String, String> PHANTOM_NAMES = Map.of(
            "#userId", UserItems.USER_ID,
            "#phantom", UserItems.PHANTOM,
            "#expiresAt", UserItems.EXPIRES_AT,
            "#lockedUntil", UserItems.LOCKED_UNTIL,
            "#failedLogins", UserItems.FAILED_LOGINS);

    /** Phantom writes that find a forgotten phantom restart it and count again; racing ones retry. */
    private static final int MAX_UNKNOWN_FAILURE_TRIES = 3;

    private final DynamoDbClient client;
    private final String tableName;

    public DynamoDbUserStore(DynamoDbClient client, String tableName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public Optional<User> get(String username) {
        Map<String, AttributeValue> item = read(username);
        return UserItems.isUser(item) ? Optional.of(UserItems.fromItem(item)) : Optional.empty();
    }

    @Override
    public UserLookup lookup(String username, Instant now) {
        Map<String, AttributeValue> item = read(username);
        if (UserItems.isUser(item)) {
            return new UserLookup.Found(UserItems.fromItem(item));
        }
        return UserItems.isLivePhantom(item, now)
                ? new UserLookup.Unknown(millis(item, UserItems.LOCKED_UNTIL))
                : UserLookup.Unknown.NEVER_FAILED;
    }

    /** Replaces a phantom item, if there is one: the new user starts with its own counter and lock. */
    @Override
    public boolean create(User user) {
        try {
            call("PutItem (create user)", () -> client.putItem(request -> request
                    .tableName(tableName)
                    .item(UserItems.toItem(user))
                    .conditionExpression("attribute_not_exists(#userId)")
                    .expressionAttributeNames(Map.of("#userId", UserItems.USER_ID))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public boolean replacePasswordHash(String username, String passwordHash) {
        try {
            call("UpdateItem (replace password hash)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(username))
                    .updateExpression("SET #passwordHash = :hash")
                    .conditionExpression("attribute_exists(#userId)")
                    .expressionAttributeNames(Map.of(
                            "#userId", UserItems.USER_ID,
                            "#passwordHash", UserItems.PASSWORD_HASH))
                    .expressionAttributeValues(Map.of(":hash", string(passwordHash)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Counts the failure with {@code ADD failedLogins :one} (returning the new count), then, if
     * the policy locks at that count, sets {@code lockedUntil} on condition that the counter still
     * holds that count and no later lock stands. When a concurrent failure or success moved the
     * counter on meanwhile, that request's own update decides the lock, and this returns the user
     * as it then stands.
     */
    @Override
    public Optional<User> recordFailedLogin(String username, Instant now, LockoutPolicy policy) {
        User counted;
        try {
            counted = UserItems.fromItem(call("UpdateItem (count failed login)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(username))
                    .updateExpression("ADD #failedLogins :one")
                    .conditionExpression("attribute_exists(#userId)")
                    .expressionAttributeNames(Map.of(
                            "#userId", UserItems.USER_ID,
                            "#failedLogins", UserItems.FAILED_LOGINS))
                    .expressionAttributeValues(Map.of(":one", ONE))
                    .returnValues(ReturnValue.ALL_NEW))).attributes());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
        Instant lockedUntil = policy.lockedUntil(counted.failedLogins(), now);
        if (!lockedUntil.isAfter(counted.lockedUntil())) {
            return Optional.of(counted);
        }
        return lock(username, counted.failedLogins(), lockedUntil, false)
                .map(UserItems::fromItem)
                .or(() -> get(username));
    }

    /**
     * Counts a failure for a name no user holds in its phantom item, as {@link #recordFailedLogin}
     * does for a user: {@code ADD failedLogins :one} (creating the phantom if need be, and
     * setting {@code expiresAt} to {@code policy.unknownNameExpiry(now)}) on condition that there
     * is no user and the phantom has not expired; then the same conditional lock. A phantom that
     * expired but is still in the table (TTL is late) is restarted at one failure instead.
     */
    @Override
    public Optional<Instant> recordUnknownFailure(String username, Instant now, LockoutPolicy policy) {
        AttributeValue nowSeconds = number(now.getEpochSecond());
        AttributeValue expiresAt = number(policy.unknownNameExpiry(now).getEpochSecond());
        Map<String, AttributeValue> counted = null;
        for (int tries = 0; counted == null; tries++) {
            if (tries == MAX_UNKNOWN_FAILURE_TRIES) {
                throw new StoreUnavailableException("DynamoDB UpdateItem (count unknown-name failure) failed: "
                        + "the item kept changing under " + tries + " tries", null);
            }
            try {
                counted = countUnknownFailure(username, nowSeconds, expiresAt);
            } catch (ConditionalCheckFailedException e) {
                Map<String, AttributeValue> standing = e.hasItem() ? e.item() : read(username);
                if (UserItems.isUser(standing)) {
                    return Optional.empty();
                }
                counted = restartUnknownFailures(username, nowSeconds, expiresAt);
            }
        }
        int failures = Math.toIntExact(number(counted, UserItems.FAILED_LOGINS));
        Instant standingLock = millis(counted, UserItems.LOCKED_UNTIL);
        Instant lockedUntil = policy.lockedUntil(failures, now);
        if (!lockedUntil.isAfter(standingLock)) {
            return Optional.of(standingLock);
        }
        return lock(username, failures, lockedUntil, true)
                .map(item -> millis(item, UserItems.LOCKED_UNTIL))
                .or(() -> lookup(username, now) instanceof UserLookup.Unknown unknown
                        ? Optional.of(unknown.lockedUntil())
                        : Optional.empty());
    }

    /** The values both phantom updates use: the clock, the phantom's expiry, and 0, 1, true. */
    private static Map<String, AttributeValue> phantomValues(AttributeValue nowSeconds, AttributeValue expiresAt) {
        return Map.of(":true", TRUE, ":expiresAt", expiresAt, ":zero", ZERO, ":one", ONE, ":now", nowSeconds);
    }

    /** ADD one failure to a live phantom or a new one; the item afterwards. */
    private Map<String, AttributeValue> countUnknownFailure(
            String username, AttributeValue nowSeconds, AttributeValue expiresAt) {
        return call("UpdateItem (count unknown-name failure)", () -> client.updateItem(request -> request
                .tableName(tableName)
                .key(UserItems.key(username))
                .updateExpression("SET #phantom = :true, #expiresAt = :expiresAt,"
                        + " #lockedUntil = if_not_exists(#lockedUntil, :zero) ADD #failedLogins :one")
                .conditionExpression("attribute_not_exists(#userId)"
                        + " AND (attribute_not_exists(#expiresAt) OR #expiresAt > :now)")
                .expressionAttributeNames(PHANTOM_NAMES)
                .expressionAttributeValues(phantomValues(nowSeconds, expiresAt))
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .attributes();
    }

    /**
     * Starts an expired phantom afresh at one failure and no lock; the item afterwards, or null
     * when it is no longer an expired phantom (a concurrent failure restarted it, or a user took
     * the name), so that the caller counts again.
     */
    private Map<String, AttributeValue> restartUnknownFailures(
            String username, AttributeValue nowSeconds, AttributeValue expiresAt) {
        try {
            return call("UpdateItem (restart unknown-name failures)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(username))
                    .updateExpression("SET #phantom = :true, #expiresAt = :expiresAt,"
                            + " #lockedUntil = :zero, #failedLogins = :one")
                    .conditionExpression("attribute_not_exists(#userId) AND #expiresAt <= :now")
                    .expressionAttributeNames(PHANTOM_NAMES)
                    .expressionAttributeValues(phantomValues(nowSeconds, expiresAt))
                    .returnValues(ReturnValue.ALL_NEW)))
                    .attributes();
        } catch (ConditionalCheckFailedException e) {
            return null;
        }
    }

    /**
     * Sets {@code lockedUntil = until} on a user ({@code phantom} false) or a phantom item, on
     * condition that it is still that kind of item, its counter still holds {@code count} and no
     * later lock stands; the item afterwards, or empty when the condition failed.
     */
    private Optional<Map<String, AttributeValue>> lock(String username, int count, Instant until, boolean phantom) {
        try {
            return Optional.of(call(phantom ? "UpdateItem (lock unknown name)" : "UpdateItem (lock user)",
                    () -> client.updateItem(request -> request
                            .tableName(tableName)
                            .key(UserItems.key(username))
                            .updateExpression("SET #lockedUntil = :until")
                            .conditionExpression((phantom ? "attribute_not_exists(#userId)" : "attribute_exists(#userId)")
                                    + " AND #failedLogins = :count AND #lockedUntil < :until")
                            .expressionAttributeNames(Map.of(
                                    "#userId", UserItems.USER_ID,
                                    "#failedLogins", UserItems.FAILED_LOGINS,
                                    "#lockedUntil", UserItems.LOCKED_UNTIL))
                            .expressionAttributeValues(Map.of(
                                    ":count", number(count),
                                    ":until", millis(until)))
                            .returnValues(ReturnValue.ALL_NEW))).attributes());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    /** Resets the counter and the lock; writes nothing when both are already clear. */
    @Override
    public void recordSuccessfulLogin(String username) {
        try {
            call("UpdateItem (reset failed logins)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(username))
                    .updateExpression("SET #failedLogins = :zero, #lockedUntil = :zero")
                    .conditionExpression("attribute_exists(#userId)"
                            + " AND (#failedLogins > :zero OR #lockedUntil > :zero)")
                    .expressionAttributeNames(Map.of(
                            "#userId", UserItems.USER_ID,
                            "#failedLogins", UserItems.FAILED_LOGINS,
                            "#lockedUntil", UserItems.LOCKED_UNTIL))
                    .expressionAttributeValues(Map.of(":zero", ZERO))));
        } catch (ConditionalCheckFailedException e) {
            // No such user (perhaps a phantom), or nothing to reset.
        }
    }

    @Override
    public boolean disable(String username) {
        try {
            call("UpdateItem (disable user)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(username))
                    .updateExpression("SET #status = :disabled")
                    .conditionExpression("attribute_exists(#userId)")
                    .expressionAttributeNames(Map.of(
                            "#userId", UserItems.USER_ID,
                            "#status", UserItems.STATUS))
                    .expressionAttributeValues(Map.of(":disabled", string(UserStatus.DISABLED.wireName())))));
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        return true;
    }

    /** The item under {@code username}, strongly consistent; empty when there is none. */
    private Map<String, AttributeValue> read(String username) {
        GetItemResponse response = call("GetItem (get user)", () -> client.getItem(request -> request
                .tableName(tableName)
                .key(UserItems.key(username))
                .consistentRead(true)));
        return response.hasItem() ? response.item() : Map.of();
    }
}
