package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.mfa.MfaStore;
import dev.authfn.core.session.Session;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.testkit.InMemorySessionStore;
import dev.authfn.testkit.InMemoryUserStore;
import dev.authfn.testkit.LaggingIndexSessionStore;
import dev.authfn.testkit.SessionStoreContract;
import dev.authfn.testkit.UnavailableSessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class UserAdministrationTest {

    private static final Instant T0 = SessionStoreContract.T0;

    private final InMemorySessionStore sessions = new InMemorySessionStore();
    private final InMemoryUserStore users = new InMemoryUserStore();
    private final List<String> audited = new ArrayList<>();
    private final UserAdministration admin = new UserAdministration(users, sessions, users.mfa(), users.passkeys(),
            Clock.fixed(T0, ZoneOffset.UTC), audited::add);
    private final User alice = new User("alice", UUID.randomUUID().toString(), "old-hash", Set.of("user"), Set.of(),
            UserStatus.ACTIVE, 0, Instant.EPOCH);
    private final Session someoneElses = SessionStoreContract.newSession(UUID.randomUUID().toString(), T0);

    UserAdministrationTest() {
        users.create(alice);
        for (int i = 0; i < 3; i++) {
            sessions.create(SessionStoreContract.newSession(alice.userId(), T0.plusSeconds(i)));
        }
        sessions.create(someoneElses);
    }

    @Test
    void disablingAUserEndsEveryOneOfTheirSessionsAndNoOneElses() {
        assertThat(admin.disable("alice")).hasValue(3);

        assertThat(users.get("alice").orElseThrow().status()).isEqualTo(UserStatus.DISABLED);
        assertThat(sessions.listLive(alice.userId(), T0.plusSeconds(5))).isEmpty();
        assertThat(sessions.find(someoneElses.id(), T0)).contains(someoneElses);
    }

    @Test
    void replacingAPasswordEndsEveryOneOfTheirSessions() {
        assertThat(admin.replacePassword("alice", "new-hash")).hasValue(3);

        assertThat(users.get("alice").orElseThrow().passwordHash()).isEqualTo("new-hash");
        assertThat(sessions.listLive(alice.userId(), T0.plusSeconds(5))).isEmpty();
        assertThat(sessions.find(someoneElses.id(), T0)).contains(someoneElses);
    }

    @Test
    void endingSessionsLeavesTheUserActive() {
        assertThat(admin.endSessions("alice")).hasValue(3);

        assertThat(users.get("alice").orElseThrow().status()).isEqualTo(UserStatus.ACTIVE);
        assertThat(sessions.listLive(alice.userId(), T0.plusSeconds(5))).isEmpty();
    }

    @Test
    void anUnknownUserChangesNothing() {
        assertThat(admin.disable("bob")).isEmpty();
        assertThat(admin.replacePassword("bob", "x")).isEmpty();
        assertThat(admin.endSessions("bob")).isEmpty();

        assertThat(sessions.listLive(alice.userId(), T0.plusSeconds(5))).hasSize(3);
    }

    // --- second factor reset (issue 15) ---

    private void enrolAlice() {
        assertThat(users.mfa().beginTotp("alice", alice.userId(), "k1.sealed", T0)).isTrue();
        assertThat(users.mfa().confirmTotp("alice", alice.userId(), "k1.sealed", 1000, Set.of("h1", "h2"), T0)).isTrue();
    }

    @Test
    void resettingTheSecondFactorRemovesItAndEndsEverySessionOfTheUserAndAuditsIt() {
        enrolAlice();

        assertThat(admin.mfaReset("alice")).contains(new UserAdministration.MfaReset(true, 0, 3));

        assertThat(users.mfa().totp("alice")).isEmpty();
        assertThat(users.get("alice").orElseThrow().mfaEnrolled()).isFalse();
        assertThat(users.get("alice").orElseThrow().status()).isEqualTo(UserStatus.ACTIVE);
        assertThat(sessions.listLive(alice.userId(), T0.plusSeconds(5))).isEmpty();
        assertThat(sessions.find(someoneElses.id(), T0)).contains(someoneElses);
        assertThat(audited).containsExactly(
                "{\"level\":\"INFO\",\"event\":\"mfa_reset\",\"outcome\":\"removed\",\"user\":\"alice\",\"sessions\":3}");
    }

    @Test
    void resettingTheSecondFactorsRemovesEveryPasskeyToo() {
        String handle = users.passkeys().userHandle("alice", alice.userId(), "handle").orElseThrow();
        for (String id : java.util.List.of("cred-1", "cred-2")) {
            assertThat(users.passkeys().add(new dev.authfn.core.passkey.Passkey(id, "alice", alice.userId(), handle, "key",
                    0, "00000000-0000-0000-0000-000000000000", java.util.List.of(), false, false, "Passkey", T0,
                    java.util.Optional.empty(), false), 10)).isEqualTo(dev.authfn.core.passkey.PasskeyStore.Added.ADDED);
        }

        assertThat(admin.mfaReset("alice")).contains(new UserAdministration.MfaReset(false, 2, 3));

        assertThat(users.passkeys().list("alice", alice.userId())).isEmpty();
        assertThat(users.passkeys().find("cred-1")).isEmpty();
        assertThat(audited).containsExactly(
                "{\"level\":\"INFO\",\"event\":\"mfa_reset\",\"outcome\":\"removed\",\"user\":\"alice\",\"sessions\":3}");
    }

    @Test
    void resettingAPendingFactorRemovesItToo() {
        users.mfa().beginTotp("alice", alice.userId(), "k1.sealed", T0);

        assertThat(admin.mfaReset("alice")).contains(new UserAdministration.MfaReset(true, 0, 3));

        assertThat(users.mfa().totp("alice")).isEmpty();
    }

    @Test
    void resettingAUserWithoutAFactorStillEndsTheirSessionsAndSaysThereWasNone() {
        assertThat(admin.mfaReset("alice")).contains(new UserAdministration.MfaReset(false, 0, 3));

        assertThat(sessions.listLive(alice.userId(), T0.plusSeconds(5))).isEmpty();
        assertThat(audited).containsExactly(
                "{\"level\":\"INFO\",\"event\":\"mfa_reset\",\"outcome\":\"no_factor\",\"user\":\"alice\",\"sessions\":3}");
    }

    @Test
    void resettingAnUnknownUserChangesNothingAndIsAuditedAsRefused() {
        enrolAlice();

        assertThat(admin.mfaReset("bob")).isEmpty();

        assertThat(users.mfa().totp("alice")).isPresent();
        assertThat(sessions.listLive(alice.userId(), T0.plusSeconds(5))).hasSize(3);
        assertThat(audited).containsExactly("{\"level\":\"WARN\",\"event\":\"mfa_reset\",\"outcome\":\"refused\","
                + "\"reason\":\"NO_SUCH_USER\",\"user\":\"bob\"}");
    }

    @Test
    void aSessionStoreOutageAfterTheRemovalIsAuditedAndResettingAgainFinishesTheJob() {
        enrolAlice();
        UserAdministration down = new UserAdministration(users, new UnavailableSessionStore(), users.mfa(),
                Clock.fixed(T0, ZoneOffset.UTC), audited::add);

        assertThatThrownBy(() -> down.mfaReset("alice")).isInstanceOf(StoreUnavailableException.class);

        assertThat(users.mfa().totp("alice")).as("the removal stands").isEmpty();
        assertThat(audited).containsExactly("{\"level\":\"ERROR\",\"event\":\"mfa_reset\",\"outcome\":\"error\","
                + "\"reason\":\"STORE_UNAVAILABLE\",\"user\":\"alice\"}");
        assertThat(admin.mfaReset("alice")).contains(new UserAdministration.MfaReset(false, 0, 3));
        assertThat(sessions.listLive(alice.userId(), T0.plusSeconds(5))).isEmpty();
    }

    @Test
    void disablingAndPasswordChangesLeaveTheSecondFactorAlone() {
        enrolAlice();
        Optional<MfaStore.TotpFactor> factor = users.mfa().totp("alice");

        admin.replacePassword("alice", "new-hash");
        admin.endSessions("alice");
        admin.disable("alice");

        assertThat(users.mfa().totp("alice")).isEqualTo(factor);
        assertThat(audited).as("only second-factor resets are audited here").isEmpty();
    }

    @Test
    void anAdministrationWithoutASecondFactorStoreRefusesToResetOne() {
        UserAdministration withoutMfa = new UserAdministration(users, sessions, Clock.fixed(T0, ZoneOffset.UTC));

        assertThatThrownBy(() -> withoutMfa.mfaReset("alice")).isInstanceOf(IllegalStateException.class);
        assertThat(sessions.listLive(alice.userId(), T0.plusSeconds(5))).hasSize(3);
    }

    @Test
    void resettingTheSecondFactorEndsASessionTheIndexDoesNotShowYet() {
        enrolAlice();
        assertEndsASessionTheIndexDoesNotShowYet(administration -> administration.mfaReset("alice")
                .map(reset -> OptionalInt.of(reset.sessionsEnded())).orElse(OptionalInt.empty()));
        assertThat(users.mfa().totp("alice")).isEmpty();
    }

    // --- the sessions index lags (issue 19, defect 5) ---

    @Test
    void disablingAUserEndsASessionTheIndexDoesNotShowYet() {
        assertEndsASessionTheIndexDoesNotShowYet(administration -> administration.disable("alice"));
    }

    @Test
    void replacingAPasswordEndsASessionTheIndexDoesNotShowYet() {
        assertEndsASessionTheIndexDoesNotShowYet(administration -> administration.replacePassword("alice", "new-hash"));
    }

    @Test
    void endingSessionsEndsASessionTheIndexDoesNotShowYet() {
        assertEndsASessionTheIndexDoesNotShowYet(administration -> administration.endSessions("alice"));
    }

    /** A login's session of a moment ago, which the index does not list yet, ends with the three older ones. */
    private void assertEndsASessionTheIndexDoesNotShowYet(Function<UserAdministration, OptionalInt> change) {
        Instant now = T0.plusSeconds(10);
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        LaggingIndexSessionStore lagging = new LaggingIndexSessionStore(sessions, clock, Duration.ofSeconds(1));
        Session fresh = SessionStoreContract.newSession(alice.userId(), now);
        sessions.create(fresh);
        users.registerSession(alice, fresh.id(), fresh.absoluteExpiresAt(), now);
        assertThat(lagging.listLive(alice.userId(), now)).extracting(Session::id).doesNotContain(fresh.id());

        OptionalInt ended = change.apply(new UserAdministration(users, lagging, users.mfa(), clock, line -> { }));

        assertThat(ended).hasValue(4);
        assertThat(sessions.find(fresh.id(), now)).isEmpty();
        assertThat(sessions.listLive(alice.userId(), now)).isEmpty();
        assertThat(sessions.find(someoneElses.id(), now)).contains(someoneElses);
    }
}
