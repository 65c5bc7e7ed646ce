package dev.authfn.dynamodb.internal;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;
import static dev.authfn.dynamodb.internal.AttributeValues.stringList;
import static dev.authfn.dynamodb.internal.AttributeValues.strings;

import dev.authfn.core.oauth.AuthorizationCode;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.RefreshFamily;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The OAuth provider's items in the users table (shared/dynamodb/README.md "OAuth provider"):
 * clients under {@code oauthclient#<client id>}, the CORS origin index under
 * {@code oauthorigin#<origin>}, authorization codes under {@code oauthcode#<hash>} and
 * refresh-token families under {@code oauthrefresh#<family id>}. Every prefix is a key no
 * canonical username can have ({@code #} is not allowed in one), and no kind has a {@code userId}
 * (the table tells users by it): a code or family names its user in {@code owner} and
 * {@code ownerId}, as passkeys and mail tokens do. Only hashes of credentials are kept: a code by
 * its hash, a client's secret and a family's current and previous secrets as theirs.
 */
public final class OAuthItems {

    /** Clients, confidential only: base64url SHA-256 of the secret. */
    public static final String SECRET_HASH = "secretHash";
    /** Clients: a list of strings, in the order registered (the first is the default a CLI shows). */
    public static final String REDIRECT_URIS = "redirectUris";
    /** Clients, codes and families: a list of strings, sorted. */
    public static final String SCOPES = "scopes";
    /** Clients and families, epoch milliseconds. */
    public static final String CREATED_AT = "createdAt";

    /** Origin items: a string set of the ids of the public clients with a redirect URI of that origin. */
    public static final String CLIENT_IDS = "clientIds";

    /** Codes and families: the client it was issued to. */
    public static final String CLIENT_ID = "clientId";
    /** Codes: the exact redirect URI of the authorization request. */
    public static final String REDIRECT_URI = "redirectUri";
    /** Codes: the PKCE S256 challenge. */
    public static final String CODE_CHALLENGE = "codeChallenge";
    /** Codes, when the request had one: the OpenID {@code nonce}. */
    public static final String NONCE = "nonce";
    /** Codes and families: the user's canonical username. */
    public static final String OWNER = AccountItems.OWNER;
    /** Codes and families: the user's id (never {@code userId}: that would make the item a user). */
    public static final String OWNER_ID = AccountItems.OWNER_ID;
    /** Codes: the browser session it was issued from; families: the grant's own session. */
    public static final String SESSION_ID = "sessionId";
    /** Codes: a list of strings, the browser session's {@code amr} in its order. */
    public static final String AMR = "amr";
    /** Codes, epoch milliseconds: the browser session's {@code auth_time}. */
    public static final String AUTH_TIME = "authTime";
    /** Codes, epoch milliseconds. */
    public static final String ISSUED_AT = "issuedAt";
    /** Codes, once spent: the session the first exchange started (what a second use ends). */
    public static final String GRANT_SESSION = "grantSession";

    /** Families: base64url SHA-256 of the current secret. */
    public static final String CURRENT_HASH = "currentHash";
    /** Families, after the first rotation: the hash of the secret before it. */
    public static final String PREVIOUS_HASH = "previousHash";
    /** The tokens issued from the previous one within its grace (absent when none). */
    public static final String SIBLING_HASHES = "siblingHashes";
    /** Families, epoch milliseconds: the last rotation (at first, the creation). */
    public static final String ROTATED_AT = "rotatedAt";

    /**
     * Codes and families, epoch milliseconds: when it stops being good (checked by the caller);
     * {@code expiresAt}, in seconds, is the same instant rounded up, for TTL.
     */
    public static final String EXPIRES_AT_MS = "expiresAtMs";

    /** How long a code's item outlives the code (TTL), so that a late replay is still told from an unknown code. */
    public static final java.time.Duration CODE_KEPT_AFTER_EXPIRY = java.time.Duration.ofDays(1);

    private static final String CLIENT_PREFIX = "oauthclient#";
    private static final String ORIGIN_PREFIX = "oauthorigin#";
    private static final String CODE_PREFIX = "oauthcode#";
    private static final String FAMILY_PREFIX = "oauthrefresh#";
    /** DynamoDB's limit on a partition key's size in bytes. */
    private static final int MAX_KEY_BYTES = 2048;

    private OAuthItems() {}

    /** The key prefix of every client item, for the administrator's scan. */
    public static String clientPrefix() {
        return CLIENT_PREFIX;
    }

    public static Map<String, AttributeValue> clientKey(String clientId) {
        return UserItems.key(CLIENT_PREFIX + clientId);
    }

    public static Map<String, AttributeValue> originKey(String origin) {
        return UserItems.key(ORIGIN_PREFIX + origin);
    }

    public static Map<String, AttributeValue> codeKey(String codeHash) {
        return UserItems.key(CODE_PREFIX + codeHash);
    }

    public static Map<String, AttributeValue> familyKey(String familyId) {
        return UserItems.key(FAMILY_PREFIX + familyId);
    }

    /**
     * Whether an origin can be a key: its item fits DynamoDB's 2048 bytes. A longer one (an
     * {@code Origin} header is the caller's input) is no client's, and asking DynamoDB about it
     * would fail as a validation error, that is as an outage.
     */
    public static boolean originFits(String origin) {
        return fits(ORIGIN_PREFIX, origin);
    }

    /** Whether a code hash can be a key (see {@link #originFits}). */
    public static boolean codeFits(String codeHash) {
        return fits(CODE_PREFIX, codeHash);
    }

    /** Whether a family id can be a key (see {@link #originFits}). */
    public static boolean familyFits(String familyId) {
        return fits(FAMILY_PREFIX, familyId);
    }

    private static boolean fits(String prefix, String value) {
        return value != null && (prefix + value).getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES;
    }

    /** A string set of one client id, for {@code ADD} and {@code DELETE} on {@link #CLIENT_IDS}. */
    public static AttributeValue idSet(String clientId) {
        return AttributeValue.fromSs(List.of(clientId));
    }

    // --- clients ---

    public static Map<String, AttributeValue> toItem(OAuthClient client) {
        Map<String, AttributeValue> item = new HashMap<>(clientKey(client.clientId()));
        client.secretHash().ifPresent(hash -> item.put(SECRET_HASH, string(hash)));
        item.put(REDIRECT_URIS, AttributeValue.fromL(client.redirectUris().stream().map(AttributeValue::fromS).toList()));
        item.put(SCOPES, stringList(client.scopes()));
        item.put(CREATED_AT, millis(client.createdAt()));
        return item;
    }

    /** The client a client item holds; empty for any other item. */
    public static Optional<OAuthClient> clientFromItem(Map<String, AttributeValue> item) {
        String key = string(item, UserItems.USERNAME);
        if (key == null || !key.startsWith(CLIENT_PREFIX) || UserItems.isUser(item)) {
            return Optional.empty();
        }
        return Optional.of(new OAuthClient(
                key.substring(CLIENT_PREFIX.length()),
                Optional.ofNullable(string(item, SECRET_HASH)),
                orderedStrings(item, REDIRECT_URIS),
                strings(item, SCOPES),
                millis(item, CREATED_AT)));
    }

    // --- codes ---

    /** The item of a new code: everything it was issued for, not yet a {@link #GRANT_SESSION}. */
    public static Map<String, AttributeValue> toItem(AuthorizationCode code) {
        Map<String, AttributeValue> item = new HashMap<>(codeKey(code.codeHash()));
        item.put(CLIENT_ID, string(code.clientId()));
        item.put(REDIRECT_URI, string(code.redirectUri()));
        item.put(CODE_CHALLENGE, string(code.codeChallenge()));
        item.put(SCOPES, stringList(code.scopes()));
        code.nonce().ifPresent(nonce -> item.put(NONCE, string(nonce)));
        item.put(OWNER, string(code.username()));
        item.put(OWNER_ID, string(code.userId()));
        item.put(SESSION_ID, string(code.sessionId()));
        item.put(AMR, AttributeValue.fromL(code.amr().stream().map(AttributeValue::fromS).toList()));
        item.put(AUTH_TIME, millis(code.authTime()));
        item.put(ISSUED_AT, millis(code.issuedAt()));
        // TTL a day late: a replay of a spent code must still find it to end what its first use gave.
        item.put(EXPIRES_AT_MS, millis(code.expiresAt()));
        item.put(UserItems.EXPIRES_AT, number(code.expiresAt().plus(CODE_KEPT_AFTER_EXPIRY).getEpochSecond() + 1));
        return item;
    }

    /** The code a code item holds, under the hash it was stored by. */
    public static AuthorizationCode codeFromItem(String codeHash, Map<String, AttributeValue> item) {
        return new AuthorizationCode(
                codeHash,
                string(item, CLIENT_ID),
                string(item, REDIRECT_URI),
                string(item, CODE_CHALLENGE),
                strings(item, SCOPES),
                Optional.ofNullable(string(item, NONCE)),
                string(item, OWNER_ID),
                string(item, OWNER),
                string(item, SESSION_ID),
                orderedStrings(item, AMR),
                millis(item, AUTH_TIME),
                millis(item, ISSUED_AT),
                millis(item, EXPIRES_AT_MS));
    }

    // --- families ---

    public static Map<String, AttributeValue> toItem(RefreshFamily family) {
        Map<String, AttributeValue> item = new HashMap<>(familyKey(family.familyId()));
        item.put(CLIENT_ID, string(family.clientId()));
        item.put(OWNER, string(family.username()));
        item.put(OWNER_ID, string(family.userId()));
        item.put(SESSION_ID, string(family.sessionId()));
        item.put(SCOPES, stringList(family.scopes()));
        item.put(CURRENT_HASH, string(family.currentHash()));
        family.previousHash().ifPresent(hash -> item.put(PREVIOUS_HASH, string(hash)));
        if (!family.siblingHashes().isEmpty()) {
            item.put(SIBLING_HASHES, stringList(family.siblingHashes()));
        }
        item.put(ROTATED_AT, millis(family.rotatedAt()));
        item.put(CREATED_AT, millis(family.createdAt()));
        putExpiry(item, family.expiresAt());
        return item;
    }

    /** The family a family item holds, under the id it was stored by. */
    public static RefreshFamily familyFromItem(String familyId, Map<String, AttributeValue> item) {
        return new RefreshFamily(
                familyId,
                string(item, CLIENT_ID),
                string(item, OWNER_ID),
                string(item, OWNER),
                string(item, SESSION_ID),
                strings(item, SCOPES),
                string(item, CURRENT_HASH),
                Optional.ofNullable(string(item, PREVIOUS_HASH)),
                millis(item, ROTATED_AT),
                millis(item, CREATED_AT),
                millis(item, EXPIRES_AT_MS),
                strings(item, SIBLING_HASHES));
    }

    /** {@link #EXPIRES_AT_MS}, and {@code expiresAt} (TTL) the same instant in epoch seconds rounded up, so TTL never removes it early. */
    private static void putExpiry(Map<String, AttributeValue> item, Instant expiresAt) {
        item.put(EXPIRES_AT_MS, millis(expiresAt));
        item.put(UserItems.EXPIRES_AT, number(expiresAt.getEpochSecond() + (expiresAt.getNano() > 0 ? 1 : 0)));
    }

    /** A list of strings in its stored order (an absent attribute: none). */
    private static List<String> orderedStrings(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value != null && value.hasL() ? value.l().stream().map(AttributeValue::s).toList() : List.of();
    }
}
