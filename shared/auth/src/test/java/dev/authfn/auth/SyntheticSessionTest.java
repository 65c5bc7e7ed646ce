package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.cookie.SessionCookieCodec;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.session.Session;
import dev.authfn.testkit.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SyntheticSessionTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final CredentialCodecs codecs = new CredentialCodecs(KeySet.generate(clock),
            new CredentialCodecs.Settings("https://auth.example.com", "authfn-api", "authfn", Duration.ofMinutes(5),
                    Duration.ofSeconds(60), SessionTimeouts.DEFAULT),
            new SecureRandom(), clock);
    private final SyntheticSession synthetic = SyntheticSession.mint(codecs, SessionTimeouts.DEFAULT, NOW);

    @Test
    void mintsACookieAndTokenThatTheFunctionsOwnCodecsAccept() {
        SessionCookieCodec.Result cookie = codecs.cookies().verify(synthetic.sessionCookie(), NOW);
        AccessTokenResult token = codecs.verifier().verify(synthetic.accessToken());

        assertThat(cookie).isInstanceOfSatisfying(SessionCookieCodec.Valid.class,
                valid -> assertThat(valid.token().matchesHash(synthetic.session().secretHash())).isTrue());
        assertThat(token).isInstanceOfSatisfying(AccessTokenResult.Verified.class, verified -> {
            assertThat(verified.claims().subject()).isEqualTo(SyntheticSession.USER_ID);
            assertThat(verified.claims().roles()).isEmpty();
            assertThat(verified.claims().permissions()).isEmpty();
            assertThat(verified.claims().sessionId()).isEqualTo(synthetic.session().id());
        });
    }

    @Test
    void itsStoreKnowsOnlyTheSyntheticSessionAndWritesNothing() {
        var store = synthetic.store();
        Session other = new Session("B".repeat(22), "hash", "u-alice", "alice", java.util.Set.of(), java.util.Set.of(),
                NOW, NOW, NOW.plusSeconds(60), NOW.plusSeconds(600), "JUnit", "203.0.113.10");

        assertThat(store.find(synthetic.session().id(), NOW)).contains(synthetic.session());
        assertThat(store.find(other.id(), NOW)).isEmpty();
        assertThat(store.create(other)).isFalse();
        assertThat(store.find(other.id(), NOW)).isEmpty();
        assertThat(store.revoke(synthetic.session().id(), SyntheticSession.USER_ID)).isFalse();
        assertThat(store.find(synthetic.session().id(), NOW)).isPresent();
    }

    @Test
    void itsSessionEndsLikeAnyOther() {
        Instant idleExpiry = synthetic.session().idleExpiresAt();

        assertThat(synthetic.store().find(synthetic.session().id(), idleExpiry)).isEmpty();
        assertThat(synthetic.store().touch(synthetic.session(), idleExpiry, Duration.ofMinutes(30))).isEmpty();
    }

    @Test
    void itsStoreTouchesTheLiveSessionListsItForItsUserOnlyAndChangesNoGrants() {
        var store = synthetic.store();
        Session session = synthetic.session();

        assertThat(store.touch(session, NOW.plusSeconds(1), Duration.ofMinutes(30))).contains(session);
        assertThat(store.listLive(SyntheticSession.USER_ID, NOW)).containsExactly(session);
        assertThat(store.listLive("u-alice", NOW)).isEmpty();
        assertThat(store.listLive(SyntheticSession.USER_ID, session.idleExpiresAt())).isEmpty();
        assertThat(store.updateGrants(session.id(), java.util.Set.of("admin"), java.util.Set.of(), NOW)).isFalse();
        assertThat(store.find(session.id(), NOW).orElseThrow().roles()).isEmpty();
        assertThat(store.revokeAll(SyntheticSession.USER_ID)).isZero();
    }

    @Test
    void itsStoresHoldThatStoreAndNoUsers() {
        var stores = synthetic.stores();

        assertThat(stores.sessions().find(synthetic.session().id(), NOW)).contains(synthetic.session());
        org.assertj.core.api.Assertions.assertThatThrownBy(stores::users)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("priming reads no user");
    }
}
