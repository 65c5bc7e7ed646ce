package dev.authfn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStore;
import dev.authfn.dynamodb.internal.UserItems;
import dev.authfn.testkit.SessionStoreContract;
import dev.authfn.testkit.UserStoreContract;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The user store contract against a real DynamoDB API, plus the stored item's format. */
@ExtendWith(DynamoDbEndpointExtension.class)
class DynamoDbUserStoreIT extends UserStoreContract {

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
    protected UserStore newUserStore() {
        return new DynamoDbUserStore(client, usersTable);
    }

    @Test
    void storesEveryAttributeUnderItsDocumentedNameAndType() {
        User user = newUser();
        users().create(user);

        Map<String, AttributeValue> item = rawItem(user.username());

        assertThat(item).containsOnlyKeys("username", "userId", "passwordHash", "roles", "permissions", "status",
                "failedLogins", "lockedUntil", "sessionEpoch");
        assertThat(item.get("sessionEpoch").n()).isEqualTo("0");
        assertThat(item.get("status").s()).isEqualTo("active");
        assertThat(item.get("permissions").l())
                .containsExactly(AttributeValue.fromS("posts:create"), AttributeValue.fromS("posts:read"));
        assertThat(item.get("failedLogins").n()).isEqualTo("0");
        assertThat(item.get("lockedUntil").n()).isEqualTo("0");
    }

    @Test
    void storesTheLockAsEpochMillisAndTheDisabledStatusAsItsWireName() {
        User user = newUser();
        users().create(user);
        for (int i = 0; i < 5; i++) {
            users().reserveAttempt(user.username(), T0, LockoutPolicy.DEFAULT);
        }
        users().disable(user.username());

        Map<String, AttributeValue> item = rawItem(user.username());

        assertThat(item.get("failedLogins").n()).isEqualTo("5");
        assertThat(item.get("lockedUntil").n()).isEqualTo(Long.toString(T0.plusSeconds(1).toEpochMilli()));
        assertThat(item.get("status").s()).isEqualTo("disabled");
    }

    @Test
    void keepsFailuresOfAnUnknownNameInAPhantomItemWithATtl() {
        String username = "nobody-" + SessionStoreContract.randomId();
        for (int i = 0; i < 5; i++) {
            users().reserveUnknownAttempt(username, T0, LockoutPolicy.DEFAULT);
        }

        Map<String, AttributeValue> item = rawItem(username);

        assertThat(item).containsOnlyKeys("username", "phantom", "failedLogins", "lockedUntil", "expiresAt");
        assertThat(item.get("phantom").bool()).isTrue();
        assertThat(item.get("failedLogins").n()).isEqualTo("5");
        assertThat(item.get("lockedUntil").n()).isEqualTo(Long.toString(T0.plusSeconds(1).toEpochMilli()));
        assertThat(item.get("expiresAt").n())
                .isEqualTo(Long.toString(T0.plus(Duration.ofMinutes(15 + 15)).getEpochSecond() + 1));
    }

    @Test
    void aUserCreatedOverAPhantomCarriesNoneOfItsAttributesAndNoTtl() {
        User user = newUser();
        users().reserveUnknownAttempt(user.username(), T0, LockoutPolicy.DEFAULT);

        users().create(user);

        assertThat(rawItem(user.username())).containsOnlyKeys("username", "userId", "passwordHash", "roles",
                "permissions", "status", "failedLogins", "lockedUntil", "sessionEpoch");
    }

    @Test
    void storesSessionRegistrationsAsAStringSetOfExpiryAndIdAndDropsThemWithTheEpoch() {
        User user = newUser();
        users().create(user);
        Instant expiry = T0.plus(Duration.ofHours(8));
        users().registerSession(user, "session-a", expiry, T0);

        Map<String, AttributeValue> registered = rawItem(user.username());
        users().closeSessionEpoch(user.username(), user.userId(), T0);
        Map<String, AttributeValue> closed = rawItem(user.username());

        assertThat(registered.get("sessions").ss()).containsExactly(expiry.toEpochMilli() + ":session-a");
        assertThat(closed).doesNotContainKey("sessions");
        assertThat(closed.get("sessionEpoch").n()).isEqualTo("1");
    }

    @Test
    void aUserItemWrittenBeforeSessionEpochsExistedIsInEpochZero() {
        User user = newUser();
        users().create(user);
        client.updateItem(request -> request.tableName(usersTable).key(UserItems.key(user.username()))
                .updateExpression("REMOVE sessionEpoch"));

        User read = users().get(user.username()).orElseThrow();

        assertThat(read.sessionEpoch()).isZero();
        assertThat(users().registerSession(read, "session-a", T0.plus(Duration.ofHours(8)), T0)).isTrue();
        assertThat(users().closeSessionEpoch(user.username(), user.userId(), T0)).contains(Set.of("session-a"));
    }

    private static Map<String, AttributeValue> rawItem(String username) {
        return client.getItem(request -> request.tableName(usersTable).key(UserItems.key(username)).consistentRead(true))
                .item();
    }
}
