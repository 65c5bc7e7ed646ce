package dev.authfn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.oauth.AuthorizationCode;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.OAuthStore.Reused;
import dev.authfn.core.oauth.OAuthStore.Spent;
import dev.authfn.core.oauth.OAuthStore.Unknown;
import dev.authfn.dynamodb.internal.OAuthItems;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * What no emulator produces on demand: a refusal without the item, transactions that meet
 * another write or are cancelled for another reason, a client that changes while it is removed,
 * outages, scans of several pages. A scripted client answers; the outcomes a real DynamoDB API
 * gives are {@link DynamoDbOAuthStoreIT}'s.
 */
class DynamoDbOAuthStoreTest {

    private static final Instant T0 = Instant.parse("2100-01-01T08:00:00Z");
    private static final String HASH = "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0";
    private static final AuthorizationCode CODE = new AuthorizationCode(HASH, "spa", "https://app.example/cb",
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Set.of("openid"), Optional.empty(), "id-1", "alice",
            "session-1", List.of("pwd"), T0, T0, T0.plusSeconds(60));
    private static final OAuthClient SPA = new OAuthClient("spa", Optional.empty(),
            List.of("https://app.example/cb", "https://admin.example/cb"), Set.of("openid"), T0);

    private final Scripted client = new Scripted();
    private final DynamoDbOAuthStore store = new DynamoDbOAuthStore(client, "users");

    // --- spending a code ---

    @Test
    void spendsWithOneConditionalUpdateThatAsksForTheItemEitherWay() {
        client.updates.add(() -> UpdateItemResponse.builder().attributes(spent("grant-1")).build());

        assertThat(store.spendCode(HASH, "grant-1", T0)).isEqualTo(new Spent(CODE));

        UpdateItemRequest update = client.updatesSent.getFirst();
        assertThat(update.key()).isEqualTo(OAuthItems.codeKey(HASH));
        assertThat(update.updateExpression()).isEqualTo("SET #grant = :grant");
        assertThat(update.conditionExpression()).isEqualTo("attribute_exists(#key) AND attribute_not_exists(#grant)");
        assertThat(update.expressionAttributeNames()).containsEntry("#grant", "grantSession")
                .containsEntry("#key", "username");
        assertThat(update.expressionAttributeValues().get(":grant").s()).isEqualTo("grant-1");
        assertThat(update.returnValues()).isEqualTo(ReturnValue.ALL_NEW);
        assertThat(update.returnValuesOnConditionCheckFailure()).isEqualTo(ReturnValuesOnConditionCheckFailure.ALL_OLD);
    }

    @Test
    void aRefusedSpendWithTheItemNeedsNoRead() {
        client.updates.add(() -> {
            throw conditionFailed(spent("grant-1"));
        });

        assertThat(store.spendCode(HASH, "grant-2", T0)).isEqualTo(new Reused(CODE, "grant-1"));
        assertThat(client.reads).isEmpty();
    }

    @Test
    void aRefusedSpendWithoutTheItemIsToldFromAStronglyConsistentRead() {
        client.updates.add(() -> {
            throw conditionFailed(null);
        });
        client.items.add(spent("grant-1"));

        assertThat(store.spendCode(HASH, "grant-2", T0)).isEqualTo(new Reused(CODE, "grant-1"));
        assertThat(client.reads).singleElement().satisfies(read -> {
            assertThat(read.consistentRead()).isTrue();
            assertThat(read.key()).isEqualTo(OAuthItems.codeKey(HASH));
        });

        client.updates.add(() -> {
            throw conditionFailed(null);
        });
        client.items.add(Map.of());

        assertThat(store.spendCode(HASH, "grant-3", T0)).isEqualTo(new Unknown());
    }

    @Test
    void aRefusedSpendOfACodeThatIsNotSpentFailsClosed() {
        client.updates.add(() -> {
            throw conditionFailed(null);
        });
        client.items.add(OAuthItems.toItem(CODE));

        assertThatThrownBy(() -> store.spendCode(HASH, "grant-1", T0))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB UpdateItem (spend OAuth code) failed: the code was refused but is not spent");
    }

    // --- clients ---

