package dev.authfn.testkit.dynamodb;

import java.net.URI;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The DynamoDB API that integration tests talk to, as {@link DynamoDbEndpointExtension} found
 * it.
 *
 * @param kind what answers there
 * @param endpoint the endpoint override; empty for real AWS
 * @param region the region to sign requests for
 * @param credentials static {@code test}/{@code test} for emulators, the default chain for AWS
 */
public record DynamoDbTestEndpoint(Kind kind, Optional<URI> endpoint, Region region,
        AwsCredentialsProvider credentials) {

    /** What answers at the endpoint; tests that check emulator-specific behaviour switch on it. */
    public enum Kind {
        /** LocalStack, started through Testcontainers or named in the variable. */
        LOCALSTACK,
        /** A moto server, started by the harness or named in the variable. */
        MOTO,
        /** Real AWS ({@code AUTHFN_TEST_AWS_ENDPOINT=aws}). */
        AWS,
        /** An endpoint from the variable that is neither LocalStack nor moto. */
        OTHER
    }

    public DynamoDbTestEndpoint {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(credentials, "credentials");
    }

    /** A table name no other test class uses: {@code prefix} plus a random suffix. */
    public String freshTableName(String prefix) {
        byte[] suffix = new byte[6];
        ThreadLocalRandom.current().nextBytes(suffix);
        return prefix + "-" + HexFormat.of().formatHex(suffix);
    }

    @Override
    public String toString() {
        return "DynamoDbTestEndpoint[" + kind + endpoint.map(uri -> " at " + uri).orElse("") + ", " + region + "]";
    }
}
