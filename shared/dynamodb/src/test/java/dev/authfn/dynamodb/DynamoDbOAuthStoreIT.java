package dev.authfn.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.oauth.AuthorizationCode;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.OAuthCredential;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.oauth.RefreshFamily;
import dev.authfn.core.oauth.RefreshToken;
import dev.authfn.core.user.AttemptReservation;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserLookup;
import dev.authfn.core.user.UserStore;
import dev.authfn.dynamodb.internal.UserItems;
import dev.authfn.testkit.OAuthStoreContract;
import dev.authfn.testkit.UserStoreContract;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The OAuth store contract against a real DynamoDB API, on the users table, plus the stored format. */
@ExtendWith(DynamoDbEndpointExtension.class)
class DynamoDbOAuthStoreIT extends OAuthStoreContract {

    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

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
    protected OAuthStore newStore() {
        return new DynamoDbOAuthStore(client, usersTable);
    }

    private static UserStore users() {
        return new DynamoDbUserStore(client, usersTable);
    }

    // --- the items ---

    @Test
    void keepsAClientInAnItemOfItsOwnWithItsUrisInOrder() {
        String id = newClientId();
        String secret = OAuthCredential.generate(RANDOM);
        OAuthClient registered = new OAuthClient(id, Optional.of(OAuthCredential.hash(secret)),
                List.of("https://b.example/cb", "https://a.example/cb"), Set.of("openid", "posts:create"),
                Instant.parse("2100-01-01T08:00:00.250Z"));
        oauth().addClient(registered);

        Map<String, AttributeValue> item = rawItem("oauthclient#" + id);

        assertThat(item).containsOnlyKeys("username", "secretHash", "redirectUris", "scopes", "createdAt");
        assertThat(item.get("secretHash").s()).isEqualTo(OAuthCredential.hash(secret));
        assertThat(item.get("redirectUris").l()).extracting(AttributeValue::s)
                .containsExactly("https://b.example/cb", "https://a.example/cb");
        assertThat(item.get("scopes").l()).extracting(AttributeValue::s).containsExactly("openid", "posts:create");
        assertThat(item.get("createdAt").n()).isEqualTo(Long.toString(registered.createdAt().toEpochMilli()));
    }

    @Test
    void aPublicClientHasNoSecretAndIsNamedInASetOnEachOfItsOriginsItems() {
        String id = newClientId();
        String origin = newOrigin();
        oauth().addClient(publicClient(id, origin + "/cb", origin + "/other", "http://localhost:3000/cb"));

        assertThat(rawItem("oauthclient#" + id)).doesNotContainKey("secretHash");
        Map<String, AttributeValue> originItem = rawItem("oauthorigin#" + origin);
        assertThat(originItem).containsOnlyKeys("username", "clientIds");
        assertThat(originItem.get("clientIds").ss()).containsExactly(id);
        assertThat(rawItem("oauthorigin#http://localhost:3000").get("clientIds").ss()).contains(id);
    }

    @Test
    void removingAClientTakesItsIdOutOfItsOriginsSets() {
        String shared = newOrigin();
        String gone = newClientId();
        String kept = newClientId();
        oauth().addClient(publicClient(gone, shared + "/a"));
        oauth().addClient(publicClient(kept, shared + "/b"));

        oauth().removeClient(gone);

        assertThat(rawItem("oauthclient#" + gone)).isEmpty();
        assertThat(rawItem("oauthorigin#" + shared).get("clientIds").ss()).containsExactly(kept);

        oauth().removeClient(kept);

        assertThat(rawItem("oauthorigin#" + shared)).as("the emptied set is gone, the item says nothing")
                .doesNotContainKey("clientIds");
    }

