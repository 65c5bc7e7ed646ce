package dev.authfn.dynamodb;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;
import static dev.authfn.dynamodb.internal.DynamoDbCalls.call;

import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
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

/**
 * {@link UserStore} on the users table (see {@link TableDefinitions}). Every write is one
 * conditional request, so concurrent logins never lose an update: a failure is counted with
 * {@code ADD}, and the lock it earns is set only while the counter still holds the value that
 * earned it. Reads are strongly consistent. Disabling a user also revokes their sessions in the
 * given {@link SessionStore}.
 */
public final class DynamoDbUserStore implements UserStore {

    private static final AttributeValue ZERO = number(0);

    private final DynamoDbClient client;
    private final String tableName;
    private final SessionStore sessions;

    public DynamoDbUserStore(DynamoDbClient client, String tableName, SessionStore sessions) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    @Override
    public Optional<User> get(String username) {
        GetItemResponse response = call("GetItem (get user)", () -> client.getItem(request -> request
                .tableName(tableName)
                .key(UserItems.key(username))
                .consistentRead(true)));
        return response.hasItem() && !response.item().isEmpty()
                ? Optional.of(UserItems.fromItem(response.item()))
                : Optional.empty();
    }

    @Override
    public boolean create(User user) {
        try {
            call("PutItem (create user)", () -> client.putItem(request -> request
                    .tableName(tableName)
                    .item(UserItems.toItem(user))
                    .conditionExpression("attribute_not_exists(#username)")
                    .expressionAttributeNames(Map.of("#username", UserItems.USERNAME))));
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
                    .conditionExpression("attribute_exists(#username)")
                    .expressionAttributeNames(Map.of(
                            "#username", UserItems.USERNAME,
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
                    .conditionExpression("attribute_exists(#username)")
                    .expressionAttributeNames(Map.of(
                            "#username", UserItems.USERNAME,
                            "#failedLogins", UserItems.FAILED_LOGINS))
                    .expressionAttributeValues(Map.of(":one", number(1)))
                    .returnValues(ReturnValue.ALL_NEW))).attributes());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
        Instant lockedUntil = policy.lockedUntil(counted.failedLogins(), now);
        if (!lockedUntil.isAfter(counted.lockedUntil())) {
            return Optional.of(counted);
        }
        try {
            return Optional.of(UserItems.fromItem(call("UpdateItem (lock user)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(username))
                    .updateExpression("SET #lockedUntil = :until")
                    .conditionExpression("#failedLogins = :count AND #lockedUntil < :until")
                    .expressionAttributeNames(Map.of(
                            "#failedLogins", UserItems.FAILED_LOGINS,
                            "#lockedUntil", UserItems.LOCKED_UNTIL))
                    .expressionAttributeValues(Map.of(
                            ":count", number(counted.failedLogins()),
                            ":until", millis(lockedUntil)))
                    .returnValues(ReturnValue.ALL_NEW))).attributes()));
        } catch (ConditionalCheckFailedException e) {
            return get(username);
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
                    .conditionExpression("attribute_exists(#username)"
                            + " AND (#failedLogins > :zero OR #lockedUntil > :zero)")
                    .expressionAttributeNames(Map.of(
                            "#username", UserItems.USERNAME,
                            "#failedLogins", UserItems.FAILED_LOGINS,
                            "#lockedUntil", UserItems.LOCKED_UNTIL))
                    .expressionAttributeValues(Map.of(":zero", ZERO))));
        } catch (ConditionalCheckFailedException e) {
            // No such user, or nothing to reset.
        }
    }

    /**
     * Sets the user disabled, then revokes their sessions. If the revocation fails with
     * {@link dev.authfn.core.StoreUnavailableException}, the user stays disabled and calling
     * this again finishes the job.
     */
    @Override
    public boolean disable(String username) {
        Map<String, AttributeValue> item;
        try {
            item = call("UpdateItem (disable user)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(username))
                    .updateExpression("SET #status = :disabled")
                    .conditionExpression("attribute_exists(#username)")
                    .expressionAttributeNames(Map.of(
                            "#username", UserItems.USERNAME,
                            "#status", UserItems.STATUS))
                    .expressionAttributeValues(Map.of(":disabled", string(UserStatus.DISABLED.wireName())))
                    .returnValues(ReturnValue.ALL_NEW))).attributes();
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        sessions.revokeAll(UserItems.fromItem(item).userId());
        return true;
    }
}
