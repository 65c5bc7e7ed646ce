package dev.authfn.core;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value made once, by the first thread that asks for it; later calls return the same value. A
 * failed attempt is not remembered: the next call tries again.
 */
public final class OnFirstUse<T> implements Supplier<T> {

    private final Supplier<? extends T> factory;
    private volatile T value;

    public OnFirstUse(Supplier<? extends T> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public T get() {
        T made = value;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (value == null) {
                value = Objects.requireNonNull(factory.get(), "the factory returned null");
            }
            return value;
        }
    }

    /** Whether the value has been made. */
    public boolean isMade() {
        return value != null;
    }
}
