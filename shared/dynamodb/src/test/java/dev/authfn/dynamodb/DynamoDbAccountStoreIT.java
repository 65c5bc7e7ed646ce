package dev.authfn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.account.MailToken;
import dev.authfn.core.account.StoredToken;
import dev.authfn.core.user.User;
import dev.authfn.dynamodb.internal.UserItems;
import dev.authfn.testkit.AccountStoreContract;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The account store contract against a real DynamoDB API, beside the user store in one users table. */
@ExtendWith(DynamoDbEndpointExtension.class)
class DynamoDbAccountStoreIT extends AccountStoreContract {

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
        return new Backing(new DynamoDbUserStore(client, usersTable), new DynamoDbAccountStore(client, usersTable));
    }

    @Override
    protected void removeUser(String username) {
        client.deleteItem(request -> request.tableName(usersTable).key(UserItems.key(username)));
    }

    @Test
    void keepsTheAddressOnTheUserAndTheClaimAndTokenInTheirOwnItems() {
        User user = newUser();
        accounts().register(user, dev.authfn.testkit.AccountStoreContract.STAND_IN_EXPIRY);
        MailToken token = MailToken.generate(new SecureRandom());
        Instant expiry = T0.plus(Duration.ofMinutes(30));
        accounts().issue(new StoredToken(token.hash(), MailToken.Kind.RESET_PASSWORD, user.username(), user.userId(),
                user.email(), 0, expiry, false));

        Map<String, AttributeValue> userItem = rawItem(user.username());
        Map<String, AttributeValue> claim = rawItem("email#" + user.email());
        Map<String, AttributeValue> tokenItem = rawItem("token#" + token.hash());

        assertThat(userItem.get("email").s()).isEqualTo(user.email());
        assertThat(userItem.get("emailVerified").bool()).isFalse();
        assertThat(userItem.get("resetGeneration").n()).isEqualTo("1");
        assertThat(claim).containsOnlyKeys("username", "claimOf");
        assertThat(claim.get("claimOf").s()).isEqualTo(user.username());
        assertThat(tokenItem).containsOnlyKeys("username", "kind", "owner", "ownerId", "sentTo", "generation",
                "tokenExpires", "expiresAt");
        assertThat(tokenItem.get("kind").s()).isEqualTo("reset");
        assertThat(tokenItem.get("tokenExpires").n()).isEqualTo(Long.toString(expiry.toEpochMilli()));
        assertThat(tokenItem.get("expiresAt").n())
                .isEqualTo(Long.toString(expiry.plus(Duration.ofDays(1)).getEpochSecond()));
        assertThat(String.join(" ", tokenItem.values().stream().map(AttributeValue::toString).toList()))
                .as("only the hash is stored").doesNotContain(token.value());
    }

    @Test
    void countsMailUnderAHashOfTheKeyWithATwoHourTtl() {
        String key = "reset:someone@example.com";
        Instant hour = T0.truncatedTo(ChronoUnit.HOURS);
        accounts().countMail(key, T0, 5);

        Map<String, AttributeValue> item = rawItem("mailcount#" + MailToken.hash(key) + "#" + hour.getEpochSecond());

        assertThat(item.get("count").n()).isEqualTo("1");
        assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(hour.plus(Duration.ofHours(2)).getEpochSecond()));
    }

    private static Map<String, AttributeValue> rawItem(String key) {
        return client.getItem(request -> request.tableName(usersTable).key(UserItems.key(key)).consistentRead(true))
                .item();
    }
}
