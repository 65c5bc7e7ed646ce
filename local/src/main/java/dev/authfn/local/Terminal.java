package dev.authfn.local;

import dev.authfn.auth.Components;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/**
 * What a command reads and writes: the standard streams and the environment, given rather than
 * read from {@link System} so that tests run a command as a person would, without a process.
 *
 * @param localRoot the root of the local API this command runs inside (an admin command a
 *     {@code start-api} on in-memory stores runs for the CLI, see {@link LocalAdminChannel});
 *     empty for a command of its own process
 */
record Terminal(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment,
        Optional<Components> localRoot) {

    Terminal(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {
        this(in, out, err, environment, Optional.empty());
    }

    /** This process's streams and environment. */
    static Terminal system() {
        return new Terminal(System.in, System.out, System.err, System.getenv());
    }
}
