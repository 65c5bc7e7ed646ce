package dev.authfn.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialsTest {

    @Test
    void toStringShowsTheAccessKeyIdButNotTheSecretKeyOrToken() {
        Credentials credentials = new Credentials("ASIAQEXAMPLE7TOKEN12", "secret-access-key-value",
                Optional.of("session-token-value"));

        assertThat(credentials.toString())
                .isEqualTo("Credentials[accessKeyId=ASIAQEXAMPLE7TOKEN12, secretAccessKey=<redacted>, sessionToken=<redacted>]");
    }

    @Test
    void toStringSaysWhenThereIsNoSessionToken() {
        Credentials credentials = new Credentials("AKIDEXAMPLE", "secret-access-key-value", Optional.empty());

        assertThat(credentials.toString())
                .isEqualTo("Credentials[accessKeyId=AKIDEXAMPLE, secretAccessKey=<redacted>, sessionToken=<none>]");
    }

    @Test
    void rejectsBlankParts() {
        assertThatThrownBy(() -> new Credentials(" ", "secret", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("accessKeyId must not be blank");
        assertThatThrownBy(() -> new Credentials("AKIDEXAMPLE", "", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("secretAccessKey must not be blank");
        assertThatThrownBy(() -> new Credentials("AKIDEXAMPLE", "secret", Optional.of("")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sessionToken must not be blank");
    }
}
