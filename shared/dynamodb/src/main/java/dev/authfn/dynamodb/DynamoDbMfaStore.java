package dev.authfn.dynamodb;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.mfa.MfaStore;
import dev.authfn.dynamodb.internal.DynamoDbCalls;
import dev.authfn.dynamodb.internal.MfaItems;
import dev.authfn.dynamodb.internal.UserItems;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * {@link MfaStore} on the users table: the factor is attributes of the user's own item, spent
 * login attempts are items of their own ({@link MfaItems}, shared/dynamodb/README.md "Second
 * factor"). Every write is one {@code UpdateItem} of the user item, conditional on
 * {@code userId = :userId} (so neither a phantom nor a user re-created under the name is ever
 * touched) and on the factor's state; a spend with an attempt is that update and a {@code PutItem}
 * of the attempt on {@code attribute_not_exists}, in one {@code TransactWriteItems}, so both
 * happen or neither does. The other writes of the user item ({@link DynamoDbUserStore},
 * {@link DynamoDbAccountStore}) update attributes of their own and leave these alone; only
 * {@code create} puts a whole item, and only where no user is.
 *
 * <p>A failed condition is told apart from the item as it stood, which DynamoDB returns with the
 * refusal ({@code ReturnValuesOnConditionCheckFailure: ALL_OLD}; read only when it does not), and
 * in a transaction from each part's cancellation reason. A write that meets a concurrent
 * transaction on the item ({@code TransactionConflict}: two spends of one user at once) is tried
 * again, at most {@value #MAX_TRIES} times in all, then fails closed with
 * {@link StoreUnavailableException}. The SDK gives each transaction a client request token, so its
 * own retries after a lost answer are idempotent.
 */
public final class DynamoDbMfaStore implements MfaStore {

    static final int MAX_TRIES = 3;

    private static final AttributeValue PENDING = string(MfaItems.PENDING);
    private static final AttributeValue CONFIRMED = string(MfaItems.CONFIRMED);

    private static final Map<String, String> NAMES = Map.of(
            "#userId", UserItems.USER_ID,
            "#mfa", UserItems.MFA,
            "#state", MfaItems.TOTP_STATE,
            "#secret", MfaItems.TOTP_SECRET,
            "#lastStep", MfaItems.TOTP_LAST_STEP,
            "#enrolledAt", MfaItems.TOTP_ENROLLED_AT,
            "#codes", MfaItems.RECOVERY_CODES);

    private final DynamoDbClient client;
    private final String tableName;

    public DynamoDbMfaStore(DynamoDbClient client, String tableName) {
        this.client = Objects.requireNonNull(client, "client");
        this.tableName = Objects.requireNonNull(tableName, "tableName");
    }

    @Override
    public Optional<TotpFactor> totp(String username) {
        return MfaItems.factor(read(username));
    }

    @Override
    public boolean beginTotp(String username, String userId, String sealedSecret, Instant now) {
        Objects.requireNonNull(sealedSecret, "sealedSecret");
        return update("UpdateItem (begin TOTP)", new Write(username,
                "SET #secret = :secret, #state = :pending, #enrolledAt = :now",
                "#userId = :userId AND (attribute_not_exists(#state) OR #state = :pending)",
                Map.of(":userId", string(userId), ":secret", string(sealedSecret), ":pending", PENDING,
                        ":now", millis(now)),
                List.of("#userId", "#secret", "#state", "#enrolledAt")));
    }

    /** Sets every attribute of a confirmed factor at once; an empty set of codes is no attribute (sets cannot be empty). */
    @Override
    public boolean confirmTotp(String username, String userId, String sealedSecret, long step,
            Set<String> recoveryCodeHashes, Instant now) {
        Map<String, AttributeValue> values = new HashMap<>(Map.of(
                ":userId", string(userId), ":secret", string(sealedSecret), ":pending", PENDING,
                ":confirmed", CONFIRMED, ":totp", string(UserItems.MFA_TOTP), ":step", number(step),
                ":now", millis(now)));
        String set = "SET #state = :confirmed, #mfa = :totp, #lastStep = :step, #enrolledAt = :now";
        if (recoveryCodeHashes.isEmpty()) {
            set += " REMOVE #codes";
        } else {
            set += ", #codes = :codes";
            values.put(":codes", AttributeValue.fromSs(List.copyOf(recoveryCodeHashes)));
        }
        return update("UpdateItem (confirm TOTP)", new Write(username, set,
                "#userId = :userId AND #state = :pending AND #secret = :secret", values,
                List.of("#userId", "#secret", "#state", "#mfa", "#lastStep", "#enrolledAt", "#codes")));
    }

    @Override
    public Spend spendTotpStep(String username, String userId, long step, Optional<Attempt> attempt) {
        return spend("TOTP step", new Write(username, "SET #lastStep = :step",
                "#userId = :userId AND #state = :confirmed AND #lastStep < :step",
                Map.of(":userId", string(userId), ":confirmed", CONFIRMED, ":step", number(step)),
                List.of("#userId", "#state", "#lastStep")), userId, attempt);
    }

    /** {@code DELETE #codes :code} on condition {@code contains(#codes, :hash)}: one code, once. */
    @Override
    public Spend spendRecoveryCode(String username, String userId, String codeHash, Optional<Attempt> attempt) {
        return spend("recovery code", new Write(username, "DELETE #codes :code",
                "#userId = :userId AND #state = :confirmed AND contains(#codes, :hash)",
                Map.of(":userId", string(userId), ":confirmed", CONFIRMED, ":hash", string(codeHash),
                        ":code", AttributeValue.fromSs(List.of(codeHash))),
                List.of("#userId", "#state", "#codes")), userId, attempt);
    }

    @Override
    public boolean removeTotp(String username, String userId) {
        return update("UpdateItem (remove TOTP)", new Write(username,
                "REMOVE #mfa, #state, #secret, #lastStep, #enrolledAt, #codes",
                "#userId = :userId AND attribute_exists(#state)",
                Map.of(":userId", string(userId)),
                List.of("#userId", "#mfa", "#state", "#secret", "#lastStep", "#enrolledAt", "#codes")));
    }

    /** One conditional update of a user item: its expressions, values and the placeholders of {@link #NAMES} it uses. */
    private record Write(String username, String update, String condition, Map<String, AttributeValue> values,
            List<String> names) {

        Map<String, String> attributeNames() {
            Map<String, String> used = new HashMap<>();
            for (String name : names) {
                used.put(name, NAMES.get(name));
            }
            return used;
        }
    }

    private boolean update(String operation, Write write) {
        try {
            retryingConflicts(operation, () -> client.updateItem(request -> request
                    .tableName(tableName)
                    .key(UserItems.key(write.username()))
                    .updateExpression(write.update())
                    .conditionExpression(write.condition())
                    .expressionAttributeNames(write.attributeNames())
                    .expressionAttributeValues(write.values())));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Spends with {@code write} alone, or with the attempt in one transaction. On refusal the item
     * as it stood says whether the user has a confirmed factor (else {@link Spend#NO_FACTOR});
     * the attempt's own cancellation reason says whether it was spent.
     */
    private Spend spend(String what, Write write, String userId, Optional<Attempt> attempt) {
        if (attempt.isEmpty()) {
            try {
                retryingConflicts("UpdateItem (spend " + what + ")", () -> client.updateItem(request -> request
                        .tableName(tableName)
                        .key(UserItems.key(write.username()))
                        .updateExpression(write.update())
                        .conditionExpression(write.condition())
                        .expressionAttributeNames(write.attributeNames())
                        .expressionAttributeValues(write.values())
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
                return Spend.SPENT;
            } catch (ConditionalCheckFailedException e) {
                Map<String, AttributeValue> stood = e.hasItem() ? e.item() : read(write.username());
                return MfaItems.hasConfirmedFactor(stood, userId) ? Spend.CODE_SPENT : Spend.NO_FACTOR;
            }
        }
        String operation = "TransactWriteItems (spend " + what + " and login attempt)";
        TransactWriteItem factor = TransactWriteItem.builder().update(update -> update
                .tableName(tableName)
                .key(UserItems.key(write.username()))
                .updateExpression(write.update())
                .conditionExpression(write.condition())
                .expressionAttributeNames(write.attributeNames())
                .expressionAttributeValues(write.values())
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build();
        TransactWriteItem spentAttempt = TransactWriteItem.builder().put(put -> put
                .tableName(tableName)
                .item(MfaItems.spentAttempt(attempt.get()))
                .conditionExpression("attribute_not_exists(#key)")
                .expressionAttributeNames(Map.of("#key", UserItems.USERNAME))).build();
        try {
            retryingConflicts(operation, () -> client.transactWriteItems(request -> request
                    .transactItems(factor, spentAttempt)));
            return Spend.SPENT;
        } catch (TransactionCanceledException e) {
            List<CancellationReason> reasons = e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
            if (reasons.size() != 2 || !reasons.stream().allMatch(reason -> conditionFailed(reason) || passed(reason))
                    || reasons.stream().noneMatch(DynamoDbMfaStore::conditionFailed)) {
                throw DynamoDbCalls.unavailable(operation, e);
            }
            if (conditionFailed(reasons.get(0))) {
                CancellationReason refused = reasons.get(0);
                Map<String, AttributeValue> stood = refused.hasItem() ? refused.item() : read(write.username());
                if (!MfaItems.hasConfirmedFactor(stood, userId)) {
                    return Spend.NO_FACTOR;
                }
            }
            return conditionFailed(reasons.get(1)) ? Spend.ATTEMPT_SPENT : Spend.CODE_SPENT;
        }
    }

    /**
     * Runs one write, again after a short, growing pause when it met a concurrent transaction on
     * the item (nothing was written then), at most {@link #MAX_TRIES} times. A failed condition
     * (as {@link ConditionalCheckFailedException}, or a transaction cancelled by conditions) goes
     * to the caller; any other failure becomes {@link StoreUnavailableException}.
     */
    private <T> T retryingConflicts(String operation, Supplier<T> write) {
        for (int tries = 1; ; tries++) {
            SdkException conflict;
            try {
                return write.get();
            } catch (ConditionalCheckFailedException e) {
                throw e;
            } catch (TransactionCanceledException e) {
                if (!e.hasCancellationReasons()
                        || e.cancellationReasons().stream().noneMatch(DynamoDbMfaStore::conflicted)) {
                    throw e;
                }
                conflict = e;
            } catch (TransactionConflictException e) {
                conflict = e;
            } catch (SdkException e) {
                throw DynamoDbCalls.unavailable(operation, e);
            }
            if (tries == MAX_TRIES) {
                throw new StoreUnavailableException("DynamoDB " + operation + " failed: TransactionConflict in each of "
                        + MAX_TRIES + " tries", conflict);
            }
            pause(tries);
        }
    }

    /** 10–20 ms, then 20–40 ms: long enough for the other transaction (a few ms) to finish. */
    private static void pause(int tries) {
        long millis = 10L << (tries - 1);
        try {
            Thread.sleep(millis + ThreadLocalRandom.current().nextLong(millis + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while retrying a DynamoDB write", e);
        }
    }

    private static boolean conditionFailed(CancellationReason reason) {
        return "ConditionalCheckFailed".equals(reason.code());
    }

    private static boolean conflicted(CancellationReason reason) {
        return "TransactionConflict".equals(reason.code());
    }

    private static boolean passed(CancellationReason reason) {
        return reason.code() == null || "None".equals(reason.code());
    }

    /** The item under {@code username}, strongly consistent; empty when there is none. */
    private Map<String, AttributeValue> read(String username) {
        GetItemResponse response = DynamoDbCalls.call("GetItem (get TOTP factor)", () -> client.getItem(request -> request
                .tableName(tableName)
                .key(UserItems.key(username))
                .consistentRead(true)));
        return response.hasItem() ? response.item() : Map.of();
    }
}
