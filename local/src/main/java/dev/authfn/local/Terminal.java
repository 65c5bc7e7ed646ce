package dev.authfn.local;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command reads and writes: the standard streams and the environment, given rather than
 * read from {@link System} so that tests run a command as a person would, without a process.
 */
record Terminal(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment) {

    /** This process's streams and environment. */
    static Terminal system() {
        return new Terminal(System.in, System.out, System.err, System.getenv());
    }
}
