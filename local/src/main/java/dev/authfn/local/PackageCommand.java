package dev.authfn.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ./authfn package}: the deployable jars, which sam build's Makefile copies. */
@Command(name = "package", header = "Build the functions' deployable jars (authfn-<f>-lambda.jar).",
        description = {
            "Builds the shaded, minimised jar of each function named (all of them when none is) without "
                    + "running tests. sam build calls this through the Makefile (BuildMethod: makefile)."})
final class PackageCommand implements Callable<Integer> {

    @Mixin
    private HelpOption help;

    private final Terminal terminal;

    @Parameters(paramLabel = "FUNCTION", completionCandidates = Functions.class,
            description = "a function: ${COMPLETION-CANDIDATES}")
    private List<String> functions = List.of();

    PackageCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        List<String> all = Functions.names();
        for (String function : functions) {
            if (!all.contains(function)) {
                throw new UsageException("no function named " + function + " (functions/ has: " + String.join(" ", all) + ")");
            }
        }
        String modules = String.join(",", (functions.isEmpty() ? all : functions).stream().map(f -> "functions/" + f).toList());
        terminal.err().println("authfn: packaging " + modules);
        return Maven.run(List.of("-B", "-q", "-DskipTests", "-pl", modules, "-am", "package"));
    }

    /** The functions in the repository: the folders of functions/ that hold a pom.xml (none outside a checkout). */
    static final class Functions implements Iterable<String> {
        static List<String> names() {
            Path functions = Maven.root().resolve("functions");
            if (!Files.isDirectory(functions)) {
                return List.of();
            }
            try (Stream<Path> folders = Files.list(functions)) {
                return folders.filter(folder -> Files.isRegularFile(folder.resolve("pom.xml")))
                        .map(folder -> folder.getFileName().toString()).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + functions, e);
            }
        }

        @Override
        public Iterator<String> iterator() {
            return names().iterator();
        }
    }
}
