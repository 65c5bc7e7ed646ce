package dev.authfn.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.secrets.testing.TestAwsEndpoint;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/** Secrets created with the AWS SDK in a real Secrets Manager API, read back with our reader. */
class SecretsManagerReaderIT {

    private static TestAwsEndpoint endpoint;
    private static SecretsManagerClient sdk;
    private static SecretsManagerReader reader;

    private final List<String> created = new ArrayList<>();

    @BeforeAll
    static void startEndpoint() throws Exception {
        endpoint = TestAwsEndpoint.start();
        SecretsManagerClientBuilder client = SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create());
        Map<String, String> lambdaEnvironment;
        if (endpoint.uri().isPresent()) {
            client.endpointOverride(endpoint.uri().get())
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
            lambdaEnvironment = Map.of(
                    "AWS_ACCESS_KEY_ID", "test",
                    "AWS_SECRET_ACCESS_KEY", "test",
                    "AWS_SESSION_TOKEN", "test-session-token",
                    "AWS_REGION", "us-east-1",
                    "AUTHFN_SECRETS_ENDPOINT", endpoint.uri().get().toString());
        } else {
            // Real AWS: the SDK takes its default chains, the reader the same environment variables.
            lambdaEnvironment = System.getenv();
        }
        sdk = client.build();
        reader = SecretsManagerReader.fromEnvironment(lambdaEnvironment, Clock.systemUTC());
    }

    @AfterEach
    void deleteSecrets() {
        created.forEach(name -> sdk.deleteSecret(r -> r.secretId(name).forceDeleteWithoutRecovery(true)));
    }

    @AfterAll
    static void stopEndpoint() {
        if (sdk != null) {
            sdk.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    void readsBackAKeySetCreatedWithTheAwsSdk() {
        String keySet = """
                {"keys":[{"kty":"oct","kid":"cookie-2025-03","status":"active","k":"GawgguFyGrWKav7AX4VKUg"}]}
                line "two" café back\\slash \uD83D\uDD11\ttab""";
        String name = createSecret(keySet);

        assertThat(reader.getSecretString(name)).isEqualTo(keySet);
    }

    @Test
    void readsASecretByItsArn() {
        String name = createSecret("{\"keys\":[]}");
        String arn = sdk.describeSecret(r -> r.secretId(name)).arn();

        assertThat(reader.getSecretString(arn)).isEqualTo("{\"keys\":[]}");
    }

    @Test
    void readsTheNewValueAfterARotation() {
        String name = createSecret("{\"keys\":[\"old\"]}");

        sdk.putSecretValue(r -> r.secretId(name).secretString("{\"keys\":[\"new\"]}"));

        assertThat(reader.getSecretString(name)).isEqualTo("{\"keys\":[\"new\"]}");
    }

    @Test
    void reportsAnUnknownSecretAsResourceNotFound() {
        String name = "authfn/it/missing-" + UUID.randomUUID();

        // AWS and LocalStack answer 400, moto 404; the error type is what callers see either way.
        assertThatThrownBy(() -> reader.getSecretString(name))
                .isInstanceOf(SecretUnavailableException.class)
                .message().matches("GetSecretValue for secret \"" + Pattern.quote(name)
                        + "\" failed: HTTP (400|404) ResourceNotFoundException");
    }

    private String createSecret(String value) {
        String name = "authfn/it/" + UUID.randomUUID();
        sdk.createSecret(r -> r.name(name).secretString(value));
        created.add(name);
        return name;
    }
}
