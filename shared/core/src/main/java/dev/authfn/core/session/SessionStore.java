package dev.authfn.core.session;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where sessions live. Every read checks expiry in code: an item past its idle or absolute
 * expiry is absent even while the store still holds it. Infrastructure failures surface as
 * {@link dev.authfn.core.StoreUnavailableException}; expected outcomes are return values.
 */
public interface SessionStore {

    /** The longest the idle expiry goes without sliding (a write at most once a minute per session). */
    Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    /**
     * How often the idle expiry of a session with this idle timeout slides at most:
     * {@code min(TOUCH_INTERVAL, idleTimeout / 2)}. Half the timeout, so that a session used more
     * often than every half timeout is always slid before it could idle out: with a one-minute
     * slide and a ten-second timeout, a session used every two seconds would end at ten.
     */
    static Duration touchInterval(Duration idleTimeout) {
        Duration half = idleTimeout.dividedBy(2);
        return half.compareTo(TOUCH_INTERVAL) < 0 ? half : TOUCH_INTERVAL;
    }

    /** Stores a new session; false when a session with this id already exists. */
    boolean create(Session session);

    /** The live session with this id (strongly consistent), or empty. */
    Optional<Session> find(String sessionId, Instant now);

    /**
     * Slides the idle expiry of the session the caller has just read ({@link #find}) to
     * {@code min(now + idleTimeout, absoluteExpiresAt)} and sets {@code lastSeenAt = now}, unless
     * it was last touched less than {@link #touchInterval} ago. The write is conditional on the
     * stored session: it happens only if that is still live and was not touched within the
     * interval meanwhile. Within the interval of {@code read.lastSeenAt()} a store may answer
     * {@code read} as it is, without a call (the caller has just read it). A store may use
     * {@code read} (its id and absolute expiry never change) to save a second read; how is the
     * adapter's business.
     *
     * @return the session as it stands afterwards (unchanged when touched recently), or empty
     *     when it is gone or expired
     */
    Optional<Session> touch(Session read, Instant now, Duration idleTimeout);

    /**
     * Replaces the roles and permissions the session carries (after they changed on the user),
     * conditional on the session still being live; false when it is gone or expired.
     */
    boolean updateGrants(String sessionId, Set<String> roles, Set<String> permissions, Instant now);

    /** Deletes the session if it belongs to {@code userId}; false when there was no such session. */
    boolean revoke(String sessionId, String userId);

    /**
     * Deletes every session of the user that the store's by-user index lists; returns how many
     * were deleted. The index may be eventually consistent (DynamoDB's is) and miss a session
     * created a moment before: ending all of a user's sessions also ends the ones registered on
     * the user ({@link dev.authfn.core.user.UserStore#closeSessionEpoch}).
     */
    int revokeAll(String userId);

    /** The user's live sessions, oldest first. */
    List<Session> listLive(String userId, Instant now);
}
