package dev.authfn.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OnFirstUseTest {

    @Test
    void makesNothingUntilAskedThenTheSameValueEveryTime() {
        AtomicInteger made = new AtomicInteger();
        OnFirstUse<Object> value = new OnFirstUse<>(() -> {
            made.incrementAndGet();
            return new Object();
        });

        assertThat(made).hasValue(0);
        assertThat(value.isMade()).isFalse();
        Object first = value.get();

        assertThat(value.get()).isSameAs(first);
        assertThat(made).hasValue(1);
        assertThat(value.isMade()).isTrue();
    }

    @Test
    void triesAgainAfterAFailedAttempt() {
        AtomicInteger attempts = new AtomicInteger();
        OnFirstUse<String> value = new OnFirstUse<>(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("endpoint unreachable");
            }
            return "client";
        });

        assertThatThrownBy(value::get).isInstanceOf(IllegalStateException.class);
        assertThat(value.get()).isEqualTo("client");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void refusesANullValue() {
        OnFirstUse<String> value = new OnFirstUse<>(() -> null);

        assertThatThrownBy(value::get).isInstanceOf(NullPointerException.class);
        assertThat(value.isMade()).isFalse();
    }
}
