package dev.authfn.dynamodb.internal;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;
import static dev.authfn.dynamodb.internal.AttributeValues.stringList;
import static dev.authfn.dynamodb.internal.AttributeValues.strings;

import dev.authfn.core.authz.Amr;
import dev.authfn.core.session.Session;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
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
    /** RFC 8176 methods in their order; absent on items written before sessions recorded them. */
    public static final String AMR = "amr";
    /** When the user last proved who they are; absent on items written before sessions recorded it. */
    public static final String AUTH_TIME = "authTime";

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
        item.put(AMR, AttributeValue.fromL(session.amr().stream().map(AttributeValue::fromS).toList()));
        item.put(AUTH_TIME, millis(session.authTime()));
        return item;
    }

    /**
     * The session an item holds. An item written before sessions recorded their authentication
     * has neither {@link #AMR} nor {@link #AUTH_TIME}: it was a password login, so it reads as
     * {@code ["pwd"]} authenticated at {@code createdAt}, never as anything stronger or fresher.
     */
    public static Session fromItem(Map<String, AttributeValue> item) {
        Instant createdAt = millis(item, CREATED_AT);
        List<String> amr = orderedStrings(item, AMR);
        return new Session(
                string(item, ID),
                string(item, SECRET_HASH),
                string(item, USER_ID),
                string(item, USERNAME),
                strings(item, ROLES),
                strings(item, PERMISSIONS),
                createdAt,
                millis(item, LAST_SEEN_AT),
                millis(item, IDLE_EXPIRES_AT),
                millis(item, ABSOLUTE_EXPIRES_AT),
                string(item, USER_AGENT),
                string(item, SOURCE_IP),
                amr.isEmpty() ? Amr.PASSWORD : amr,
                item.containsKey(AUTH_TIME) ? millis(item, AUTH_TIME) : createdAt);
    }

    /** A list of strings in its stored order; empty when the attribute is absent. */
    private static List<String> orderedStrings(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || !value.hasL() ? List.of() : value.l().stream().map(AttributeValue::s).toList();
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
