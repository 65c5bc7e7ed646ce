package dev.authfn.dynamodb.internal;

import dev.authfn.core.account.AccountStore;
import dev.authfn.core.account.Outbox;
import dev.authfn.core.mfa.MfaStore;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.passkey.PasskeyStore;
import dev.authfn.dynamodb.DynamoDbAccountStore;
import dev.authfn.dynamodb.DynamoDbMfaStore;
import dev.authfn.dynamodb.DynamoDbOAuthStore;
import dev.authfn.dynamodb.DynamoDbPasskeyStore;
import dev.authfn.dynamodb.DynamoDbOutbox;

import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.config.AwsRegion;
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
 * The DynamoDB client and the stores over it: the one class behind
 * {@link dev.authfn.dynamodb.DynamoDbStores} that names AWS SDK types, made on first use.
 *
 * @param users null when the function has no users table (so are {@code accounts}, {@code mfa},
 *     {@code passkeys} and {@code oauth})
 * @param outbox null when the function has no outbox table
 */
public record Tables(DynamoDbClient client, SessionStore sessions, UserStore users, AccountStore accounts,
        MfaStore mfa, PasskeyStore passkeys, OAuthStore oauth, Outbox outbox) {

    /** Builds the client (no request is made) and the stores of the configured tables. */
    public static Tables open(AuthfnConfig config, Map<String, String> environment) {
        Region region = Region.of(AwsRegion.require(environment));
        DynamoDbClient client = credentials(environment)
                .map(credentials -> DynamoDbClients.create(config.dynamodbEndpoint(), region, credentials))
                .orElseGet(() -> DynamoDbClients.create(config.dynamodbEndpoint(), region));
        SessionStore sessions = new DynamoDbSessionStore(client, config.sessionsTable().orElseThrow());
        UserStore users = config.usersTable().map(table -> (UserStore) new DynamoDbUserStore(client, table)).orElse(null);
        AccountStore accounts = config.usersTable()
                .map(table -> (AccountStore) new DynamoDbAccountStore(client, table)).orElse(null);
        MfaStore mfa = config.usersTable().map(table -> (MfaStore) new DynamoDbMfaStore(client, table)).orElse(null);
        PasskeyStore passkeys = config.usersTable()
                .map(table -> (PasskeyStore) new DynamoDbPasskeyStore(client, table)).orElse(null);
        OAuthStore oauth = config.usersTable()
                .map(table -> (OAuthStore) new DynamoDbOAuthStore(client, table)).orElse(null);
        Outbox outbox = config.outboxTable().map(table -> (Outbox) new DynamoDbOutbox(client, table)).orElse(null);
        return new Tables(client, sessions, users, accounts, mfa, passkeys, oauth, outbox);
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
}