    @Test
    void addsAClientWithItsOriginsInOneTransaction() {
        client.transactions.add(() -> TransactWriteItemsResponse.builder().build());

        assertThat(store.addClient(SPA)).isTrue();

        var items = client.transactionsSent.getFirst().transactItems();
        assertThat(items).hasSize(3);
        assertThat(items.get(0).put().item()).isEqualTo(OAuthItems.toItem(SPA));
        assertThat(items.get(0).put().conditionExpression()).isEqualTo("attribute_not_exists(#key)");
        assertThat(items.get(1).update().key()).isEqualTo(OAuthItems.originKey("https://app.example"));
        assertThat(items.get(1).update().updateExpression()).isEqualTo("ADD #ids :id");
        assertThat(items.get(1).update().expressionAttributeValues().get(":id").ss()).containsExactly("spa");
        assertThat(items.get(2).update().key()).isEqualTo(OAuthItems.originKey("https://admin.example"));
    }

    @Test
    void anAddThatMetAnotherTransactionIsSentAgain() {
        client.transactions.add(() -> {
            throw cancelled(reason("None"), reason("TransactionConflict"), reason("None"));
        });
        client.transactions.add(() -> TransactWriteItemsResponse.builder().build());

        assertThat(store.addClient(SPA)).isTrue();
        assertThat(client.transactionsSent).hasSize(2);
    }

    @Test
    void anAddCancelledForAnotherReasonFailsClosed() {
        client.transactions.add(() -> {
            throw cancelled(reason("None"), reason("ValidationError"), reason("None"));
        });

        assertThatThrownBy(() -> store.addClient(SPA))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB TransactWriteItems (add OAuth client) failed: TransactionCanceledException (HTTP 400)");
    }

    @Test
    void aClientChangedWhileBeingRemovedIsReadAgain() {
        client.items.add(OAuthItems.toItem(SPA));
        client.transactions.add(() -> {
            throw cancelled(reason("ConditionalCheckFailed"), reason("None"), reason("None"));
        });
        client.items.add(Map.of());

        assertThat(store.removeClient("spa")).as("another removal came first").isFalse();

        var items = client.transactionsSent.getFirst().transactItems();
        assertThat(items.get(0).delete().conditionExpression()).isEqualTo("#createdAt = :createdAt");
        assertThat(items.get(1).update().updateExpression()).isEqualTo("DELETE #ids :id");
        assertThat(client.reads).hasSize(2).allSatisfy(read -> assertThat(read.consistentRead()).isTrue());
    }

