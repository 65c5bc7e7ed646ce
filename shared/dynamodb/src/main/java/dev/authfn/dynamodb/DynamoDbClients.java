package dev.authfn.dynamodb;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Builds the one {@link DynamoDbClient} a function uses, once at init. It uses the small
 * URL-connection HTTP client and bounded timeouts, so that an unreachable endpoint fails within
 * seconds ({@link #API_CALL_TIMEOUT} at most) and the caller can fail closed.
 */
public final class DynamoDbClients {

    public static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(3);
    /** The whole call, all attempts and back-off included. */
    public static final Duration API_CALL_TIMEOUT = Duration.ofSeconds(5);
    /** The first try and two retries. */
    public static final int MAX_ATTEMPTS = 3;

    private DynamoDbClients() {}

    /**
     * A client for {@code region}, with credentials from the SDK's default provider chain.
     *
     * @param endpoint an endpoint override (LocalStack, moto); empty for AWS's own endpoint
     */
    public static DynamoDbClient create(Optional<URI> endpoint, Region region) {
        return builder(endpoint, region).build();
    }

    /** As {@link #create(Optional, Region)}, with the given credentials (emulators, tools). */
    public static DynamoDbClient create(Optional<URI> endpoint, Region region,
            AwsCredentialsProvider credentials) {
        return builder(endpoint, region).credentialsProvider(credentials).build();
    }

    /**
     * The builder {@link #create} builds, for a caller that changes one setting before building
     * (the bench's {@code SdkClientVariants} measures what each costs a cold start).
     */
    public static DynamoDbClientBuilder builder(Optional<URI> endpoint, Region region) {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .region(region)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECTION_TIMEOUT)
                        .socketTimeout(SOCKET_TIMEOUT))
                .overrideConfiguration(config -> config
                        .apiCallTimeout(API_CALL_TIMEOUT)
                        .retryStrategy(retry -> retry.maxAttempts(MAX_ATTEMPTS)));
        endpoint.ifPresent(builder::endpointOverride);
        return builder;
    }
}
