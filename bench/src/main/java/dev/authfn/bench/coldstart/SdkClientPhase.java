package dev.authfn.bench.coldstart;

import dev.authfn.dynamodb.DynamoDbClients;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The {@code --sdk} breakdown phase: builds and closes the DynamoDB client the functions would
 * build from this environment. A class of its own, so that a driver run from a jar without the
 * AWS SDK (the JWKS function's) never links against the SDK's types.
 */
final class SdkClientPhase {

    private SdkClientPhase() {
    }

    static void build(Map<String, String> environment) {
        Region region = Region.of(environment.getOrDefault("AWS_REGION", "us-east-1"));
        Optional<URI> endpoint = Optional.ofNullable(environment.get("AUTHFN_DYNAMODB_ENDPOINT"))
                .filter(value -> !value.isBlank()).map(URI::create);
        StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                environment.get("AWS_ACCESS_KEY_ID"), environment.get("AWS_SECRET_ACCESS_KEY")));
        DynamoDbClients.create(endpoint, region, credentials).close();
    }
}
