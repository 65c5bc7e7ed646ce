package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStoreTest {

    private static final Optional<URI> ENDPOINT = Optional.of(URI.create("http://127.0.0.1:4566"));

    @TempDir
    Path bin;

    @Test
    void withoutAChoiceItIsDynamoDbWhenThereIsOneAndMemoryOtherwise() throws IOException {
        String withMoto = motoIn(bin).toString();

        assertThat(LocalStore.choose(Optional.empty(), Optional.empty(), withMoto)).isEqualTo(LocalStore.DYNAMODB);
        assertThat(LocalStore.choose(Optional.empty(), ENDPOINT, "/nowhere")).isEqualTo(LocalStore.DYNAMODB);
        assertThat(LocalStore.choose(Optional.empty(), Optional.empty(), "/nowhere")).isEqualTo(LocalStore.MEMORY);
        assertThat(LocalStore.choose(Optional.empty(), Optional.empty(), null)).isEqualTo(LocalStore.MEMORY);
    }

    @Test
    void anExplicitChoiceIsKeptWhenItCanBeServed() throws IOException {
        assertThat(LocalStore.choose(Optional.of(LocalStore.MEMORY), Optional.empty(), motoIn(bin).toString()))
                .isEqualTo(LocalStore.MEMORY);
        assertThat(LocalStore.choose(Optional.of(LocalStore.DYNAMODB), ENDPOINT, "/nowhere")).isEqualTo(LocalStore.DYNAMODB);
    }

    @Test
    void dynamodbWithoutAnEndpointOrMotoNamesTheThreeWaysToGetOne() {
        assertThatThrownBy(() -> LocalStore.choose(Optional.of(LocalStore.DYNAMODB), Optional.empty(), "/nowhere"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--store dynamodb needs a DynamoDB API: put moto_server on the PATH (pip install "
                        + "'moto[server]'), or run LocalStack and pass --dynamodb-endpoint http://127.0.0.1:4566, or pass "
                        + "--dynamodb-endpoint https://dynamodb.<region>.amazonaws.com for AWS (with AWS credentials)");
    }

    @Test
    void memoryWithAnEndpointIsAUsageError() {
        assertThatThrownBy(() -> LocalStore.choose(Optional.of(LocalStore.MEMORY), ENDPOINT, "/nowhere"))
                .isInstanceOf(UsageException.class)
                .hasMessage("--store memory uses no DynamoDB: drop --dynamodb-endpoint, or use --store dynamodb");
    }

    private static Path motoIn(Path dir) throws IOException {
        Path moto = dir.resolve("moto_server");
        Files.writeString(moto, "#!/bin/sh\n");
        Files.setPosixFilePermissions(moto, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }
}
