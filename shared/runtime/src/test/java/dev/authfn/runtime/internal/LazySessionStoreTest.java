package dev.authfn.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.session.Session;
import dev.authfn.testkit.InMemorySessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazySessionStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private final InMemorySessionStore real = new InMemorySessionStore();
    private final AtomicInteger built = new AtomicInteger();
    private final LazySessionStore lazy = new LazySessionStore(() -> {
        built.incrementAndGet();
        return real;
    });

    private static Session session(String id) {
        return new Session(id, "hash", "u-alice", "alice", Set.of("user"), Set.of(), NOW, NOW,
                NOW.plus(Duration.ofMinutes(30)), NOW.plus(Duration.ofHours(8)), "JUnit", "203.0.113.10");
    }

    @Test
    void makesTheRealStoreOnTheFirstCallOnly() {
        assertThat(lazy.isInitialized()).isFalse();

        lazy.create(session("s-1"));
        lazy.find("s-1", NOW);

        assertThat(built).hasValue(1);
        assertThat(lazy.isInitialized()).isTrue();
    }

    @Test
    void initializeMakesItWithoutACall() {
        lazy.initialize();

        assertThat(built).hasValue(1);
        assertThat(lazy.find("s-1", NOW)).isEmpty();
        assertThat(built).hasValue(1);
    }

    @Test
    void passesEveryCallThrough() {
        assertThat(lazy.create(session("s-1"))).isTrue();
        assertThat(lazy.find("s-1", NOW)).map(Session::id).contains("s-1");
        assertThat(lazy.touch("s-1", NOW.plus(Duration.ofMinutes(2)), Duration.ofMinutes(30))).isPresent();
        assertThat(lazy.updateGrants("s-1", Set.of("admin"), Set.of(), NOW)).isTrue();
        assertThat(lazy.listLive("u-alice", NOW)).extracting(Session::roles).containsExactly(Set.of("admin"));
        assertThat(lazy.revoke("s-1", "u-alice")).isTrue();
        lazy.create(session("s-2"));
        assertThat(lazy.revokeAll("u-alice")).isEqualTo(1);
        assertThat(real.find("s-2", NOW)).isEmpty();
    }
}