    @Test
    void aClientThatKeepsChangingWhileBeingRemovedFailsClosed() {
        for (int i = 0; i < DynamoDbOAuthStore.REMOVE_TRIES; i++) {
            client.items.add(OAuthItems.toItem(SPA));
            client.transactions.add(() -> {
                throw cancelled(reason("ConditionalCheckFailed"), reason("None"), reason("None"));
            });
        }

        assertThatThrownBy(() -> store.removeClient("spa"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB TransactWriteItems (remove OAuth client) failed: the client changed 3 times while "
                        + "it was being removed");
    }

    @Test
    void listsClientsFromEveryPageOfTheScanById() {
        Map<String, AttributeValue> last = OAuthItems.clientKey("b");
        OAuthClient b = new OAuthClient("b", Optional.empty(), List.of(), Set.of(), T0);
        OAuthClient a = new OAuthClient("a", Optional.empty(), List.of(), Set.of(), T0);
        client.scans.add(ScanResponse.builder().items(OAuthItems.toItem(b)).lastEvaluatedKey(last).build());
        client.scans.add(ScanResponse.builder().items(OAuthItems.toItem(a)).build());

        assertThat(store.clients()).containsExactly(a, b);

        assertThat(client.scansSent).hasSize(2).allSatisfy(scan -> {
            assertThat(scan.consistentRead()).isTrue();
            assertThat(scan.filterExpression()).isEqualTo("begins_with(#key, :prefix)");
            assertThat(scan.expressionAttributeValues().get(":prefix").s()).isEqualTo("oauthclient#");
        });
        assertThat(client.scansSent.get(1).exclusiveStartKey()).isEqualTo(last);
    }

    // --- what asks nothing, and outages ---

    @Test
    void anInputTooLongForAKeyOrNoClientIdAsksNothing() {
        String tooLong = "x".repeat(2048);

        assertThat(store.isCorsOrigin("https://" + tooLong)).isFalse();
        assertThat(store.isCorsOrigin("")).isFalse();
        assertThat(store.isCorsOrigin(null)).isFalse();
        assertThat(store.spendCode(tooLong, "grant", T0)).isEqualTo(new Unknown());
        assertThat(store.spendCode(null, "grant", T0)).isEqualTo(new Unknown());
        assertThat(store.family(tooLong)).isEmpty();
        assertThat(store.removeFamily(tooLong)).isFalse();
        assertThat(store.client("no such id")).isEmpty();
        assertThat(store.removeClient("x".repeat(65))).isFalse();
        assertThat(OAuthItems.originFits("x".repeat(2048 - "oauthorigin#".length()))).isTrue();
        assertThat(OAuthItems.originFits("x".repeat(2049 - "oauthorigin#".length()))).isFalse();
        assertThat(client.reads).isEmpty();
        assertThat(client.updatesSent).isEmpty();
    }

    @Test
    void anOutageFailsClosedNamingTheOperation() {
        client.failure = (DynamoDbException) DynamoDbException.builder().statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServerError").build()).build();

        assertThatThrownBy(() -> store.isCorsOrigin("https://app.example"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB GetItem (OAuth CORS origin) failed: InternalServerError (HTTP 500)");
        assertThatThrownBy(() -> store.client("spa"))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("DynamoDB GetItem (OAuth client) failed: InternalServerError (HTTP 500)");
    }

    // --- the function's stores ---

    @Test
    void aFunctionWithAUsersTableHasThisStoreAndOneWithoutHasNone() {
        Map<String, String> environment = Map.of("AWS_REGION", "us-east-1");
        DynamoDbStores with = new DynamoDbStores(AuthfnConfig.fromEnvironment(Map.of(
                AuthfnConfig.ENV_SESSIONS_TABLE, "sessions", AuthfnConfig.ENV_USERS_TABLE, "users"), Set.of()),
                environment);
        DynamoDbStores without = new DynamoDbStores(AuthfnConfig.fromEnvironment(Map.of(
                AuthfnConfig.ENV_SESSIONS_TABLE, "sessions"), Set.of()), environment);

        assertThat(with.isOpen()).isFalse();
        assertThat(with.oauth()).isInstanceOf(DynamoDbOAuthStore.class);
        assertThatThrownBy(without::oauth).isInstanceOf(IllegalStateException.class)
                .hasMessage("AUTHFN_USERS_TABLE is required by this function");
        assertThat(without.isOpen()).isFalse();
    }

    private static Map<String, AttributeValue> spent(String grant) {
        Map<String, AttributeValue> item = new HashMap<>(OAuthItems.toItem(CODE));
        item.put("grantSession", AttributeValue.fromS(grant));
        return item;
    }

    private static ConditionalCheckFailedException conditionFailed(Map<String, AttributeValue> item) {
        ConditionalCheckFailedException.Builder builder = ConditionalCheckFailedException.builder()
                .message("The conditional request failed").statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ConditionalCheckFailedException").build());
        if (item != null) {
            builder.item(item);
        }
        return (ConditionalCheckFailedException) builder.build();
    }

    private static CancellationReason reason(String code) {
        return CancellationReason.builder().code(code).build();
    }

    private static TransactionCanceledException cancelled(CancellationReason... reasons) {
        return (TransactionCanceledException) TransactionCanceledException.builder()
                .message("Transaction cancelled")
                .cancellationReasons(Arrays.asList(reasons))
                .statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("TransactionCanceledException").build())
                .build();
    }

    /** Answers each call with the next scripted answer, or fails every call with {@link #failure}. */
    private static final class Scripted implements DynamoDbClient {
        final Deque<Supplier<TransactWriteItemsResponse>> transactions = new ArrayDeque<>();
        final Deque<Supplier<UpdateItemResponse>> updates = new ArrayDeque<>();
        final Deque<Map<String, AttributeValue>> items = new ArrayDeque<>();
        final Deque<ScanResponse> scans = new ArrayDeque<>();
        final List<TransactWriteItemsRequest> transactionsSent = new ArrayList<>();
        final List<UpdateItemRequest> updatesSent = new ArrayList<>();
        final List<GetItemRequest> reads = new ArrayList<>();
        final List<ScanRequest> scansSent = new ArrayList<>();
        DynamoDbException failure;

        @Override
        public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest request) {
            transactionsSent.add(request);
            return transactions.removeFirst().get();
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest request) {
            updatesSent.add(request);
            return updates.removeFirst().get();
        }

        @Override
        public GetItemResponse getItem(GetItemRequest request) {
            reads.add(request);
            if (failure != null) {
                throw failure;
            }
            return GetItemResponse.builder().item(items.removeFirst()).build();
        }

        @Override
        public ScanResponse scan(ScanRequest request) {
            scansSent.add(request);
            return scans.removeFirst();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }
}
