package dev.authfn.bench.coldstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The optional phases of a breakdown run: loading the classes a training run of the same
 * scenario loaded (so that the handler's init and first call find them loaded), and building a
 * DynamoDB client the way the functions do (so that the SDK's own initialisation shows apart).
 */
final class Phases {

    private Phases() {
    }

    /**
     * The breakdown phases a driver's {@code options} ask for, each followed by its checkpoint:
     * {@code --classes FILE} ({@link #loadClasses}), then {@code --sdk} ({@link SdkClientPhase}).
     */
    static void runRequested(List<String> options, Checkpoints checkpoints) throws IOException {
        if (options.contains("--classes")) {
            loadClasses(Path.of(options.get(options.indexOf("--classes") + 1)));
            checkpoints.mark("classes");
        }
        if (options.contains("--sdk")) {
            SdkClientPhase.build(System.getenv());
            checkpoints.mark("sdk");
        }
    }

    /**
     * Loads, without initialising, every class named in {@code classList} (one binary name a line,
     * as {@code coldstart.sh} extracts them from {@code -Xlog:class+load}); names that are not
     * there (hidden classes, lambda forms) are skipped.
     */
    static int loadClasses(Path classList) throws IOException {
        ClassLoader loader = Phases.class.getClassLoader();
        int loaded = 0;
        for (String name : Files.readAllLines(classList)) {
            try {
                Class.forName(name, false, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                // generated at run time: nothing to load by name
            }
        }
        return loaded;
    }
}