    @Test
    void keepsACodeByItsHashWithItsExpiryInMillisecondsAndForTtlInSecondsRoundedUp() {
        String rawCode = OAuthCredential.generate(RANDOM);
        Instant expiresAt = Instant.parse("2100-01-01T08:01:00.250Z");
        AuthorizationCode code = new AuthorizationCode(OAuthCredential.hash(rawCode), "spa", "https://app.example/cb",
                CHALLENGE, Set.of("profile", "openid"), Optional.of("nonce-1"), "user-id-1", "alice", "session-1",
                List.of("pwd", "otp", "mfa"), Instant.parse("2100-01-01T07:59:00.001Z"),
                Instant.parse("2100-01-01T08:00:00.250Z"), expiresAt);
        oauth().saveCode(code);

        Map<String, AttributeValue> item = rawItem("oauthcode#" + code.codeHash());

        assertThat(item).containsOnlyKeys("username", "clientId", "redirectUri", "codeChallenge", "scopes", "nonce",
                "owner", "ownerId", "sessionId", "amr", "authTime", "issuedAt", "expiresAtMs", "expiresAt");
        assertThat(item.get("owner").s()).isEqualTo("alice");
        assertThat(item.get("ownerId").s()).isEqualTo("user-id-1");
        assertThat(item.get("scopes").l()).extracting(AttributeValue::s).containsExactly("openid", "profile");
        assertThat(item.get("amr").l()).extracting(AttributeValue::s).containsExactly("pwd", "otp", "mfa");
        assertThat(item.get("authTime").n()).isEqualTo("4102473540001");
        assertThat(item.get("expiresAtMs").n()).isEqualTo(Long.toString(expiresAt.toEpochMilli()));
        assertThat(item.get("expiresAt").n()).as("TTL a day after the code expires, so a late replay is still recognised")
                .isEqualTo(Long.toString(expiresAt.plus(java.time.Duration.ofDays(1)).getEpochSecond() + 1));

        String grant = "grant-session-1";
        oauth().spendCode(code.codeHash(), grant, Instant.parse("2100-01-01T08:00:10Z"));

        Map<String, AttributeValue> spent = rawItem("oauthcode#" + code.codeHash());
        assertThat(spent.get("grantSession").s()).isEqualTo(grant);
        assertThat(spent).as("spent, it stays until TTL: a second use is told apart").hasSize(item.size() + 1);
    }

    @Test
    void keepsAFamilyByItsIdWithBothHashesAndTtlAtItsExpiry() {
        RefreshToken token = RefreshToken.generate(RANDOM);
        RefreshToken next = token.next(RANDOM);
        Instant expiresAt = Instant.parse("2100-01-31T08:00:00Z");
        RefreshFamily family = new RefreshFamily(token.familyId(), "spa", "user-id-1", "alice", "grant-session-1",
                Set.of("offline_access", "openid"), token.secretHash(), Optional.empty(), T0, T0, expiresAt);
        oauth().saveFamily(family);

        Map<String, AttributeValue> item = rawItem("oauthrefresh#" + token.familyId());

        assertThat(item).containsOnlyKeys("username", "clientId", "owner", "ownerId", "sessionId", "scopes",
                "currentHash", "rotatedAt", "createdAt", "expiresAtMs", "expiresAt");
        assertThat(item.get("currentHash").s()).isEqualTo(token.secretHash());
        assertThat(item.get("expiresAt").n()).as("a whole second is not rounded up")
                .isEqualTo(Long.toString(expiresAt.getEpochSecond()));

        oauth().rotate(family, family.rotated(token.secretHash(), next.secretHash(), T0.plusSeconds(5)));

        Map<String, AttributeValue> rotated = rawItem("oauthrefresh#" + token.familyId());
        assertThat(rotated.get("currentHash").s()).isEqualTo(next.secretHash());
        assertThat(rotated.get("previousHash").s()).isEqualTo(token.secretHash());
        assertThat(rotated.get("rotatedAt").n()).isEqualTo(Long.toString(T0.plusSeconds(5).toEpochMilli()));
    }

