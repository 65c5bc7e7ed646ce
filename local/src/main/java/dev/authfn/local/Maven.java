package dev.authfn.local;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs Maven in the repository, its output on this process's terminal, for {@code test} and {@code package}. */
final class Maven {

    private Maven() {
    }

    /** The repository root: {@code authfn.root}, which ./authfn sets, else the working directory. */
    static Path root() {
        return Path.of(System.getProperty("authfn.root", ".")).toAbsolutePath().normalize();
    }

    /** Runs {@code mvn arguments...} in {@link #root()} and answers its exit status. */
    static int run(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("mvn");
        command.addAll(arguments);
        Process maven;
        try {
            maven = new ProcessBuilder(command).directory(root().toFile()).inheritIO().start();
        } catch (IOException e) {
            throw new CommandFailedException("cannot run Maven (" + e.getMessage() + "); install Maven 3.8 or newer");
        }
        try {
            return maven.waitFor();
        } finally {
            maven.destroy();
        }
    }
}
