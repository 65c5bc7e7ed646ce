package dev.authfn.dynamodb;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;
import static dev.authfn.dynamodb.internal.DynamoDbCalls.call;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.user.AttemptReservation;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.UserStore;
import dev.authfn.dynamodb.internal.UserItems;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * {@link UserStore} on the users table (see {@link TableDefinitions}). Every write is one
 * conditional request, so concurrent logins never lose an update. A login attempt is reserved
 * before its password is checked ({@link #reserveAttempt}): with {@code ADD} while its count
 * earns no lock, and otherwise with a compare-and-set that writes count and lock together, both
 * refused by their condition while the item is locked. So no two attempts can take the one
 * attempt that a lock window allows. Reads are strongly consistent.
 *
 * <p>Attempts on names that no user holds are reserved the same way in phantom items (see
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

    /** What a phantom write sets besides the counter (values from {@link #putPhantomValues}). */
    private static final String PHANTOM_SET = "#phantom = :true, #expiresAt = :expiresAt";

    /**
     * A reservation's tries: without a concurrent success at most four writes (a count, a
     * restart, a count, a compare-and-set) before the item shows a lock; beyond that it fails closed.
     */
    private static final int MAX_RESERVE_TRIES = 8;

    /** The two kinds of item a reservation writes, with the attribute names its writes use. */
    private enum ItemKind {
        USER("reserve login attempt", Map.of(
                "#userId", UserItems.USER_ID,
                "#lockedUntil", UserItems.LOCKED_UNTIL,
                "#failedLogins", UserItems.FAILED_LOGINS)),
        PHANTOM("reserve unknown-name attempt", Map.of(
                "#userId", UserItems.USER_ID,
                "#phantom", UserItems.PHANTOM,
                "#expiresAt", UserItems.EXPIRES_AT,
                "#lockedUntil", UserItems.LOCKED_UNTIL,
                "#failedLogins", UserItems.FAILED_LOGINS));

        final String operation;
        final Map<String, String> names;

        ItemKind(String operation, Map<String, String> names) {
            this.operation = operation;
            this.names = names;
        }
    }
    /** The attribute names of the session registration writes. */
    private static final Map<String, String> SESSION_NAMES = Map.of(
            "#userId", UserItems.USER_ID,
            "#epoch", UserItems.SESSION_EPOCH,
            "#sessions", UserItems.SESSIONS);

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
        return replaceHash(username, passwordHash, "attribute_exists(#userId)", Map.of(), false);
    }

    @Override
    public boolean replacePasswordHash(User read, String newPasswordHash) {
        return replaceHash(read.username(), newPasswordHash, "#userId = :userId AND #passwordHash = :old",
                Map.of(":userId", string(read.userId()), ":old", string(read.passwordHash())), true);
    }

    /** Sets the hash and moves the reset generation on (voiding reset tokens), under {@code condition}. */
    private boolean replaceHash(String username, String passwordHash, String condition,
            Map<String, AttributeValue> conditionValues, boolean namesUserId) {
        Map<String, AttributeValue> values = new java.util.HashMap<>(conditionValues);
        values.put(":hash", string(passwordHash));
        values.put(":one", ONE);
        try {
            call("UpdateItem (replace password hash)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(username))
                    .updateExpression("SET #passwordHash = :hash ADD #resetGeneration :one")
                    .conditionExpression(condition)
                    .expressionAttributeNames(Map.of(
                            "#userId", UserItems.USER_ID,
                            "#passwordHash", UserItems.PASSWORD_HASH,
                            "#resetGeneration", UserItems.RESET_GENERATION))
                    .expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Reserves with {@code ADD failedLogins :one} while the count stays below the policy's
     * threshold (no lock can result, so concurrent attempts need not know the exact count), and
     * with a compare-and-set of count and lock from the item as it stands for the attempt that
     * locks; both refuse in their condition when the user is locked. See {@link #reserve}.
     */
    @Override
    public AttemptReservation reserveAttempt(String username, Instant now, LockoutPolicy policy) {
        return reserve(ItemKind.USER, username, now, policy);
    }

    /**
     * As {@link #reserveAttempt}, in the name's phantom item: creates it if need be, sets
     * {@code expiresAt} to {@code policy.unknownNameExpiry(now)} with every reservation, and
     * restarts the count of a phantom that expired but is still in the table (TTL is late).
     */
    @Override
    public AttemptReservation reserveUnknownAttempt(String username, Instant now, LockoutPolicy policy) {
        return reserve(ItemKind.PHANTOM, username, now, policy);
    }

    /**
     * Reserves one attempt in one conditional write. The first try needs no read: it counts with
     * {@code ADD}, on condition that the item is of the right kind, not locked, and its count
     * below the last free one. When that condition fails, the item as it stands (DynamoDB returns
     * it with the failure) decides: locked, another kind, or a compare-and-set to the count and
     * lock {@link LockoutPolicy#reserve} gives. A compare-and-set that loses to a concurrent write
     * tries again from the item that won; each such loss means a concurrent reservation (or a
     * success) went through, so the tries are few and bounded.
     */
    private AttemptReservation reserve(ItemKind kind, String username, Instant now, LockoutPolicy policy) {
        Map<String, AttributeValue> standing = policy.freeAttempts() > 1 ? null : read(username);
        for (int tries = 0; tries < MAX_RESERVE_TRIES; tries++) {
            try {
                return standing == null
                        ? countFree(kind, username, now, policy)
                        : reserveFrom(kind, standing, username, now, policy);
            } catch (ConditionalCheckFailedException e) {
                standing = e.hasItem() ? e.item() : read(username);
            }
        }
        throw new StoreUnavailableException("DynamoDB UpdateItem (" + kind.operation + ") failed: "
                + "the item kept changing under " + MAX_RESERVE_TRIES + " tries", null);
    }

    /** Reserves from the item as it stands, or says why not; throws when the item has changed meanwhile. */
    private AttemptReservation reserveFrom(ItemKind kind, Map<String, AttributeValue> standing, String username,
            Instant now, LockoutPolicy policy) {
        if ((kind == ItemKind.USER) != UserItems.isUser(standing)) {
            return AttemptReservation.KindChanged.INSTANCE;
        }
        boolean counting = kind == ItemKind.USER || UserItems.isLivePhantom(standing, now);
        int failures = counting ? Math.toIntExact(number(standing, UserItems.FAILED_LOGINS)) : 0;
        Instant lockedUntil = counting ? millis(standing, UserItems.LOCKED_UNTIL) : Instant.EPOCH;
        AttemptReservation reservation = policy.reserve(failures, lockedUntil, now);
        if (!(reservation instanceof AttemptReservation.Reserved reserved)) {
            return reservation;
        }
        boolean restart = !counting && !standing.isEmpty();
        if (reserved.failures() < policy.freeAttempts() && !restart) {
            return countFree(kind, username, now, policy);
        }
        compareAndSet(kind, username, standing, reserved, now, policy);
        return reserved;
    }

    /**
     * {@code ADD failedLogins :one} on condition that the item is of {@code kind} (for a phantom:
     * live, or no item at all), not locked at {@code now}, and counts fewer than
     * {@code freeAttempts - 1} failures, so that this count earns no lock.
     */
    private AttemptReservation.Reserved countFree(ItemKind kind, String username, Instant now, LockoutPolicy policy) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":one", ONE,
                ":lastFree", number(policy.freeAttempts() - 1L),
                ":nowMillis", millis(now)));
        String free = "#failedLogins < :lastFree AND #lockedUntil <= :nowMillis";
        Map<String, AttributeValue> counted;
        if (kind == ItemKind.USER) {
            counted = update(kind, username, "ADD #failedLogins :one", "attribute_exists(#userId) AND " + free, values);
        } else {
            putPhantomValues(values, now, policy);
            values.put(":zero", ZERO);
            values.put(":nowSeconds", number(now.getEpochSecond()));
            counted = update(kind, username,
                    "SET " + PHANTOM_SET + ", #lockedUntil = if_not_exists(#lockedUntil, :zero) ADD #failedLogins :one",
                    "attribute_not_exists(#userId)"
                            + " AND (attribute_not_exists(#expiresAt) OR (#expiresAt > :nowSeconds AND " + free + "))",
                    values);
        }
        return new AttemptReservation.Reserved(Math.toIntExact(number(counted, UserItems.FAILED_LOGINS)),
                millis(counted, UserItems.LOCKED_UNTIL));
    }

    /**
     * Sets count and lock to {@code reserved} on condition that the item still stands as
     * {@code standing} showed it (see {@link #asStanding}).
     */
    private void compareAndSet(ItemKind kind, String username, Map<String, AttributeValue> standing,
            AttemptReservation.Reserved reserved, Instant now, LockoutPolicy policy) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":failures", number(reserved.failures()),
                ":lockedUntil", millis(reserved.lockedUntil())));
        String set = "SET #failedLogins = :failures, #lockedUntil = :lockedUntil";
        if (kind == ItemKind.PHANTOM) {
            putPhantomValues(values, now, policy);
            set += ", " + PHANTOM_SET;
        }
        String kindCondition = kind == ItemKind.USER ? "attribute_exists(#userId)" : "attribute_not_exists(#userId)";
        update(kind, username, set, kindCondition + " AND " + asStanding(kind, standing, now, values), values);
    }

    /**
     * The condition that the item still stands as {@code standing} showed it, adding the values
     * it uses: a user or a live phantom with that count and lock; no item; or a phantom expired
     * at {@code now} (which the write restarts).
     */
    private static String asStanding(ItemKind kind, Map<String, AttributeValue> standing, Instant now,
            Map<String, AttributeValue> values) {
        if (kind == ItemKind.PHANTOM && standing.isEmpty()) {
            return "attribute_not_exists(#expiresAt)";
        }
        String counter = "#failedLogins = :standingFailures AND #lockedUntil = :standingLock";
        if (kind == ItemKind.USER) {
            putStandingCounter(values, standing);
            return counter;
        }
        values.put(":nowSeconds", number(now.getEpochSecond()));
        if (!UserItems.isLivePhantom(standing, now)) {
            return "#expiresAt <= :nowSeconds";
        }
        putStandingCounter(values, standing);
        return "#expiresAt > :nowSeconds AND " + counter;
    }

    private static void putStandingCounter(Map<String, AttributeValue> values, Map<String, AttributeValue> standing) {
        values.put(":standingFailures", number(number(standing, UserItems.FAILED_LOGINS)));
        values.put(":standingLock", number(number(standing, UserItems.LOCKED_UNTIL)));
    }

    /** What every phantom write sets besides the counter: {@link #PHANTOM_SET}'s values. */
    private static void putPhantomValues(Map<String, AttributeValue> values, Instant now, LockoutPolicy policy) {
        values.put(":true", TRUE);
        values.put(":expiresAt", number(policy.unknownNameExpiry(now).getEpochSecond()));
    }

    /**
     * One conditional reservation write; the item afterwards. A failed condition throws
     * {@link ConditionalCheckFailedException} carrying the item as it stood.
     */
    private Map<String, AttributeValue> update(ItemKind kind, String username, String update, String condition,
            Map<String, AttributeValue> values) {
        return call("UpdateItem (" + kind.operation + ")", () -> client.updateItem(request -> request
                .tableName(tableName)
                .key(UserItems.key(username))
                .updateExpression(update)
                .conditionExpression(condition)
                .expressionAttributeNames(kind.names)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)))
                .attributes();
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

    /**
     * {@code ADD sessions :registration} on condition that the user still has the id and the
     * session epoch of {@code read}: one write. When the set it returns holds registrations past
     * their absolute expiry, a second write drops them ({@code DELETE}, which concurrent
     * registrations do not disturb), so the set holds about as many entries as the user has
     * sessions that can still be live.
     */
    @Override
    public boolean registerSession(User read, String sessionId, Instant absoluteExpiry, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":userId", string(read.userId()));
        values.put(":epoch", number(read.sessionEpoch()));
        values.put(":registration", AttributeValue.fromSs(List.of(UserItems.registration(sessionId, absoluteExpiry))));
        // A user item written before session epochs existed has none: that is epoch 0.
        String epoch = read.sessionEpoch() == 0 ? "(attribute_not_exists(#epoch) OR #epoch = :epoch)" : "#epoch = :epoch";
        Map<String, AttributeValue> registered;
        try {
            registered = call("UpdateItem (register session)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(read.username()))
                    .updateExpression("ADD #sessions :registration")
                    .conditionExpression("#userId = :userId AND " + epoch)
                    .expressionAttributeNames(SESSION_NAMES)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.UPDATED_NEW))).attributes();
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
        List<String> expired = registered.get(UserItems.SESSIONS).ss().stream()
                .filter(registration -> UserItems.registrationExpired(registration, now))
                .toList();
        if (!expired.isEmpty()) {
            dropRegistrations(read, expired);
        }
        return true;
    }

    private void dropRegistrations(User read, List<String> expired) {
        try {
            call("UpdateItem (drop expired session registrations)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(read.username()))
                    .updateExpression("DELETE #sessions :expired")
                    .conditionExpression("#userId = :userId")
                    .expressionAttributeNames(Map.of("#userId", UserItems.USER_ID, "#sessions", UserItems.SESSIONS))
                    .expressionAttributeValues(Map.of(
                            ":userId", string(read.userId()),
                            ":expired", AttributeValue.fromSs(expired)))));
        } catch (ConditionalCheckFailedException e) {
            // The user is gone: nothing to keep small.
        }
    }

    /** {@code ADD sessionEpoch :one REMOVE sessions}, returning the set as it was: one write. */
    @Override
    public Optional<Set<String>> closeSessionEpoch(String username, String userId, Instant now) {
        Map<String, AttributeValue> before;
        try {
            before = call("UpdateItem (close session epoch)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(username))
                    .updateExpression("ADD #epoch :one REMOVE #sessions")
                    .conditionExpression("#userId = :userId")
                    .expressionAttributeNames(SESSION_NAMES)
                    .expressionAttributeValues(Map.of(":userId", string(userId), ":one", ONE))
                    .returnValues(ReturnValue.ALL_OLD))).attributes();
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
        AttributeValue registrations = before.get(UserItems.SESSIONS);
        if (registrations == null || !registrations.hasSs()) {
            return Optional.of(Set.of());
        }
        return Optional.of(registrations.ss().stream()
                .filter(registration -> !UserItems.registrationExpired(registration, now))
                .map(UserItems::registeredSessionId)
                .collect(Collectors.toUnmodifiableSet()));
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
