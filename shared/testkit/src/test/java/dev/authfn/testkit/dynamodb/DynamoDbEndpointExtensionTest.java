package dev.authfn.testkit.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension.Running;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint.Kind;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class DynamoDbEndpointExtensionTest {

    @Test
    void failsNamingTheThreeWaysWhenNoneIsAvailable(@TempDir Path emptyDirectory) {
        Map<String, String> environment = Map.of("PATH", emptyDirectory.toString());

        assertThatThrownBy(() -> DynamoDbEndpointExtension.start(environment, () -> false))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessage(DynamoDbEndpointExtension.NO_ENDPOINT_MESSAGE)
                .hasMessageContaining("set AUTHFN_TEST_AWS_ENDPOINT")
                .hasMessageContaining("start Docker, so that Testcontainers can run LocalStack (localstack/localstack:4.14)")
                .hasMessageContaining("put moto_server on the PATH");
    }

    @Test
    void usesRealAwsWithTheDefaultCredentialsChainWhenTheVariableSaysAws() {
        Map<String, String> environment = Map.of(DynamoDbEndpointExtension.ENDPOINT_VARIABLE, "aws",
                "AWS_REGION", "eu-central-1");

        try (Running running = DynamoDbEndpointExtension.start(environment, () -> {
            throw new AssertionError("Docker must not be asked when the variable is set");
        })) {
            assertThat(running.endpoint().kind()).isEqualTo(Kind.AWS);
            assertThat(running.endpoint().endpoint()).isEmpty();
            assertThat(running.endpoint().region()).isEqualTo(Region.EU_CENTRAL_1);
            assertThat(running.endpoint().credentials()).isInstanceOf(DefaultCredentialsProvider.class);
        }
    }

    @Test
    void rejectsAVariableThatIsNeitherAnHttpUrlNorAws() {
        Map<String, String> environment = Map.of(DynamoDbEndpointExtension.ENDPOINT_VARIABLE, "localhost:4566");

        assertThatThrownBy(() -> DynamoDbEndpointExtension.start(environment, () -> false))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("must be an http(s) URL");
    }

    @Test
    void givesEachTableNameAFreshSuffix() {
        DynamoDbTestEndpoint endpoint = new DynamoDbTestEndpoint(Kind.OTHER, java.util.Optional.empty(),
                Region.US_EAST_1, DefaultCredentialsProvider.builder().build());

        String first = endpoint.freshTableName("sessions");
        String second = endpoint.freshTableName("sessions");

        assertThat(first).matches("sessions-[0-9a-f]{12}");
        assertThat(second).isNotEqualTo(first);
    }
}
