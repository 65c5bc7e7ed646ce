package dev.authfn.testkit.dynamodb;

import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint.Kind;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Finds a DynamoDB API for integration tests and hands it to them as a
 * {@link DynamoDbTestEndpoint} parameter (of a {@code @BeforeAll} method, typically). In this
 * order:
 *
 * <ol>
 *   <li>the endpoint URL in {@value #ENDPOINT_VARIABLE} (LocalStack, moto or another emulator
 *       already running; dummy credentials {@code test}/{@code test}, region us-east-1), or real
 *       AWS when the variable is {@code aws} (the SDK's default credentials chain, region from
 *       {@code AWS_REGION} or us-east-1);
 *   <li>LocalStack ({@value #LOCALSTACK_IMAGE}, DynamoDB only) through Testcontainers, when a
 *       Docker daemon answers;
 *   <li>a {@code moto_server} from the PATH, started on a free loopback port;
 *   <li>otherwise every test that asks fails with {@link #NO_ENDPOINT_MESSAGE}. Never a skip.
 * </ol>
 *
 * <p>One endpoint serves the whole test run: it lives in the root context's store, which stops
 * the container or the moto process when the run ends. Test classes keep apart through fresh
 * table names ({@link DynamoDbTestEndpoint#freshTableName}).
 */
public final class DynamoDbEndpointExtension implements ParameterResolver {

    public static final String ENDPOINT_VARIABLE = "AUTHFN_TEST_AWS_ENDPOINT";
    public static final String LOCALSTACK_IMAGE = "localstack/localstack:4.14";
    public static final String NO_ENDPOINT_MESSAGE = """
            No DynamoDB API for the integration tests. Give them one, in any of three ways:
              1. set AUTHFN_TEST_AWS_ENDPOINT to the URL of a running emulator \
            (e.g. http://127.0.0.1:4566), or to 'aws' for real AWS with the default credentials chain;
              2. start Docker, so that Testcontainers can run LocalStack (%s);
              3. put moto_server on the PATH (pip install 'moto[server]').""".formatted(LOCALSTACK_IMAGE);

    static final Region EMULATOR_REGION = Region.US_EAST_1;
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(DynamoDbEndpointExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DynamoDbTestEndpoint.class;
    }

    @Override
    public DynamoDbTestEndpoint resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, key -> {
                    Running running = start(System.getenv(), DynamoDbEndpointExtension::dockerAnswers);
                    System.out.println("authfn: integration tests use " + running.endpoint());
                    return running;
                }, Running.class)
                .endpoint();
    }

    private static boolean dockerAnswers() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    /** An endpoint and what to stop when the run ends. */
    record Running(DynamoDbTestEndpoint endpoint, Runnable stop) implements AutoCloseable {
        @Override
        public void close() {
            stop.run();
        }
    }

    /** Picks and, where needed, starts the endpoint, in the documented order. */
    static Running start(Map<String, String> environment, BooleanSupplier dockerAvailable) {
        String variable = environment.get(ENDPOINT_VARIABLE);
        if (variable != null && !variable.isBlank()) {
            return new Running(fromVariable(variable.strip(), environment), () -> { });
        }
        if (dockerAvailable.getAsBoolean()) {
            return startLocalStack();
        }
        Optional<Path> moto = MotoServer.findOnPath(environment.get("PATH"));
        if (moto.isPresent()) {
            return startMoto(moto.get());
        }
        throw new ParameterResolutionException(NO_ENDPOINT_MESSAGE);
    }

    private static DynamoDbTestEndpoint fromVariable(String value, Map<String, String> environment) {
        if (value.equalsIgnoreCase("aws")) {
            String region = environment.getOrDefault("AWS_REGION", EMULATOR_REGION.id());
            return new DynamoDbTestEndpoint(Kind.AWS, Optional.empty(), Region.of(region),
                    DefaultCredentialsProvider.builder().build());
        }
        URI endpoint = URI.create(value);
        if (endpoint.getScheme() == null || endpoint.getHost() == null
                || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))) {
            throw new ParameterResolutionException(ENDPOINT_VARIABLE + " must be an http(s) URL such as "
                    + "http://127.0.0.1:4566, or 'aws'; it is '" + value + "'");
        }
        return emulator(identify(endpoint), endpoint);
    }

    /** Asks the endpoint what it is: LocalStack and moto each answer on an API of their own. */
    private static Kind identify(URI endpoint) {
        try {
            if (HttpProbe.status(endpoint.resolve("/_localstack/health")).filter(status -> status == 200).isPresent()) {
                return Kind.LOCALSTACK;
            }
            if (HttpProbe.status(endpoint.resolve("/moto-api/")).filter(status -> status == 200).isPresent()) {
                return Kind.MOTO;
            }
            return Kind.OTHER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParameterResolutionException("interrupted while probing " + endpoint, e);
        }
    }

    private static Running startLocalStack() {
        LocalStackContainer container = new LocalStackContainer(DockerImageName.parse(LOCALSTACK_IMAGE))
                .withServices("dynamodb");
        container.start();
        DynamoDbTestEndpoint endpoint = new DynamoDbTestEndpoint(Kind.LOCALSTACK, Optional.of(container.getEndpoint()),
                Region.of(container.getRegion()), StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(container.getAccessKey(), container.getSecretKey())));
        return new Running(endpoint, container::stop);
    }

    private static Running startMoto(Path executable) {
        try {
            MotoServer server = MotoServer.start(executable);
            return new Running(emulator(Kind.MOTO, server.endpoint()), server::close);
        } catch (IOException e) {
            throw new ParameterResolutionException("could not start " + executable + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ParameterResolutionException("interrupted while starting " + executable, e);
        }
    }

    private static DynamoDbTestEndpoint emulator(Kind kind, URI endpoint) {
        return new DynamoDbTestEndpoint(kind, Optional.of(endpoint), EMULATOR_REGION,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
    }
}
