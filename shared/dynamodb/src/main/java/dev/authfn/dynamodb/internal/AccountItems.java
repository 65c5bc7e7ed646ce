package dev.authfn.dynamodb.internal;

import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;

import dev.authfn.core.account.MailToken;
import dev.authfn.core.account.StoredToken;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The account items of the users table (shared/dynamodb/README.md). Each lives under a key with a
 * prefix no canonical username can have ({@code #} is not allowed in one), and none has a
 * {@code userId}: claims name their user in {@code claimOf}, tokens in {@code owner} and
 * {@code ownerId}.
 */
public final class AccountItems {

    public static final String CLAIM_OF = "claimOf";
    public static final String KIND = "kind";
    public static final String OWNER = "owner";
    public static final String OWNER_ID = "ownerId";
    public static final String TOKEN_EMAIL = "sentTo";
    public static final String GENERATION = "generation";
    /** Epoch milliseconds: when the token stops working (checked in code and in conditions). */
    public static final String TOKEN_EXPIRES = "tokenExpires";
    public static final String SPENT = "spent";
    public static final String COUNT = "count";
    /** Spent or expired tokens stay this long past expiry, so a late use is told "spent", then TTL removes them. */
    static final Duration KEEP_AFTER_EXPIRY = Duration.ofDays(1);

    private AccountItems() {}

    public static String claimKey(String email) {
        return "email#" + email;
    }

    public static String tokenKey(String hash) {
        return "token#" + hash;
    }

    public static String mailCountKey(String key, Instant hour) {
        return "mailcount#" + MailToken.hash(key) + "#" + hour.getEpochSecond();
    }

    public static Map<String, AttributeValue> claim(String email, String username) {
        return Map.of(UserItems.USERNAME, string(claimKey(email)), CLAIM_OF, string(username));
    }

    public static String claimOwner(Map<String, AttributeValue> claim) {
        return claim.get(CLAIM_OF).s();
    }

    public static Map<String, AttributeValue> token(StoredToken token, long generation) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(UserItems.USERNAME, string(tokenKey(token.hash())));
        item.put(KIND, string(token.kind().wireName()));
        item.put(OWNER, string(token.username()));
        item.put(OWNER_ID, string(token.userId()));
        item.put(TOKEN_EMAIL, string(token.email()));
        item.put(GENERATION, number(generation));
        item.put(TOKEN_EXPIRES, number(token.expiresAt().toEpochMilli()));
        item.put(UserItems.EXPIRES_AT, number(token.expiresAt().plus(KEEP_AFTER_EXPIRY).getEpochSecond()));
        return item;
    }

    public static StoredToken toToken(String hash, Map<String, AttributeValue> item) {
        return new StoredToken(hash, MailToken.Kind.fromWireName(item.get(KIND).s()), item.get(OWNER).s(),
                item.get(OWNER_ID).s(), item.get(TOKEN_EMAIL).s(), AttributeValues.number(item, GENERATION),
                Instant.ofEpochMilli(AttributeValues.number(item, TOKEN_EXPIRES)),
                item.containsKey(SPENT) && Boolean.TRUE.equals(item.get(SPENT).bool()));
    }

    /** The user's reset generation (absent: 0). */
    public static long resetGeneration(Map<String, AttributeValue> user) {
        return user.containsKey(UserItems.RESET_GENERATION) ? AttributeValues.number(user, UserItems.RESET_GENERATION) : 0;
    }

    /** A condition that the user's reset generation ({@code #gen}) is {@code current} (:current); absent counts as 0. */
    public static String generationIs(long current) {
        return current == 0 ? "(attribute_not_exists(#gen) OR #gen = :current)" : "#gen = :current";
    }

    /** {@code user} without its address, unverified: what holds a name whose sign-up gave a held address. */
    public static dev.authfn.core.user.User standIn(dev.authfn.core.user.User user) {
        return new dev.authfn.core.user.User(user.username(), user.userId(), user.passwordHash(), user.roles(),
                user.permissions(), user.status(), 0, Instant.EPOCH, 0, "", false);
    }
}