    @Test
    void noItemHoldsACodeASecretOrARefreshTokenInTheClear() {
        String secret = OAuthCredential.generate(RANDOM);
        String rawCode = OAuthCredential.generate(RANDOM);
        RefreshToken first = RefreshToken.generate(RANDOM);
        RefreshToken second = first.next(RANDOM);
        String clientId = newClientId();
        oauth().addClient(confidentialClient(clientId, secret, newOrigin() + "/cb"));
        AuthorizationCode code = newCode(rawCode);
        oauth().saveCode(code);
        oauth().spendCode(code.codeHash(), "grant-session", T0);
        RefreshFamily family = newFamily(first);
        oauth().saveFamily(family);
        oauth().rotate(family, family.rotated(first.secretHash(), second.secretHash(), T0.plusSeconds(1)));

        List<String> values = new ArrayList<>();
        for (String key : List.of("oauthclient#" + clientId, "oauthcode#" + code.codeHash(),
                "oauthrefresh#" + first.familyId())) {
            Map<String, AttributeValue> item = rawItem(key);
            assertThat(item).as(key).isNotEmpty();
            item.values().forEach(value -> collect(value, values));
        }

        for (String clear : List.of(secret, rawCode, first.secret(), second.secret(), first.encoded(),
                second.encoded())) {
            assertThat(values).noneMatch(value -> value.contains(clear));
        }
        assertThat(values).as("their hashes instead").contains(OAuthCredential.hash(secret),
                "oauthcode#" + code.codeHash(), first.secretHash(), second.secretHash());
    }

    @Test
    void noOAuthItemIsEverReadAsAUser() {
        String clientId = newClientId();
        String origin = newOrigin();
        oauth().addClient(publicClient(clientId, origin + "/cb"));
        AuthorizationCode code = newCode(OAuthCredential.generate(RANDOM));
        oauth().saveCode(code);
        RefreshFamily family = newFamily(RefreshToken.generate(RANDOM));
        oauth().saveFamily(family);
        List<String> keys = List.of("oauthclient#" + clientId, "oauthorigin#" + origin,
                "oauthcode#" + code.codeHash(), "oauthrefresh#" + family.familyId());

        for (String key : keys) {
            Map<String, AttributeValue> before = rawItem(key);
            assertThat(before).as(key).isNotEmpty().doesNotContainKey(UserItems.USER_ID);
            assertThat(users().get(key)).as(key).isEmpty();
            assertThat(users().lookup(key, T0)).as(key).isEqualTo(UserLookup.Unknown.NEVER_FAILED);
            assertThat(users().disable(key)).as(key).isFalse();
            assertThat(users().replacePasswordHash(key, "$argon2id$v=19$m=19456,t=2,p=1$YQ$YQ")).as(key).isFalse();
            assertThat(users().reserveAttempt(key, T0, LockoutPolicy.DEFAULT)).as(key)
                    .isInstanceOf(AttemptReservation.KindChanged.class);
            assertThat(rawItem(key)).as(key + " untouched").isEqualTo(before);
        }
        User user = UserStoreContract.newUser();
        users().create(user);
        List<String> usersInTable = client.scanPaginator(ScanRequest.builder().tableName(usersTable)
                        .filterExpression("attribute_exists(userId)").consistentRead(true).build())
                .items().stream().map(item -> item.get("username").s()).toList();
        assertThat(usersInTable).as("a scan for users, as any listing of them must filter")
                .contains(user.username()).noneMatch(name -> name.startsWith("oauth"));
    }

    @Test
    void listsTheClientsAloneAmongUsersAndOtherItems() {
        User user = UserStoreContract.newUser();
        users().create(user);
        String clientId = newClientId();
        OAuthClient listed = publicClient(clientId, newOrigin() + "/cb");
        oauth().addClient(listed);
        oauth().saveCode(newCode(OAuthCredential.generate(RANDOM)));

        List<OAuthClient> clients = oauth().clients();

        assertThat(clients).contains(listed);
        assertThat(clients).extracting(OAuthClient::clientId).doesNotContain(user.username());
    }

    private static void collect(AttributeValue value, List<String> into) {
        if (value.s() != null) {
            into.add(value.s());
        }
        if (value.hasSs()) {
            into.addAll(value.ss());
        }
        if (value.hasL()) {
            value.l().forEach(element -> collect(element, into));
        }
        if (value.hasM()) {
            value.m().values().forEach(element -> collect(element, into));
        }
    }

    private static Map<String, AttributeValue> rawItem(String key) {
        return client.getItem(request -> request.tableName(usersTable).key(UserItems.key(key)).consistentRead(true))
                .item();
    }
}
