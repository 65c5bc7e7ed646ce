package dev.authfn.local;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options {@code start-api} and {@code invoke} share: which template, bound how, on which DynamoDB and keys. */
final class TemplateOptions {

    @Option(names = "--dynamodb-endpoint", paramLabel = "URL", converter = Converters.Endpoint.class,
            description = "use this DynamoDB API (moto, LocalStack, DynamoDB Local, AWS) instead of starting moto_server")
    private URI dynamodbEndpoint;

    @Option(names = "--keys", paramLabel = "FILE",
            description = "the key set JSON to use instead of a generated one (see ./authfn keys generate)")
    private Path keys;

    @Option(names = "--template", paramLabel = "FILE",
            description = "the SAM template (default: template.yaml at the repository root)")
    private Path template;

    @Option(names = "--parameter", paramLabel = "NAME=VALUE",
            description = "value for a template parameter, over its Default (repeatable)")
    private Map<String, String> parameters = new LinkedHashMap<>();

    @Option(names = "--debug", description = "show the stack trace of a failing handler")
    boolean debug;

    /** The template given, else {@code authfn.template} (which ./authfn sets), else ./template.yaml. */
    Path template() {
        return template != null ? template : Path.of(System.getProperty("authfn.template", "template.yaml"));
    }

    Optional<URI> dynamodbEndpoint() {
        return Optional.ofNullable(dynamodbEndpoint);
    }

    /** The key set file's text, when one is given. */
    Optional<String> keySet() {
        if (keys == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(keys));
        } catch (IOException e) {
            throw new UsageException("--keys: cannot read " + keys + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Where the key set comes from, for the start-up line. */
    String keySetSource() {
        return keys == null ? "generated for this run" : "from " + keys;
    }

    Map<String, String> parameters() {
        return parameters;
    }
}
