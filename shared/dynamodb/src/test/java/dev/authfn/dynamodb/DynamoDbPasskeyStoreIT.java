package dev.authfn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyStore.Ceremony;
import dev.authfn.core.passkey.PasskeyStore.Challenge;
import dev.authfn.core.passkey.PasskeyStore.Registrant;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.dynamodb.internal.UserItems;
import dev.authfn.testkit.PasskeyStoreContract;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The passkey store contract against a real DynamoDB API, on the users table, plus the stored format. */
@ExtendWith(DynamoDbEndpointExtension.class)
class DynamoDbPasskeyStoreIT extends PasskeyStoreContract {

    private static final String USER_ATTRIBUTES = "username userId passwordHash roles permissions status"
            + " failedLogins lockedUntil sessionEpoch";
    private static final String PASSKEY_ATTRIBUTES = "username credentialId owner ownerId userHandle publicKey"
            + " signCount aaguid transports backupEligible backedUp name createdAt flagged";

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
        return new Backing(new DynamoDbUserStore(client, usersTable), new DynamoDbPasskeyStore(client, usersTable));
    }

    @Override
    protected void removeUser(String username) {
        client.deleteItem(request -> request.tableName(usersTable).key(UserItems.key(username)));
    }

    @Test
    void keepsEachPasskeyInAnItemOfItsOwnThatNamesItsUserWithoutAUserId() {
        User user = stored();
        Passkey passkey = new Passkey(randomBase64Url(32), user.username(), user.userId(), "aGFuZGxl", "cHVibGlj", 5,
                "adce0002-35bc-c60a-648b-0b25f1f05503", List.of("internal", "hybrid"), true, false, "Phone",
                T0, Optional.empty(), false);
        passkeys().add(passkey, MAX);

        Map<String, AttributeValue> item = rawItem("passkey#" + passkey.credentialId());

        assertThat(item).containsOnlyKeys(PASSKEY_ATTRIBUTES.split(" "));
        assertThat(item.get("credentialId").s()).isEqualTo(passkey.credentialId());
        assertThat(item.get("owner").s()).isEqualTo(user.username());
        assertThat(item.get("ownerId").s()).isEqualTo(user.userId());
        assertThat(item.get("userHandle").s()).isEqualTo("aGFuZGxl");
        assertThat(item.get("publicKey").s()).isEqualTo("cHVibGlj");
        assertThat(item.get("signCount").n()).isEqualTo("5");
        assertThat(item.get("transports").l()).extracting(AttributeValue::s).containsExactly("internal", "hybrid");
        assertThat(item.get("backupEligible").bool()).isTrue();
        assertThat(item.get("backedUp").bool()).isFalse();
        assertThat(item.get("createdAt").n()).isEqualTo(Long.toString(T0.toEpochMilli()));
        assertThat(item.get("flagged").bool()).isFalse();
    }

    @Test
    void recordsAUseAndAFlagInThePasskeyItem() {
        User user = stored();
        Passkey passkey = added(user);
        Instant used = T0.plusSeconds(60);
        Instant flagged = T0.plusSeconds(120);

        passkeys().recordUse(passkey.credentialId(), passkey.signCount(), 9, true, used);
        passkeys().flag(passkey.credentialId(), flagged);
        passkeys().flag(passkey.credentialId(), flagged.plusSeconds(60));

        Map<String, AttributeValue> item = rawItem("passkey#" + passkey.credentialId());
        assertThat(item.get("signCount").n()).isEqualTo("9");
        assertThat(item.get("backedUp").bool()).isTrue();
        assertThat(item.get("lastUsedAt").n()).isEqualTo(Long.toString(used.toEpochMilli()));
        assertThat(item.get("flagged").bool()).isTrue();
        assertThat(item.get("flaggedAt").n()).as("the first flag's time").isEqualTo(Long.toString(flagged.toEpochMilli()));
    }

    @Test
    void aPasskeyItemIsNeverReadAsAUser() {
        User user = stored();
        Passkey passkey = added(user);
        String key = "passkey#" + passkey.credentialId();

        assertThat(users().get(key)).isEmpty();
        assertThat(users().lookup(key, T0)).isEqualTo(UserLookup.Unknown.NEVER_FAILED);
        assertThat(users().disable(key)).isFalse();
        assertThat(users().replacePasswordHash(key, "$argon2id$v=19$m=19456,t=2,p=1$YQ$YQ")).isFalse();
        assertThat(users().reserveAttempt(key, T0, LockoutPolicy.DEFAULT))
                .isInstanceOf(dev.authfn.core.user.AttemptReservation.KindChanged.class);
        assertThat(rawItem(key)).containsOnlyKeys(PASSKEY_ATTRIBUTES.split(" "));
    }

    @Test
    void keepsTheHandleAndASetOfCredentialIdsOnTheUserItemBesideItsOtherAttributes() {
        User user = stored();
        passkeys().userHandle(user.username(), user.userId(), "the-handle");
        Passkey one = added(user);
        Passkey two = added(user, T0.plusSeconds(1));

        Map<String, AttributeValue> item = rawItem(user.username());

        assertThat(item).containsOnlyKeys((USER_ATTRIBUTES + " passkeyHandle passkeys").split(" "));
        assertThat(item.get("passkeyHandle").s()).isEqualTo("the-handle");
        assertThat(item.get("passkeys").ss()).containsExactlyInAnyOrder(one.credentialId(), two.credentialId());
        assertThat(users().get(user.username())).contains(user);
    }

    @Test
    void removingTheLastPasskeyRemovesTheEmptiedSetAndKeepsTheHandle() {
        User user = stored();
        passkeys().userHandle(user.username(), user.userId(), "the-handle");
        Passkey passkey = added(user);

        passkeys().remove(user.username(), user.userId(), passkey.credentialId());

        assertThat(rawItem(user.username())).containsOnlyKeys((USER_ATTRIBUTES + " passkeyHandle").split(" "));
        assertThat(rawItem("passkey#" + passkey.credentialId())).isEmpty();
    }

    @Test
    void listsOnlyThePasskeysWhoseItemsStillNameTheUser() {
        User user = stored();
        Passkey kept = added(user);
        Passkey stray = added(user, T0.plusSeconds(1));
        // An item the set names but that names another user (written by hand): not the user's.
        client.updateItem(request -> request.tableName(usersTable).key(UserItems.key("passkey#" + stray.credentialId()))
                .updateExpression("SET ownerId = :other")
                .expressionAttributeValues(Map.of(":other", AttributeValue.fromS("someone-else"))));

        assertThat(passkeys().list(user.username(), user.userId())).containsExactly(kept);
    }

    @Test
    void keepsAChallengeByItsHashWithItsExpiryInMillisecondsAndForTtlInSecondsRoundedUp() {
        Instant expiresAt = Instant.parse("2100-01-01T08:05:00.250Z");
        Challenge challenge = new Challenge("aGFzaA", Ceremony.REGISTRATION,
                Optional.of(new Registrant("alice", "id-1", "session-1", "aGFuZGxl")), expiresAt);

        passkeys().saveChallenge(challenge);

        Map<String, AttributeValue> item = rawItem("passkeychallenge#aGFzaA");
        assertThat(item).containsOnlyKeys("username", "ceremony", "owner", "ownerId", "sessionId", "userHandle",
                "expiresAtMs", "expiresAt");
        assertThat(item.get("ceremony").s()).isEqualTo("registration");
        assertThat(item.get("owner").s()).isEqualTo("alice");
        assertThat(item.get("ownerId").s()).isEqualTo("id-1");
        assertThat(item.get("sessionId").s()).isEqualTo("session-1");
        assertThat(item.get("expiresAtMs").n()).isEqualTo(Long.toString(expiresAt.toEpochMilli()));
        assertThat(item.get("expiresAt").n()).isEqualTo(Long.toString(expiresAt.getEpochSecond() + 1));

        passkeys().spendChallenge("aGFzaA");
        assertThat(rawItem("passkeychallenge#aGFzaA")).as("spent: gone").isEmpty();
    }

    @Test
    void aSignInChallengeItemHoldsTheCeremonyAndTheExpiriesAlone() {
        Challenge challenge = new Challenge("c2lnbi1pbg", Ceremony.AUTHENTICATION, Optional.empty(),
                Instant.parse("2100-01-01T08:05:00Z"));

        passkeys().saveChallenge(challenge);

        Map<String, AttributeValue> item = rawItem("passkeychallenge#c2lnbi1pbg");
        assertThat(item).containsOnlyKeys("username", "ceremony", "expiresAtMs", "expiresAt");
        assertThat(item.get("ceremony").s()).isEqualTo("authentication");
        assertThat(item.get("expiresAt").n()).as("a whole second is not rounded up")
                .isEqualTo(Long.toString(challenge.expiresAt().getEpochSecond()));
    }

    private static Map<String, AttributeValue> rawItem(String key) {
        return client.getItem(request -> request.tableName(usersTable).key(UserItems.key(key)).consistentRead(true))
                .item();
    }
}
