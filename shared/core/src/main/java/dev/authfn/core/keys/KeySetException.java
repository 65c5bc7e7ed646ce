package dev.authfn.core.keys;

import java.util.List;

/**
 * A key set that cannot be used, with every problem found in it at once. Problems name keys by
 * {@code kid} (or position) and never hold key material.
 */
public final class KeySetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public KeySetException(List<String> problems) {
        super("invalid key set: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem, in the order found. */
    public List<String> problems() {
        return problems;
    }
}
