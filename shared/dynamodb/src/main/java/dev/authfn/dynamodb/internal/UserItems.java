package dev.authfn.dynamodb.internal;

import static dev.authfn.dynamodb.internal.AttributeValues.millis;
import static dev.authfn.dynamodb.internal.AttributeValues.number;
import static dev.authfn.dynamodb.internal.AttributeValues.string;
import static dev.authfn.dynamodb.internal.AttributeValues.stringList;
import static dev.authfn.dynamodb.internal.AttributeValues.strings;

import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The users table's attribute names (shared/dynamodb/README.md) and the item mapping. The table holds two
 * kinds of item under the one key {@code username}: users, and phantoms, which count failed
 * logins for a name that no user holds. A phantom has no {@code userId} (this is what every
 * condition tests), {@code phantom = true}, {@code failedLogins}, {@code lockedUntil} and the
 * TTL attribute {@code expiresAt}.
 */
public final class UserItems {

    public static final String USERNAME = "username";
    public static final String USER_ID = "userId";
    public static final String PASSWORD_HASH = "passwordHash";
    public static final String ROLES = "roles";
    public static final String PERMISSIONS = "permissions";
    /** {@code active} or {@code disabled}, see {@link UserStatus#wireName()}. */
    public static final String STATUS = "status";
    public static final String FAILED_LOGINS = "failedLogins";
    /** Epoch milliseconds; 0 when not locked. */
    public static final String LOCKED_UNTIL = "lockedUntil";
    /** Users only: how often all their sessions were ended (absent on items written before it existed: 0). */
    public static final String SESSION_EPOCH = "sessionEpoch";
    /**
     * Users only: a string set of the sessions registered in the current session epoch, each
     * {@code <absolute expiry, epoch milliseconds>:<session id>} (see {@link #registration}).
     */
    public static final String SESSIONS = "sessions";
    /** Users only, when they have one: the normalised email address. */
    public static final String EMAIL = "email";
    /**
     * Users with an {@link #EMAIL} only: {@code false} until its owner proves it; absent on users
     * without an address and on items written before it existed (verified).
     */
    public static final String EMAIL_VERIFIED = "emailVerified";
    /**
     * Users only: counts the reset tokens issued; a reset token is good only while it equals the
     * generation it was issued in, so a newer one voids the older (absent: 0).
     */
    public static final String RESET_GENERATION = "resetGeneration";
    /**
     * Users with a confirmed second factor only: {@code totp} ({@link #MFA_TOTP}); absent means
     * none. What {@link User#mfaEnrolled()} is read from, so the login learns it from the read it
     * makes anyway. Written only by {@link dev.authfn.dynamodb.DynamoDbMfaStore}, with the factor.
     */
    public static final String MFA = "mfa";
    /** The value of {@link #MFA} for a confirmed TOTP factor. */
    public static final String MFA_TOTP = "totp";
    /** {@code true} on phantom items; never on users. */
    public static final String PHANTOM = "phantom";
    /**
     * Epoch seconds, phantom items only: when the failures they count are forgotten. The one TTL
     * attribute both tables are created with, so the same name as the sessions' by definition.
     */
    public static final String EXPIRES_AT = SessionItems.EXPIRES_AT;

    private UserItems() {}

    public static Map<String, AttributeValue> key(String username) {
        return Map.of(USERNAME, string(username));
    }

    /**
     * The item of a new user, without a second factor.
     *
     * @throws IllegalArgumentException when {@code user.mfaEnrolled()}: only the second-factor
     *     store marks a user enrolled, together with the factor it can verify
     */
    public static Map<String, AttributeValue> toItem(User user) {
        if (user.mfaEnrolled()) {
            throw new IllegalArgumentException("a new user has no second factor: enrol one through the MFA store");
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(USERNAME, string(user.username()));
        item.put(USER_ID, string(user.userId()));
        item.put(PASSWORD_HASH, string(user.passwordHash()));
        item.put(ROLES, stringList(user.roles()));
        item.put(PERMISSIONS, stringList(user.permissions()));
        item.put(STATUS, string(user.status().wireName()));
        item.put(FAILED_LOGINS, number(user.failedLogins()));
        item.put(LOCKED_UNTIL, millis(user.lockedUntil()));
        item.put(SESSION_EPOCH, number(user.sessionEpoch()));
        if (user.hasEmail()) {
            item.put(EMAIL, string(user.email()));
        }
        // Absent means verified; a user without an address that is not (a sign-up's stand-in) says so.
        if (user.hasEmail() || !user.emailVerified()) {
            item.put(EMAIL_VERIFIED, AttributeValue.fromBool(user.emailVerified()));
        }
        return item;
    }

    /** Whether the item is a user, not a phantom (users are the items with a {@code userId}). */
    public static boolean isUser(Map<String, AttributeValue> item) {
        return item.containsKey(USER_ID);
    }

    /** Whether a phantom item still counts at {@code now}: before its {@code expiresAt}. */
    public static boolean isLivePhantom(Map<String, AttributeValue> item, Instant now) {
        return !isUser(item) && number(item, EXPIRES_AT) > now.getEpochSecond();
    }

    public static User fromItem(Map<String, AttributeValue> item) {
        return new User(
                string(item, USERNAME),
                string(item, USER_ID),
                string(item, PASSWORD_HASH),
                strings(item, ROLES),
                strings(item, PERMISSIONS),
                UserStatus.fromWireName(string(item, STATUS)),
                Math.toIntExact(number(item, FAILED_LOGINS)),
                millis(item, LOCKED_UNTIL),
                item.containsKey(SESSION_EPOCH) ? number(item, SESSION_EPOCH) : 0,
                item.containsKey(EMAIL) ? string(item, EMAIL) : "",
                !item.containsKey(EMAIL_VERIFIED) || Boolean.TRUE.equals(item.get(EMAIL_VERIFIED).bool()),
                MFA_TOTP.equals(string(item, MFA)));
    }

    /**
     * One entry of {@link #SESSIONS}: the absolute expiry first (epoch milliseconds, as sessions
     * keep it), so a registration can be dropped once the session cannot be live, without reading
     * the session.
     */
    public static String registration(String sessionId, Instant absoluteExpiry) {
        return absoluteExpiry.toEpochMilli() + ":" + sessionId;
    }

    /** The session id of a {@link #registration}. */
    public static String registeredSessionId(String registration) {
        return registration.substring(registration.indexOf(':') + 1);
    }

    /** Whether the session of a {@link #registration} is past its absolute expiry at {@code now}. */
    public static boolean registrationExpired(String registration, Instant now) {
        return Long.parseLong(registration.substring(0, registration.indexOf(':'))) <= now.toEpochMilli();
    }
}
