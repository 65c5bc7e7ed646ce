package dev.authfn.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialsProviderTest {

    private static final Credentials CREDENTIALS = new Credentials("AKIDEXAMPLE", "secret-access-key-value", Optional.empty());

    @Test
    void ofGivesTheSameCredentialsEveryTime() {
        CredentialsProvider provider = CredentialsProvider.of(CREDENTIALS);

        assertThat(provider.resolve()).isSameAs(CREDENTIALS);
        assertThat(provider.resolve()).isSameAs(CREDENTIALS);
    }

    @Test
    void ofRefusesMissingCredentialsWhenBuilt() {
        assertThatThrownBy(() -> CredentialsProvider.of(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("credentials");
    }
}
