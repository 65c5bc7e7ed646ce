package dev.authfn.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RefreshingKeySetTest {

    private static final Duration INTERVAL = Duration.ofMinutes(5);

    private final SteppedClock clock = new SteppedClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final String firstJson = KeySet.generate(clock).toJson();
    private final AtomicReference<String> secret = new AtomicReference<>(firstJson);
    private final AtomicInteger reads = new AtomicInteger();
    private final List<String> warnings = new ArrayList<>();
    private final RefreshingKeySet keys = new RefreshingKeySet(() -> {
        reads.incrementAndGet();
        String json = secret.get();
        if (json == null) {
            throw new IllegalStateException("Secrets Manager unavailable");
        }
        return json;
    }, INTERVAL, clock, warnings::add);

    @Test
    void readsAgainOnlyOnceTheIntervalHasPassed() {
        KeySet first = keys.get();
        clock.advance(INTERVAL.minusSeconds(1));

        assertThat(keys.get()).isSameAs(first);
        assertThat(reads).hasValue(1);

        clock.advance(Duration.ofSeconds(1));
        keys.get();
        assertThat(reads).hasValue(2);
    }

    @Test
    void keepsTheSameKeySetWhenTheSecretHasNotChanged() {
        KeySet first = keys.get();
        clock.advance(INTERVAL);

        assertThat(keys.get()).isSameAs(first);
        assertThat(reads).hasValue(2);
    }

    @Test
    void takesTheNewKeySetWhenTheSecretChanged() {
        KeySet first = keys.get();
        KeySet rotated = first.rotate(KeyPurpose.JWT, clock);
        secret.set(rotated.toJson());
        clock.advance(INTERVAL);

        KeySet refreshed = keys.get();

        assertThat(refreshed).isNotSameAs(first);
        assertThat(refreshed.toJson()).isEqualTo(rotated.toJson());
    }

    @Test
    void keepsTheLastGoodKeySetWhenARefreshFailsAndTriesAgainNextInterval() {
        KeySet first = keys.get();
        secret.set(null);
        clock.advance(INTERVAL);

        assertThat(keys.get()).isSameAs(first);
        assertThat(warnings).containsExactly("{\"level\":\"WARN\",\"event\":\"keys\",\"outcome\":\"refresh_failed\","
                + "\"reason\":\"KEY_SOURCE_UNAVAILABLE\",\"cause\":\"IllegalStateException\","
                + "\"detail\":\"keeping the previous key set until the next try\"}");

        secret.set(firstJson);
        clock.advance(INTERVAL);
        assertThat(keys.get()).isSameAs(first);
        assertThat(reads).hasValue(3);
    }

    @Test
    void keepsTheLastGoodKeySetWhenARefreshReadsAnInvalidKeySetAndSaysSoWithoutQuotingIt() {
        KeySet first = keys.get();
        secret.set("{\"keys\":[{\"kid\":\"k1\",\"k\":\"c2VjcmV0\"}]}");
        clock.advance(INTERVAL);

        assertThat(keys.get()).isSameAs(first);
        assertThat(warnings).singleElement().satisfies(line -> {
            assertThat(line).contains("\"reason\":\"KEY_SET_INVALID\"", "\"cause\":\"KeySetException\"");
            assertThat(line).doesNotContain("c2VjcmV0", "k1");
        });
    }

    @Test
    void failsAtConstructionWhenTheFirstReadFails() {
        assertThatThrownBy(() -> new RefreshingKeySet(() -> {
            throw new IllegalStateException("no secret");
        }, INTERVAL, clock, warnings::add)).isInstanceOf(IllegalStateException.class).hasMessage("no secret");
    }

    /** A clock moved by hand (the test kit's MutableClock is out of reach: the kit depends on core). */
    private static final class SteppedClock extends java.time.Clock {
        private volatile Instant now;

        SteppedClock(Instant start) {
            this.now = start;
        }

        void advance(Duration step) {
            now = now.plus(step);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
