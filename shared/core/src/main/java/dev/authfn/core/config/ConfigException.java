package dev.authfn.core.config;

import java.util.List;

/**
 * The configuration is unusable. Thrown once at init with every problem found, each naming the
 * variable and what it must hold, never the value it holds. The message is one line, so a log
 * shows it as one event.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in the order found. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a configuration error has at least one problem");
        }
        return "invalid authfn configuration (" + problems.size()
                + (problems.size() == 1 ? " problem): " : " problems): ")
                + String.join("; ", problems);
    }
}
