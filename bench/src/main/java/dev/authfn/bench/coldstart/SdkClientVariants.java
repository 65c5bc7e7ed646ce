package dev.authfn.bench.coldstart;

import dev.authfn.dynamodb.DynamoDbClients;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.endpoints.AccountIdEndpointMode;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A cold start of the DynamoDB client alone, as the functions build it or with one setting
 * changed: builds the client, then reads one (missing) session item, then the JVM exits.
 *
 * <pre>
 * java -cp authfn-authorizer-lambda.jar:bench-classes dev.authfn.bench.coldstart.SdkClientVariants \
 *     LAUNCH_EPOCH_NANOS as-built|static-endpoint|no-call-timeout|no-account-id|all-three
 * </pre>
 *
 * {@code static-endpoint} answers every request with the emulator's endpoint instead of running
 * the SDK's endpoint rules; {@code no-call-timeout} drops the API call timeout (and with it the
 * SDK's timer thread); {@code no-account-id} turns account-based endpoints off. Phases printed:
 * {@code jvm}, {@code client} (built), {@code first} (the GetItem). Environment as for
 * {@link AuthorizerColdStart}'s cookie run (moto's endpoint, region, keys, sessions table).
 */
public final class SdkClientVariants {

    static final List<String> VARIANTS =
            List.of("as-built", "static-endpoint", "no-call-timeout", "no-account-id", "all-three");

    private SdkClientVariants() {
    }

    public static void main(String[] args) {
        Checkpoints checkpoints = new Checkpoints(args[0]);
        checkpoints.mark("jvm");
        String variant = args[1];
        if (!VARIANTS.contains(variant)) {
            throw new IllegalArgumentException("unknown variant " + variant + "; one of " + VARIANTS);
        }
        boolean all = variant.equals("all-three");
        boolean staticEndpoint = all || variant.equals("static-endpoint");
        Map<String, String> environment = System.getenv();
        URI endpoint = URI.create(environment.get("AUTHFN_DYNAMODB_ENDPOINT"));
        DynamoDbClientBuilder builder = DynamoDbClients.builder(
                        staticEndpoint ? Optional.empty() : Optional.of(endpoint),
                        Region.of(environment.getOrDefault("AWS_REGION", "us-east-1")))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY"))));
        if (staticEndpoint) {
            builder.endpointProvider(
                    parameters -> CompletableFuture.completedFuture(Endpoint.builder().url(endpoint).build()));
        }
        if (all || variant.equals("no-call-timeout")) {
            builder.overrideConfiguration(builder.overrideConfiguration().toBuilder().apiCallTimeout(null).build());
        }
        if (all || variant.equals("no-account-id")) {
            builder.accountIdEndpointMode(AccountIdEndpointMode.DISABLED);
        }
        try (DynamoDbClient client = builder.build()) {
            checkpoints.mark("client");
            boolean found = client.getItem(request -> request
                    .tableName(environment.get("AUTHFN_SESSIONS_TABLE"))
                    .key(Map.of("id", AttributeValue.fromS("no-such-session")))
                    .consistentRead(true)).hasItem();
            checkpoints.mark("first");
            if (found) {
                System.err.println("coldstart: a session that cannot exist was found");
                System.exit(1);
            }
        }
        checkpoints.print();
    }
}
