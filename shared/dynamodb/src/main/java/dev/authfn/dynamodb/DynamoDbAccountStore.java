package dev.authfn.dynamodb;

import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;
import static dev.authfn.dynamodb.internal.DynamoDbCalls.call;

import dev.authfn.core.account.AccountStore;
import dev.authfn.core.account.MailToken;
import dev.authfn.core.account.Registration;
import dev.authfn.core.account.StoredToken;
import dev.authfn.core.user.User;
import dev.authfn.dynamodb.internal.AccountItems;
import dev.authfn.dynamodb.internal.DynamoDbCalls;
import dev.authfn.dynamodb.internal.UserItems;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * {@link AccountStore} in the users table, beside the users (shared/dynamodb/README.md): address
 * claims under {@code email#<address>}, mail tokens under {@code token#<hash>}, mail counts under
 * {@code mailcount#<key>#<hour>}. None of them has a {@code userId}, so no user condition or read
 * ever takes one for a user; canonical usernames cannot contain {@code #}, so no name collides.
 * Every change that must go with another is one {@code TransactWriteItems}.
 */
public final class DynamoDbAccountStore implements AccountStore {

    private static final AttributeValue TRUE = AttributeValue.fromBool(true);

    private final DynamoDbClient client;
    private final String tableName;

    public DynamoDbAccountStore(DynamoDbClient client, String tableName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public Registration register(User user, Instant standInExpiry) {
        if (!user.hasEmail()) {
            throw new IllegalArgumentException("a registered user needs an address");
        }
        if (user.mfaEnrolled()) {
            // Checked before the claim is written (UserItems.toItem checks again for create).
            throw new IllegalArgumentException("a new user has no second factor: enrol one through the MFA store");
        }
        boolean claimed = putIfAbsent("PutItem (claim address)", AccountItems.claim(user.email(), user.username()),
                "attribute_not_exists(#key)", Map.of("#key", UserItems.USERNAME));
        if (claimed) {
            if (putIfAbsent("PutItem (register user)", UserItems.toItem(user), "attribute_not_exists(#userId)",
                    Map.of("#userId", UserItems.USER_ID))) {
                return Registration.CREATED;
            }
            // The name is a user's: give the address back, then say so.
            call("DeleteItem (release claim)", () -> client.deleteItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(AccountItems.claimKey(user.email())))
                    .conditionExpression("#claimOf = :username")
                    .expressionAttributeNames(Map.of("#claimOf", AccountItems.CLAIM_OF))
                    .expressionAttributeValues(Map.of(":username", string(user.username())))));
            return Registration.USERNAME_TAKEN;
        }
        Map<String, AttributeValue> standIn = UserItems.toItem(AccountItems.standIn(user));
        standIn.put(UserItems.EXPIRES_AT, number(standInExpiry.getEpochSecond()));
        return putIfAbsent("PutItem (stand-in user)", standIn, "attribute_not_exists(#userId)",
                Map.of("#userId", UserItems.USER_ID)) ? Registration.EMAIL_TAKEN : Registration.USERNAME_TAKEN;
    }

    private boolean putIfAbsent(String operation, Map<String, AttributeValue> item, String condition,
            Map<String, String> names) {
        try {
            call(operation, () -> client.putItem(request -> request.tableName(tableName).item(item)
                    .conditionExpression(condition).expressionAttributeNames(names)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    @Override
    public Optional<User> findByEmail(String email) {
        Map<String, AttributeValue> claim = read(AccountItems.claimKey(email));
        if (claim.isEmpty()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = read(AccountItems.claimOwner(claim));
        return UserItems.isUser(item) && email.equals(UserItems.fromItem(item).email())
                ? Optional.of(UserItems.fromItem(item)) : Optional.empty();
    }

    @Override
    public boolean issue(StoredToken token) {
        if (token.kind() == MailToken.Kind.VERIFY_EMAIL) {
            // The user must hold the id the token names, checked in the same transaction as the put.
            TransactWriteItem owner = TransactWriteItem.builder().conditionCheck(check -> check
                    .tableName(tableName)
                    .key(UserItems.key(token.username()))
                    .conditionExpression("#userId = :userId")
                    .expressionAttributeNames(Map.of("#userId", UserItems.USER_ID))
                    .expressionAttributeValues(Map.of(":userId", string(token.userId())))).build();
            TransactWriteItem putToken = TransactWriteItem.builder().put(put -> put
                    .tableName(tableName)
                    .item(AccountItems.token(token, token.generation()))
                    .conditionExpression("attribute_not_exists(#key)")
                    .expressionAttributeNames(Map.of("#key", UserItems.USERNAME))).build();
            return transact("TransactWriteItems (issue verification token)", owner, putToken).isEmpty();
        }
        // A reset token takes the user's next generation, read first; the transaction moves the
        // user on only from the generation read, so two issues cannot both win one generation.
        Map<String, AttributeValue> userItem = read(token.username());
        if (!UserItems.isUser(userItem) || !token.userId().equals(userItem.get(UserItems.USER_ID).s())) {
            return false;
        }
        long current = AccountItems.resetGeneration(userItem);
        TransactWriteItem bump = TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(UserItems.key(token.username()))
                .updateExpression("SET #gen = :next")
                .conditionExpression("#userId = :userId AND " + AccountItems.generationIs(current))
                .expressionAttributeNames(Map.of("#gen", UserItems.RESET_GENERATION, "#userId", UserItems.USER_ID))
                .expressionAttributeValues(Map.of(":next", number(current + 1), ":current", number(current),
                        ":userId", string(token.userId())))).build();
        TransactWriteItem putToken = TransactWriteItem.builder().put(put -> put
                .tableName(tableName)
                .item(AccountItems.token(token, current + 1))
                .conditionExpression("attribute_not_exists(#key)")
                .expressionAttributeNames(Map.of("#key", UserItems.USERNAME))).build();
        return transact("TransactWriteItems (issue reset token)", bump, putToken).isEmpty();
    }

    @Override
    public Optional<StoredToken> token(String hash) {
        Map<String, AttributeValue> item = read(AccountItems.tokenKey(hash));
        return item.isEmpty() ? Optional.empty() : Optional.of(AccountItems.toToken(hash, item));
    }

    @Override
    public boolean verifyEmail(StoredToken token, Instant now) {
        TransactWriteItem verify = TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(UserItems.key(token.username()))
                .updateExpression("SET #verified = :true")
                .conditionExpression("#userId = :userId AND #email = :email")
                .expressionAttributeNames(Map.of("#verified", UserItems.EMAIL_VERIFIED, "#userId", UserItems.USER_ID,
                        "#email", UserItems.EMAIL))
                .expressionAttributeValues(Map.of(":true", TRUE, ":userId", string(token.userId()),
                        ":email", string(token.email())))).build();
        return transact("TransactWriteItems (verify email)", spend(token, MailToken.Kind.VERIFY_EMAIL, now), verify)
                .isEmpty();
    }

    @Override
    public boolean resetPassword(StoredToken token, String newPasswordHash, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":hash", string(newPasswordHash));
        values.put(":zero", number(0));
        values.put(":true", TRUE);
        values.put(":userId", string(token.userId()));
        values.put(":gen", number(token.generation()));
        values.put(":next", number(token.generation() + 1));
        values.put(":email", string(token.email()));
        TransactWriteItem reset = TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(UserItems.key(token.username()))
                .updateExpression("SET #hash = :hash, #failed = :zero, #locked = :zero, #gen = :next,"
                        + " #verified = :true")
                .conditionExpression("#userId = :userId AND #gen = :gen AND #email = :email")
                .expressionAttributeNames(Map.of("#hash", UserItems.PASSWORD_HASH, "#failed", UserItems.FAILED_LOGINS,
                        "#locked", UserItems.LOCKED_UNTIL, "#gen", UserItems.RESET_GENERATION,
                        "#verified", UserItems.EMAIL_VERIFIED, "#userId", UserItems.USER_ID, "#email", UserItems.EMAIL))
                .expressionAttributeValues(values)).build();
        return transact("TransactWriteItems (reset password)", spend(token, MailToken.Kind.RESET_PASSWORD, now), reset)
                .isEmpty();
    }

    @Override
    public boolean countMail(String key, Instant now, int limit) {
        Instant hour = now.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        try {
            call("UpdateItem (count mail)", () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(AccountItems.mailCountKey(key, hour)))
                    .updateExpression("ADD #count :one SET #expiresAt = :expiresAt")
                    .conditionExpression("attribute_not_exists(#count) OR #count < :limit")
                    .expressionAttributeNames(Map.of("#count", AccountItems.COUNT, "#expiresAt", UserItems.EXPIRES_AT))
                    .expressionAttributeValues(Map.of(":one", number(1), ":limit", number(limit),
                            ":expiresAt", number(hour.plus(Duration.ofHours(2)).getEpochSecond())))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Marks the token spent, conditional on the stored item being of the kind the operation needs
     * (not the kind the caller's copy claims), unspent and unexpired.
     */
    private TransactWriteItem spend(StoredToken token, MailToken.Kind kind, Instant now) {
        return TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(UserItems.key(AccountItems.tokenKey(token.hash())))
                .updateExpression("SET #spent = :true")
                .conditionExpression("#kind = :kind AND attribute_not_exists(#spent) AND #expires > :now")
                .expressionAttributeNames(Map.of("#spent", AccountItems.SPENT, "#kind", AccountItems.KIND,
                        "#expires", AccountItems.TOKEN_EXPIRES))
                .expressionAttributeValues(Map.of(":true", TRUE, ":kind", string(kind.wireName()),
                        ":now", number(now.toEpochMilli())))).build();
    }

    /** Runs a transaction; the cancellation reasons (possibly none) when a condition failed. */
    private Optional<List<CancellationReason>> transact(String operation, TransactWriteItem... items) {
        try {
            client.transactWriteItems(request -> request.transactItems(items));
            return Optional.empty();
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            boolean conditions = reasons.isEmpty() || reasons.stream()
                    .allMatch(reason -> failed(reason) || reason.code() == null || "None".equals(reason.code()));
            if (!conditions) {
                throw DynamoDbCalls.unavailable(operation, e);
            }
            return Optional.of(reasons);
        } catch (SdkException e) {
            throw DynamoDbCalls.unavailable(operation, e);
        }
    }

    private static boolean failed(CancellationReason reason) {
        return "ConditionalCheckFailed".equals(reason.code());
    }

    private Map<String, AttributeValue> read(String key) {
        GetItemResponse response = call("GetItem (account item)", () -> client.getItem(request -> request
                .tableName(tableName)
                .key(UserItems.key(key))
                .consistentRead(true)));
        return response.hasItem() ? response.item() : Map.of();
    }
}
