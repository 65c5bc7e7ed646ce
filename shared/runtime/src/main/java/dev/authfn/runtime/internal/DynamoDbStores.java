package dev.authfn.runtime.internal;

import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.UserStore;
import dev.authfn.dynamodb.DynamoDbClients;
import dev.authfn.dynamodb.DynamoDbSessionStore;
import dev.authfn.dynamodb.DynamoDbUserStore;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A function's DynamoDB client and the stores over it. The only class of the runtime that names
 * AWS SDK types: the JVM loads SDK classes to verify any class that does, so keeping them here,
 * made only when a store is first needed, keeps a stateless bearer authorizer from loading the
 * SDK at all.
 */
public final class DynamoDbStores {

    private final SessionStore sessions;
    private final UserStore users;

    /** Builds the client (no request is made) and the stores of the configured tables. */
    public DynamoDbStores(AuthfnConfig config, Map<String, String> environment) {
        Region region = region(environment);
        DynamoDbClient client = credentials(environment)
                .map(credentials -> DynamoDbClients.create(config.dynamodbEndpoint(), region, credentials))
                .orElseGet(() -> DynamoDbClients.create(config.dynamodbEndpoint(), region));
        this.sessions = new DynamoDbSessionStore(client, config.sessionsTable().orElseThrow());
        this.users = config.usersTable().map(table -> new DynamoDbUserStore(client, table, sessions)).orElse(null);
    }

    public SessionStore sessions() {
        return sessions;
    }

    /** @throws IllegalStateException when no users table is configured */
    public UserStore users() {
        if (users == null) {
            throw new IllegalStateException("AUTHFN_USERS_TABLE is required by this function");
        }
        return users;
    }

    /**
     * Keys given in the environment map itself (the local API passes its emulator's); otherwise
     * the SDK's default chain, which also covers SnapStart's container credentials.
     */
    private static Optional<AwsCredentialsProvider> credentials(Map<String, String> environment) {
        String keyId = environment.get("AWS_ACCESS_KEY_ID");
        String secret = environment.get("AWS_SECRET_ACCESS_KEY");
        if (keyId == null || keyId.isBlank() || secret == null || secret.isBlank()) {
            return Optional.empty();
        }
        String token = environment.get("AWS_SESSION_TOKEN");
        return Optional.of(StaticCredentialsProvider.create(token == null || token.isBlank()
                ? AwsBasicCredentials.create(keyId, secret)
                : AwsSessionCredentials.create(keyId, secret, token)));
    }

    private static Region region(Map<String, String> environment) {
        String region = environment.get("AWS_REGION");
        if (region == null || region.isBlank()) {
            region = environment.get("AWS_DEFAULT_REGION");
        }
        return Region.of(region == null || region.isBlank() ? "us-east-1" : region);
    }
}
