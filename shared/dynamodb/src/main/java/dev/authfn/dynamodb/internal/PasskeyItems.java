package dev.authfn.dynamodb.internal;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;

import dev.authfn.core.passkey.Passkey;
import dev.authfn.core.passkey.PasskeyStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The passkeys' attributes on the user item, and the passkey and challenge items beside the users
 * (shared/dynamodb/README.md "Passkeys"). The user item keeps its WebAuthn user handle and the
 * set of its credential ids; each passkey is an item of its own under {@code passkey#<credential
 * id>}, so a sign-in, which knows only the credential id, finds it in one read; each challenge is
 * one under {@code passkeychallenge#<hash>}. Both prefixes are keys no canonical username can have
 * ({@code #} is not allowed in one), and neither kind has a {@code userId} (the table tells users
 * by it): a passkey names its user in {@code owner} and {@code ownerId}, as mail tokens do.
 */
public final class PasskeyItems {

    /** User items: the WebAuthn user handle, set once by the first registration's options. */
    public static final String HANDLE = "passkeyHandle";
    /**
     * User items: a string set of the user's credential ids (a set, so that one leaves it in an
     * atomic {@code DELETE} and {@code size} bounds it in a condition); absent when empty.
     */
    public static final String PASSKEYS = "passkeys";

    public static final String CREDENTIAL_ID = "credentialId";
    /** The canonical username of the passkey's user (or of a registration challenge's). */
    public static final String OWNER = AccountItems.OWNER;
    /** The user id of the passkey's user (never {@code userId}: that would make the item a user). */
    public static final String OWNER_ID = AccountItems.OWNER_ID;
    public static final String USER_HANDLE = "userHandle";
    public static final String PUBLIC_KEY = "publicKey";
    public static final String SIGN_COUNT = "signCount";
    public static final String AAGUID = "aaguid";
    /** A list of strings, in the browser's order. */
    public static final String TRANSPORTS = "transports";
    public static final String BACKUP_ELIGIBLE = "backupEligible";
    public static final String BACKED_UP = "backedUp";
    public static final String NAME = "name";
    /** Epoch milliseconds. */
    public static final String CREATED_AT = "createdAt";
    /** Epoch milliseconds; absent until the passkey first signs someone in. */
    public static final String LAST_USED_AT = "lastUsedAt";
    public static final String FLAGGED = "flagged";
    /** Epoch milliseconds: when the counter first went backwards; for operators, not read back. */
    public static final String FLAGGED_AT = "flaggedAt";

    /** Challenge items: {@code registration} or {@code authentication}. */
    public static final String CEREMONY = "ceremony";
    /** Registration challenges: the session that asked for the options. */
    public static final String SESSION_ID = "sessionId";
    /**
     * Challenge items, epoch milliseconds: when the ceremony must have ended (checked by the
     * caller); {@code expiresAt}, in seconds, is the same instant rounded up, for TTL.
     */
    public static final String CHALLENGE_EXPIRES = "expiresAtMs";

    /** DynamoDB's limit on a partition key's size in bytes. */
    private static final int MAX_KEY_BYTES = 2048;
    private static final String PASSKEY_PREFIX = "passkey#";

    private PasskeyItems() {}

    public static Map<String, AttributeValue> passkeyKey(String credentialId) {
        return UserItems.key(PASSKEY_PREFIX + credentialId);
    }

    /**
     * Whether a passkey with this credential id could be stored: its key fits DynamoDB's 2048
     * bytes. A longer id (a caller's input: a path, a response) names no passkey, and asking
     * DynamoDB about it would fail as a validation error, that is as an outage.
     */
    public static boolean keyFits(String credentialId) {
        return (PASSKEY_PREFIX + credentialId).getBytes(StandardCharsets.UTF_8).length <= MAX_KEY_BYTES;
    }

    public static Map<String, AttributeValue> challengeKey(String challengeHash) {
        return UserItems.key("passkeychallenge#" + challengeHash);
    }

    /** A string set of one credential id, for {@code ADD} and {@code DELETE} on {@link #PASSKEYS}. */
    public static AttributeValue idSet(String credentialId) {
        return AttributeValue.fromSs(List.of(credentialId));
    }

    /** The item of a new passkey: every attribute, {@link #LAST_USED_AT} only once used, not flagged. */
    public static Map<String, AttributeValue> toItem(Passkey passkey) {
        Map<String, AttributeValue> item = new HashMap<>(passkeyKey(passkey.credentialId()));
        item.put(CREDENTIAL_ID, string(passkey.credentialId()));
        item.put(OWNER, string(passkey.username()));
        item.put(OWNER_ID, string(passkey.userId()));
        item.put(USER_HANDLE, string(passkey.userHandle()));
        item.put(PUBLIC_KEY, string(passkey.publicKey()));
        item.put(SIGN_COUNT, number(passkey.signCount()));
        item.put(AAGUID, string(passkey.aaguid()));
        item.put(TRANSPORTS, AttributeValue.fromL(passkey.transports().stream().map(AttributeValue::fromS).toList()));
        item.put(BACKUP_ELIGIBLE, AttributeValue.fromBool(passkey.backupEligible()));
        item.put(BACKED_UP, AttributeValue.fromBool(passkey.backedUp()));
        item.put(NAME, string(passkey.name()));
        item.put(CREATED_AT, millis(passkey.createdAt()));
        passkey.lastUsedAt().ifPresent(lastUsed -> item.put(LAST_USED_AT, millis(lastUsed)));
        item.put(FLAGGED, AttributeValue.fromBool(passkey.flagged()));
        return item;
    }

    /** The passkey a passkey item holds; empty for any other item (or none). */
    public static Optional<Passkey> fromItem(Map<String, AttributeValue> item) {
        if (!item.containsKey(CREDENTIAL_ID) || UserItems.isUser(item)) {
            return Optional.empty();
        }
        AttributeValue transports = item.get(TRANSPORTS);
        return Optional.of(new Passkey(
                string(item, CREDENTIAL_ID),
                string(item, OWNER),
                string(item, OWNER_ID),
                string(item, USER_HANDLE),
                string(item, PUBLIC_KEY),
                number(item, SIGN_COUNT),
                string(item, AAGUID),
                transports != null && transports.hasL() ? transports.l().stream().map(AttributeValue::s).toList()
                        : List.of(),
                bool(item, BACKUP_ELIGIBLE),
                bool(item, BACKED_UP),
                string(item, NAME),
                millis(item, CREATED_AT),
                item.containsKey(LAST_USED_AT) ? Optional.of(millis(item, LAST_USED_AT)) : Optional.empty(),
                bool(item, FLAGGED)));
    }

    /**
     * The item of a challenge: its ceremony, a registration's registrant, the expiry in milliseconds
     * and {@code expiresAt} (TTL, epoch seconds rounded up, so TTL never removes it early).
     */
    public static Map<String, AttributeValue> toItem(PasskeyStore.Challenge challenge) {
        Map<String, AttributeValue> item = new HashMap<>(challengeKey(challenge.challengeHash()));
        item.put(CEREMONY, string(wireName(challenge.ceremony())));
        challenge.registrant().ifPresent(registrant -> {
            item.put(OWNER, string(registrant.username()));
            item.put(OWNER_ID, string(registrant.userId()));
            item.put(SESSION_ID, string(registrant.sessionId()));
            item.put(USER_HANDLE, string(registrant.userHandle()));
        });
        Instant expiresAt = challenge.expiresAt();
        item.put(CHALLENGE_EXPIRES, millis(expiresAt));
        item.put(UserItems.EXPIRES_AT, number(expiresAt.getEpochSecond() + (expiresAt.getNano() > 0 ? 1 : 0)));
        return item;
    }

    /** The challenge a challenge item held, under the hash it was stored by. */
    public static PasskeyStore.Challenge challengeFromItem(String challengeHash, Map<String, AttributeValue> item) {
        PasskeyStore.Ceremony ceremony = ceremony(string(item, CEREMONY));
        Optional<PasskeyStore.Registrant> registrant = ceremony == PasskeyStore.Ceremony.REGISTRATION
                ? Optional.of(new PasskeyStore.Registrant(string(item, OWNER), string(item, OWNER_ID),
                        string(item, SESSION_ID), string(item, USER_HANDLE)))
                : Optional.empty();
        return new PasskeyStore.Challenge(challengeHash, ceremony, registrant, millis(item, CHALLENGE_EXPIRES));
    }

    static String wireName(PasskeyStore.Ceremony ceremony) {
        return switch (ceremony) {
            case REGISTRATION -> "registration";
            case AUTHENTICATION -> "authentication";
        };
    }

    private static PasskeyStore.Ceremony ceremony(String wireName) {
        return switch (wireName) {
            case "registration" -> PasskeyStore.Ceremony.REGISTRATION;
            case "authentication" -> PasskeyStore.Ceremony.AUTHENTICATION;
            case null, default -> throw new IllegalStateException("a challenge item with an unknown ceremony");
        };
    }

    private static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
    }
}
