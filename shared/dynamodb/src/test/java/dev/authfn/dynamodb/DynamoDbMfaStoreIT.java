package dev.authfn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.mfa.MfaStore.Attempt;
import dev.authfn.core.user.User;
import dev.authfn.dynamodb.internal.UserItems;
import dev.authfn.testkit.MfaStoreContract;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The second-factor store contract against a real DynamoDB API, on the users table, plus the stored format. */
@ExtendWith(DynamoDbEndpointExtension.class)
class DynamoDbMfaStoreIT extends MfaStoreContract {

    private static final String USER_ATTRIBUTES_WITHOUT_FACTOR = "username userId passwordHash roles permissions status"
            + " failedLogins lockedUntil sessionEpoch";

    private static DynamoDbClient client;
    private static String usersTable;

    @BeforeAll
    static void createTables(DynamoDbTestEndpoint endpoint) {
        client = DynamoDbClients.create(endpoint.endpoint(), endpoint.region(), endpoint.credentials());
        usersTable = endpoint.freshTableName("authfn-users");
        TableDefinitions.createUsersTable(client, usersTable);
    }

    @AfterAll
    static void deleteTables() {
        if (client != null) {
            client.deleteTable(request -> request.tableName(usersTable));
            client.close();
        }
    }

    @Override
    protected Backing newBacking() {
        return new Backing(new DynamoDbUserStore(client, usersTable), new DynamoDbAccountStore(client, usersTable),
                new DynamoDbMfaStore(client, usersTable));
    }

    @Override
    protected void removeUser(String username) {
        client.deleteItem(request -> request.tableName(usersTable).key(UserItems.key(username)));
    }

    @Test
    void keepsAPendingFactorOnTheUserItemWithoutTheMark() {
        User user = stored();
        mfa().beginTotp(user.username(), user.userId(), "k1.sealed", T0);

        Map<String, AttributeValue> item = rawItem(user.username());

        assertThat(item).containsOnlyKeys((USER_ATTRIBUTES_WITHOUT_FACTOR + " totpState totpSecret totpEnrolledAt")
                .split(" "));
        assertThat(item.get("totpState").s()).isEqualTo("pending");
        assertThat(item.get("totpSecret").s()).isEqualTo("k1.sealed");
        assertThat(item.get("totpEnrolledAt").n()).isEqualTo(Long.toString(T0.toEpochMilli()));
    }

    @Test
    void keepsAConfirmedFactorAsTheMarkTheStateTheStepAndASetOfCodeHashes() {
        Set<String> codes = codes(2);
        User user = enrolled(codes);

        Map<String, AttributeValue> item = rawItem(user.username());

        assertThat(item).containsOnlyKeys((USER_ATTRIBUTES_WITHOUT_FACTOR
                + " mfa totpState totpSecret totpLastStep totpEnrolledAt recoveryCodes").split(" "));
        assertThat(item.get("mfa").s()).isEqualTo("totp");
        assertThat(item.get("totpState").s()).isEqualTo("confirmed");
        assertThat(item.get("totpLastStep").n()).isEqualTo(Long.toString(STEP));
        assertThat(item.get("totpEnrolledAt").n()).isEqualTo(Long.toString(T0.plusSeconds(20).toEpochMilli()));
        assertThat(item.get("recoveryCodes").ss()).containsExactlyInAnyOrderElementsOf(codes);
    }

    @Test
    void spendingTheLastRecoveryCodeRemovesTheEmptiedSet() {
        Set<String> codes = codes(1);
        User user = enrolled(codes);

        mfa().spendRecoveryCode(user.username(), user.userId(), codes.iterator().next(), Optional.empty());

        assertThat(rawItem(user.username())).doesNotContainKey("recoveryCodes").containsKey("mfa");
    }

    @Test
    void removingLeavesTheUserItemAsBeforeEnrolment() {
        User user = enrolled();

        mfa().removeTotp(user.username(), user.userId());

        assertThat(rawItem(user.username())).containsOnlyKeys(USER_ATTRIBUTES_WITHOUT_FACTOR.split(" "));
    }

    @Test
    void keepsASpentAttemptInAnItemOfItsOwnUntilADayAfterItsExpiry() {
        User user = enrolled();
        Attempt attempt = new Attempt(newAttempt().attemptHash(), Instant.parse("2100-01-01T08:05:00.250Z"));

        mfa().spendTotpStep(user.username(), user.userId(), STEP + 1, Optional.of(attempt));

        Map<String, AttributeValue> item = rawItem("mfaattempt#" + attempt.attemptHash());
        assertThat(item).containsOnlyKeys("username", "expiresAt");
        assertThat(item.get("expiresAt").n()).as("epoch seconds, rounded up").isEqualTo(Long.toString(
                attempt.expiresAt().plus(Duration.ofDays(1)).getEpochSecond() + 1));
    }

    @Test
    void aUserItemWithoutFactorAttributesReadsAsNotEnrolled() {
        User user = stored();

        assertThat(users().get(user.username()).orElseThrow().mfaEnrolled()).isFalse();
        assertThat(mfa().totp(user.username())).isEmpty();
    }

    private static Map<String, AttributeValue> rawItem(String key) {
        return client.getItem(request -> request.tableName(usersTable).key(UserItems.key(key)).consistentRead(true))
                .item();
    }
}
