package dev.authfn.dynamodb.internal;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;
import static dev.authfn.dynamodb.internal.AttributeValues.stringList;
import static dev.authfn.dynamodb.internal.AttributeValues.strings;

import dev.authfn.core.session.Session;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The sessions table's attribute names (shared/dynamodb/README.md) and the item mapping. */
public final class SessionItems {

    public static final String ID = "id";
    public static final String SECRET_HASH = "secretHash";
    public static final String USER_ID = "userId";
    public static final String USERNAME = "username";
    public static final String ROLES = "roles";
    public static final String PERMISSIONS = "permissions";
    public static final String CREATED_AT = "createdAt";
    public static final String LAST_SEEN_AT = "lastSeenAt";
    public static final String IDLE_EXPIRES_AT = "idleExpiresAt";
    public static final String ABSOLUTE_EXPIRES_AT = "absoluteExpiresAt";
    /** The TTL attribute, in epoch seconds as DynamoDB TTL requires. */
    public static final String EXPIRES_AT = "expiresAt";
    public static final String USER_AGENT = "userAgent";
    public static final String SOURCE_IP = "sourceIp";

    private SessionItems() {}

    public static Map<String, AttributeValue> key(String sessionId) {
        return Map.of(ID, string(sessionId));
    }

    public static Map<String, AttributeValue> toItem(Session session) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, string(session.id()));
        item.put(SECRET_HASH, string(session.secretHash()));
        item.put(USER_ID, string(session.userId()));
        item.put(USERNAME, string(session.username()));
        item.put(ROLES, stringList(session.roles()));
        item.put(PERMISSIONS, stringList(session.permissions()));
        item.put(CREATED_AT, millis(session.createdAt()));
        item.put(LAST_SEEN_AT, millis(session.lastSeenAt()));
        item.put(IDLE_EXPIRES_AT, millis(session.idleExpiresAt()));
        item.put(ABSOLUTE_EXPIRES_AT, millis(session.absoluteExpiresAt()));
        item.put(EXPIRES_AT, number(ttlSeconds(session.expiresAt())));
        item.put(USER_AGENT, string(session.userAgent()));
        item.put(SOURCE_IP, string(session.sourceIp()));
        return item;
    }

    public static Session fromItem(Map<String, AttributeValue> item) {
        return new Session(
                string(item, ID),
                string(item, SECRET_HASH),
                string(item, USER_ID),
                string(item, USERNAME),
                strings(item, ROLES),
                strings(item, PERMISSIONS),
                millis(item, CREATED_AT),
                millis(item, LAST_SEEN_AT),
                millis(item, IDLE_EXPIRES_AT),
                millis(item, ABSOLUTE_EXPIRES_AT),
                string(item, USER_AGENT),
                string(item, SOURCE_IP));
    }

    /**
     * The TTL value for an expiry: epoch seconds, rounded up so that TTL never makes an item
     * eligible for deletion before the session has really expired.
     */
    public static long ttlSeconds(Instant expiresAt) {
        long seconds = expiresAt.getEpochSecond();
        return expiresAt.getNano() == 0 ? seconds : seconds + 1;
    }
}
