package dev.authfn.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SessionStore} must do. A store's test class extends this and supplies the
 * store: the in-memory twin runs it as a unit test, the DynamoDB store as an integration test.
 * Time is explicit: each call passes its own instant, nothing sleeps. Every test uses fresh
 * random ids, so the stores of one test class may share a table.
 */
public abstract class SessionStoreContract {

    /**
     * The tests' "now" starts here, far in the future, so that no emulator's TTL deleter (which
     * goes by the wall clock) removes an item a test still expects; whether a session has expired
     * is decided by the instants the calls pass. The milliseconds check the stored precision.
     */
    public static final Instant T0 = Instant.parse("2100-01-01T08:00:00.123Z");
    protected static final Duration IDLE = Duration.ofMinutes(30);
    protected static final Duration ABSOLUTE = Duration.ofHours(8);

    private SessionStore store;

    /** A store for one test. */
    protected abstract SessionStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    protected final SessionStore store() {
        return store;
    }

    /** A fresh random id, for sessions and users. */
    public static String randomId() {
        return UUID.randomUUID().toString();
    }

    /** A new session of {@code userId} created at {@code createdAt}, with the default timeouts. */
    public static Session newSession(String userId, Instant createdAt) {
        return session(userId, createdAt, createdAt, createdAt.plus(IDLE), createdAt.plus(ABSOLUTE));
    }

    /** A session of {@code userId} with the given times. */
    public static Session session(String userId, Instant createdAt, Instant lastSeenAt, Instant idleExpiresAt,
            Instant absoluteExpiresAt) {
        return new Session(randomId(), "c2VjcmV0LWhhc2gtb2YtdGhlLXRlc3Q", userId, "user-" + userId,
                Set.of("user"), Set.of("posts:read"), createdAt, lastSeenAt, idleExpiresAt, absoluteExpiresAt,
                "JUnit", "192.0.2.1");
    }

    @Test
    void findsACreatedSessionWithEveryAttribute() {
        Session session = new Session(randomId(), "aGFzaA", randomId(), "alice", Set.of("admin", "user"), Set.of(),
                T0, T0, T0.plus(IDLE), T0.plus(ABSOLUTE), "Mozilla/5.0 (X11)", "198.51.100.7");

        boolean created = store.create(session);

        assertThat(created).isTrue();
        assertThat(store.find(session.id(), T0)).contains(session);
    }

