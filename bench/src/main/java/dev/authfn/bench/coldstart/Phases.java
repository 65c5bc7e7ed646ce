package dev.authfn.bench.coldstart;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
     * {@code --classes FILE} ({@link #loadClasses}), then {@code --sdk} ({@link #buildSdkClient}).
     */
    static void runRequested(List<String> options, Checkpoints checkpoints) throws IOException {
        if (options.contains("--classes")) {
            loadClasses(Path.of(options.get(options.indexOf("--classes") + 1)));
            checkpoints.mark("classes");
        }
        if (options.contains("--sdk")) {
            buildSdkClient(System.getenv());
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

    /** Builds and closes the client AuthfnRuntime would build from this environment. */
    static void buildSdkClient(Map<String, String> environment) {
        var region = software.amazon.awssdk.regions.Region.of(environment.getOrDefault("AWS_REGION", "us-east-1"));
        Optional<URI> endpoint = Optional.ofNullable(environment.get("AUTHFN_DYNAMODB_ENDPOINT"))
                .filter(value -> !value.isBlank()).map(URI::create);
        var credentials = software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(
                        environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY")));
        dev.authfn.dynamodb.DynamoDbClients.create(endpoint, region, credentials).close();
    }
}