    /**
     * How the user authenticated is stored as given: the methods in their order (RFC 8176 lists
     * them in the order used) and the authentication time to the millisecond, which may be later
     * than the session's creation (a password change starts a session whose login was earlier).
     */
    @Test
    void keepsTheAuthenticationMethodsInOrderAndTheAuthTime() {
        Session session = multiFactorSession(randomId(), T0);

        store.create(session);

        Session found = store.find(session.id(), T0).orElseThrow();
        assertThat(found.amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(found.authTime()).isEqualTo(T0.minusMillis(1_500));
        assertThat(found).isEqualTo(session);
        assertThat(store.listLive(session.userId(), T0)).containsExactly(session);
    }

    /** Neither sliding nor new grants may make a session look stronger, weaker or fresher than its login was. */
    @Test
    void touchAndUpdateGrantsKeepHowAndWhenTheUserAuthenticated() {
        Session session = multiFactorSession(randomId(), T0);
        store.create(session);
        Instant later = T0.plus(Duration.ofMinutes(10));

        Session touched = store.touch(session, later, IDLE).orElseThrow();
        store.updateGrants(session.id(), Set.of("admin"), Set.of(), later.plusSeconds(1));

        assertThat(touched.amr()).isEqualTo(session.amr());
        assertThat(touched.authTime()).isEqualTo(session.authTime());
        Session updated = store.find(session.id(), later.plusSeconds(1)).orElseThrow();
        assertThat(updated.amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(updated.authTime()).isEqualTo(session.authTime());
        assertThat(updated.lastSeenAt()).isEqualTo(later);
    }

    /** A session with a second factor, authenticated 1.5 seconds before it was created. */
    public static Session multiFactorSession(String userId, Instant createdAt) {
        return new Session(randomId(), "aGFzaA", userId, "carol", Set.of("user"), Set.of(), createdAt, createdAt,
                createdAt.plus(IDLE), createdAt.plus(ABSOLUTE), "JUnit", "192.0.2.1", List.of("pwd", "otp", "mfa"),
                createdAt.minusMillis(1_500));
    }

    @Test
    void keepsAnEmptyUserAgentAndSourceIp() {
        Session session = new Session(randomId(), "aGFzaA", randomId(), "bob", Set.of(), Set.of(),
                T0, T0, T0.plus(IDLE), T0.plus(ABSOLUTE), null, null);

        store.create(session);

        assertThat(store.find(session.id(), T0).orElseThrow())
                .returns("", Session::userAgent)
                .returns("", Session::sourceIp)
                .isEqualTo(session);
    }

    @Test
    void refusesToCreateASessionWhoseIdExists() {
        Session first = newSession(randomId(), T0);
        store.create(first);
        Session second = new Session(first.id(), "b3RoZXI", randomId(), "mallory", Set.of("admin"), Set.of(),
                T0, T0, T0.plus(IDLE), T0.plus(ABSOLUTE), "", "");

        boolean created = store.create(second);

        assertThat(created).isFalse();
        assertThat(store.find(first.id(), T0)).contains(first);
    }

    @Test
    void findsNothingForAnUnknownId() {
        assertThat(store.find(randomId(), T0)).isEmpty();
    }

    @Test
    void findsNothingFromTheIdleExpiryOn() {
        Session session = newSession(randomId(), T0);
        store.create(session);

        assertThat(store.find(session.id(), session.idleExpiresAt().minusMillis(1))).contains(session);
        assertThat(store.find(session.id(), session.idleExpiresAt())).isEmpty();
        assertThat(store.listLive(session.userId(), session.idleExpiresAt())).isEmpty();
    }

    @Test
    void findsNothingFromTheAbsoluteExpiryOnThoughTheSessionStayedActive() {
        Session session = newSession(randomId(), T0);
        store.create(session);
        Instant absolute = session.absoluteExpiresAt();

        Session read = session;
        for (Instant now = T0.plus(Duration.ofMinutes(20)); now.isBefore(absolute); now = now.plus(Duration.ofMinutes(20))) {
            read = store.touch(read, now, IDLE).orElseThrow(() -> new AssertionError("touch refused"));
        }

        assertThat(store.find(session.id(), absolute.minusMillis(1))).isPresent();
        assertThat(store.find(session.id(), absolute)).isEmpty();
        assertThat(store.touch(session, absolute, IDLE)).isEmpty();
    }

    @Test
    void touchSlidesTheIdleExpiryAndRecordsLastSeen() {
        Session session = newSession(randomId(), T0);
        store.create(session);
        Instant now = T0.plus(Duration.ofMinutes(10));

        Session touched = store.touch(session, now, IDLE).orElseThrow();

        assertThat(touched.lastSeenAt()).isEqualTo(now);
        assertThat(touched.idleExpiresAt()).isEqualTo(now.plus(IDLE));
        assertThat(touched.expiresAt()).isEqualTo(now.plus(IDLE));
        assertThat(touched).usingRecursiveComparison().ignoringFields("lastSeenAt", "idleExpiresAt").isEqualTo(session);
        assertThat(store.find(session.id(), now)).contains(touched);
    }

    @Test
    void touchWritesNothingWithinTheTouchIntervalAndSlidesAtItsEnd() {
        Session session = newSession(randomId(), T0);
        store.create(session);
        Instant early = T0.plus(SessionStore.TOUCH_INTERVAL).minusMillis(1);
        Instant due = T0.plus(SessionStore.TOUCH_INTERVAL);

        assertThat(store.touch(session, early, IDLE)).contains(session);
        assertThat(store.find(session.id(), early)).contains(session);

        assertThat(store.touch(session, due, IDLE).orElseThrow().lastSeenAt()).isEqualTo(due);
        assertThat(store.find(session.id(), due).orElseThrow().idleExpiresAt()).isEqualTo(due.plus(IDLE));
    }

    @Test
    void aShortIdleTimeoutSlidesOftenEnoughToKeepASessionUsedEveryTwoSeconds() {
        Duration idle = Duration.ofSeconds(10);
        Session session = session(randomId(), T0, T0, T0.plus(idle), T0.plus(ABSOLUTE));
        store.create(session);

        Instant now = T0;
        for (int use = 1; use <= 15; use++) {
            now = now.plusSeconds(2);
            Session read = store.find(session.id(), now).orElseThrow(() -> new AssertionError("ended despite use"));
            store.touch(read, now, idle).orElseThrow();
        }

        assertThat(now).isEqualTo(T0.plusSeconds(30));
        assertThat(store.find(session.id(), now)).isPresent();
        assertThat(store.find(session.id(), now).orElseThrow().idleExpiresAt()).isAfter(now);
    }

    @Test
    void theSlideIntervalIsHalfAShortIdleTimeoutAndAMinuteAtMost() {
        assertThat(SessionStore.touchInterval(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(5));
        assertThat(SessionStore.touchInterval(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(30));
        assertThat(SessionStore.touchInterval(Duration.ofMinutes(2))).isEqualTo(Duration.ofMinutes(1));
        assertThat(SessionStore.touchInterval(Duration.ofMinutes(30))).isEqualTo(SessionStore.TOUCH_INTERVAL);
    }

    @Test
    void touchCapsTheIdleExpiryAtTheAbsoluteExpiry() {
        Instant absolute = T0.plus(ABSOLUTE);
        Instant lastSeen = absolute.minus(Duration.ofMinutes(20));
        Session session = session(randomId(), T0, lastSeen, absolute, absolute);
        store.create(session);
        Instant now = absolute.minus(Duration.ofMinutes(10));

        Session touched = store.touch(session, now, IDLE).orElseThrow();

        assertThat(touched.idleExpiresAt()).isEqualTo(absolute);
        assertThat(touched.expiresAt()).isEqualTo(absolute);
        assertThat(touched.lastSeenAt()).isEqualTo(now);
    }

    @Test
    void touchNeverRevivesAnExpiredSession() {
        Session session = newSession(randomId(), T0);
        store.create(session);

        assertThat(store.touch(session, session.idleExpiresAt(), IDLE)).isEmpty();
        assertThat(store.find(session.id(), session.idleExpiresAt().plus(Duration.ofMinutes(1)))).isEmpty();
        assertThat(store.find(session.id(), T0)).contains(session);
    }

    @Test
    void touchOfAnUnknownSessionCreatesNothing() {
        String id = randomId();

        assertThat(store.touch(newSession(id, T0), T0.plus(SessionStore.TOUCH_INTERVAL), IDLE)).isEmpty();
        assertThat(store.find(id, T0)).isEmpty();
    }

    @Test
    void touchOfASessionAsReadJustNowSlidesIt() {
        Session session = newSession(randomId(), T0);
        store.create(session);
        Instant now = T0.plus(Duration.ofMinutes(10));
        Session read = store.find(session.id(), now).orElseThrow();

        Session touched = store.touch(read, now, IDLE).orElseThrow();

        assertThat(touched.lastSeenAt()).isEqualTo(now);
        assertThat(touched.idleExpiresAt()).isEqualTo(now.plus(IDLE));
        assertThat(touched.expiresAt()).isEqualTo(now.plus(IDLE));
        assertThat(store.find(session.id(), now)).contains(touched);
        assertThat(store.touch(touched, now.plusSeconds(1), IDLE)).as("within the touch interval").contains(touched);
    }

    @Test
    void touchOfASessionAsReadThatWasRevokedSinceIsEmptyAndCreatesNothing() {
        Session session = newSession(randomId(), T0);
        store.create(session);
        Instant now = T0.plus(Duration.ofMinutes(10));
        Session read = store.find(session.id(), now).orElseThrow();
        store.revoke(session.id(), session.userId());

        assertThat(store.touch(read, now, IDLE)).isEmpty();
        assertThat(store.find(session.id(), now)).isEmpty();
    }

    @Test
    void touchOfASessionAsReadThatWasTouchedSinceDoesNotSlideItAgain() {
        Session session = newSession(randomId(), T0);
        store.create(session);
        Instant first = T0.plus(Duration.ofMinutes(10));
        Session read = store.find(session.id(), first).orElseThrow();
        Session touchedMeanwhile = store.touch(session, first, IDLE).orElseThrow();

        Optional<Session> result = store.touch(read, first.plusSeconds(5), IDLE);

        assertThat(result).contains(touchedMeanwhile);
        assertThat(store.find(session.id(), first.plusSeconds(5))).contains(touchedMeanwhile);
    }

    @Test
    void touchOfASessionAsReadNeverRevivesItPastItsExpiry() {
        Session session = newSession(randomId(), T0);
        store.create(session);
        Session read = store.find(session.id(), T0).orElseThrow();

        assertThat(store.touch(read, session.idleExpiresAt(), IDLE)).isEmpty();
        assertThat(store.find(session.id(), T0)).contains(session);
    }

    @Test
    void updateGrantsReplacesRolesAndPermissionsOfALiveSession() {
        Session session = newSession(randomId(), T0);
        store.create(session);

        assertThat(store.updateGrants(session.id(), Set.of("admin", "user"), Set.of(), T0.plusSeconds(5))).isTrue();

        Session updated = store.find(session.id(), T0.plusSeconds(5)).orElseThrow();
        assertThat(updated.roles()).containsExactlyInAnyOrder("admin", "user");
        assertThat(updated.permissions()).isEmpty();
        assertThat(updated.secretHash()).isEqualTo(session.secretHash());
        assertThat(updated.idleExpiresAt()).isEqualTo(session.idleExpiresAt());
    }

    @Test
    void updateGrantsOfAnExpiredOrUnknownSessionIsFalse() {
        Session session = newSession(randomId(), T0);
        store.create(session);

        assertThat(store.updateGrants(session.id(), Set.of("admin"), Set.of(), T0.plus(IDLE))).isFalse();
        assertThat(store.updateGrants(randomId(), Set.of("admin"), Set.of(), T0)).isFalse();
        assertThat(store.find(session.id(), T0).orElseThrow().roles()).containsExactly("user");
    }

    @Test
    void revokeDeletesTheSession() {
        Session session = newSession(randomId(), T0);
        store.create(session);

        assertThat(store.revoke(session.id(), session.userId())).isTrue();
        assertThat(store.find(session.id(), T0)).isEmpty();
        assertThat(store.revoke(session.id(), session.userId())).isFalse();
    }

    @Test
    void revokeRefusesAnotherUsersSession() {
        Session session = newSession(randomId(), T0);
        store.create(session);

        assertThat(store.revoke(session.id(), randomId())).isFalse();
        assertThat(store.find(session.id(), T0)).contains(session);
    }

    @Test
    void revokeOfAnUnknownSessionIsFalse() {
        assertThat(store.revoke(randomId(), randomId())).isFalse();
    }

    @Test
    void revokeAllDeletesEverySessionOfTheUserAndNoOther() {
        String userId = randomId();
        String otherUserId = randomId();
        List<Session> sessions = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            Session session = newSession(userId, T0.plusSeconds(i));
            store.create(session);
            sessions.add(session);
        }
        Session other = newSession(otherUserId, T0);
        store.create(other);

        int revoked = store.revokeAll(userId);

        assertThat(revoked).isEqualTo(35);
        assertThat(store.listLive(userId, T0.plusSeconds(40))).isEmpty();
        assertThat(sessions).allSatisfy(session -> assertThat(store.find(session.id(), T0.plusSeconds(40))).isEmpty());
        assertThat(store.listLive(otherUserId, T0)).containsExactly(other);
    }

    @Test
    void revokeAllOfAUserWithoutSessionsIsZero() {
        assertThat(store.revokeAll(randomId())).isZero();
    }

    @Test
    void listsTheUsersLiveSessionsOldestFirst() {
        String userId = randomId();
        Session newest = newSession(userId, T0.plus(Duration.ofMinutes(2)));
        Session oldest = newSession(userId, T0);
        Session middle = newSession(userId, T0.plus(Duration.ofMinutes(1)));
        Session expired = newSession(userId, T0.minus(Duration.ofHours(1)));
        Session someoneElses = newSession(randomId(), T0);
        for (Session session : List.of(newest, oldest, middle, expired, someoneElses)) {
            store.create(session);
        }

        List<Session> live = store.listLive(userId, T0.plus(Duration.ofMinutes(5)));

        assertThat(live).containsExactly(oldest, middle, newest);
    }

    @Test
    void listsNothingForAUserWithoutSessions() {
        assertThat(store.listLive(randomId(), T0)).isEmpty();
    }

    @Test
    void touchRacingRevokeAlwaysEndsRevoked() throws Exception {
        Instant now = T0.plus(Duration.ofMinutes(2));
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 40; round++) {
                Session session = newSession(randomId(), T0);
                store.create(session);
                CountDownLatch start = new CountDownLatch(1);

                Future<?> touch = threads.submit(() -> {
                    start.await();
                    return store.touch(session, now, IDLE);
                });
                Future<?> revoke = threads.submit(() -> {
                    start.await();
                    return store.revoke(session.id(), session.userId());
                });
                start.countDown();
                touch.get();
                revoke.get();

                assertThat(store.find(session.id(), now)).as("round %d", round).isEmpty();
                assertThat(store.listLive(session.userId(), now)).as("round %d", round).isEmpty();
            }
        }
    }
}
