package dev.authfn.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OAuthClientTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant CREATED = Instant.parse("2100-01-01T08:00:00.123Z");
    private static final Set<String> SCOPES = Set.of("openid", "profile", "posts:create");

    private static OAuthClient publicClient(String... redirectUris) {
        return new OAuthClient("spa", Optional.empty(), List.of(redirectUris), SCOPES, CREATED);
    }

    private static OAuthClient confidentialClient(String secret, String... redirectUris) {
        return new OAuthClient("billing", Optional.of(OAuthCredential.hash(secret)), List.of(redirectUris), SCOPES,
                CREATED);
    }

    // --- what a client is ---

    @ParameterizedTest
    @ValueSource(strings = {"a", "spa", "Billing-2", "app.example_web", "9"})
    void takesAClientIdOfLettersDigitsDotsUnderscoresAndHyphens(String clientId) {
        OAuthClient client = new OAuthClient(clientId, Optional.empty(), List.of("https://app.example/cb"), SCOPES,
                CREATED);

        assertThat(client.clientId()).isEqualTo(clientId);
    }

    @Test
    void takesAClientIdOf64CharactersAtMost() {
        String longest = "a" + "b".repeat(63);

        assertThat(new OAuthClient(longest, Optional.empty(), List.of(), SCOPES, CREATED).clientId()).hasSize(64);
        assertThatThrownBy(() -> new OAuthClient(longest + "c", Optional.empty(), List.of(), SCOPES, CREATED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a client id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-spa", ".spa", "_spa", "sp a", "spa#1", "spa/1", "späß", "spa\n"})
    void refusesAnyOtherClientId(String clientId) {
        assertThatThrownBy(() -> new OAuthClient(clientId, Optional.empty(), List.of(), SCOPES, CREATED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a client id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }

    @Test
    void refusesAMissingClientId() {
        assertThatThrownBy(() -> new OAuthClient(null, Optional.empty(), List.of(), SCOPES, CREATED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesARedirectUriItCouldNotRegister() {
        assertThatThrownBy(() -> publicClient("https://app.example/cb", "http://app.example/cb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an http redirect URI must be a loopback one (127.0.0.1, [::1] or localhost); use https");
        assertThatThrownBy(() -> publicClient("https://app.example/cb#x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a redirect URI must not have a fragment");
    }

    @Test
    void takesTenDistinctRedirectUrisAtMost() {
        List<String> ten = new ArrayList<>();
        for (int i = 0; i < OAuthClient.MAX_REDIRECT_URIS; i++) {
            ten.add("https://app.example/cb" + i);
        }
        List<String> eleven = new ArrayList<>(ten);
        eleven.add("https://app.example/cb10");

        assertThat(publicClient(ten.toArray(String[]::new)).redirectUris()).hasSize(10);
        assertThatThrownBy(() -> publicClient(eleven.toArray(String[]::new)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a client has at most 10 distinct redirect URIs");
        assertThatThrownBy(() -> publicClient("https://app.example/cb", "https://app.example/cb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a client has at most 10 distinct redirect URIs");
    }

    @Test
    void refusesAScopeThatIsNotAScopeToken() {
        for (String scope : new String[] {"posts create", "posts\"", "posts\\", ""}) {
            assertThatThrownBy(() -> new OAuthClient("spa", Optional.empty(), List.of(), Set.of(scope), CREATED))
                    .as(scope)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("a scope is printable ASCII without spaces, quotes or backslashes");
        }
    }

    @Test
    void refusesMissingParts() {
        List<String> uris = List.of("https://app.example/cb");
        assertThatThrownBy(() -> new OAuthClient("spa", null, uris, SCOPES, CREATED))
                .isInstanceOf(NullPointerException.class).hasMessage("secretHash");
        assertThatThrownBy(() -> new OAuthClient("spa", Optional.empty(), uris, SCOPES, null))
                .isInstanceOf(NullPointerException.class).hasMessage("createdAt");
        assertThatThrownBy(() -> new OAuthClient("spa", Optional.empty(), null, SCOPES, CREATED))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new OAuthClient("spa", Optional.empty(), uris, null, CREATED))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void keepsItsRedirectUrisInOrderAndCopiesWhatItIsGiven() {
        List<String> uris = new ArrayList<>(List.of("https://b.example/cb", "https://a.example/cb"));

        OAuthClient client = new OAuthClient("spa", Optional.empty(), uris, SCOPES, CREATED);
        uris.add("https://c.example/cb");

        assertThat(client.redirectUris()).containsExactly("https://b.example/cb", "https://a.example/cb");
        assertThatThrownBy(() -> client.redirectUris().add("https://c.example/cb"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> client.scopes().add("admin")).isInstanceOf(UnsupportedOperationException.class);
    }

    // --- public and confidential ---

    @Test
    void aClientWithoutASecretIsPublic() {
        String secret = OAuthCredential.generate(RANDOM);

        assertThat(publicClient("https://app.example/cb").isPublic()).isTrue();
        assertThat(confidentialClient(secret, "https://billing.example/cb").isPublic()).isFalse();
    }

    @Test
    void aConfidentialClientsSecretMatchesAloneInItsShape() {
        String secret = OAuthCredential.generate(RANDOM);
        OAuthClient client = confidentialClient(secret, "https://billing.example/cb");

        assertThat(client.secretMatches(secret)).isTrue();
        assertThat(client.secretMatches(OAuthCredential.generate(RANDOM))).isFalse();
        assertThat(client.secretMatches(client.secretHash().orElseThrow())).as("the hash is not the secret").isFalse();
        assertThat(client.secretMatches(secret + "A")).isFalse();
        assertThat(client.secretMatches("")).isFalse();
        assertThat(client.secretMatches(null)).isFalse();
    }

    @Test
    void aSecretOfAnotherShapeIsRefusedEvenWhenItsHashIsStored() {
        String notACredential = "hunter2";
        OAuthClient client = confidentialClient(notACredential, "https://billing.example/cb");

        assertThat(client.secretMatches(notACredential)).isFalse();
    }

    @Test
    void aPublicClientHasNoSecretToMatch() {
        OAuthClient client = publicClient("https://app.example/cb");

        assertThat(client.secretMatches(OAuthCredential.generate(RANDOM))).isFalse();
        assertThat(client.secretMatches(null)).isFalse();
    }

    // --- redirects and origins ---

    @Test
    void allowsARedirectToOneOfItsUrisAlone() {
        OAuthClient client = publicClient("https://app.example/cb", "http://127.0.0.1/native", "com.example.app:/cb");

        assertThat(client.allowsRedirect("https://app.example/cb")).isTrue();
        assertThat(client.allowsRedirect("com.example.app:/cb")).isTrue();
        assertThat(client.allowsRedirect("http://127.0.0.1:49152/native")).isTrue();
        assertThat(client.allowsRedirect("https://app.example/cb/")).isFalse();
        assertThat(client.allowsRedirect("https://evil.example/cb")).isFalse();
        assertThat(client.allowsRedirect("http://localhost:49152/native")).isFalse();
        assertThat(client.allowsRedirect(null)).isFalse();
        assertThat(publicClient().allowsRedirect("https://app.example/cb")).isFalse();
    }

    @Test
    void aPublicClientsCorsOriginsAreItsWebRedirectUrisOriginsOnceEach() {
        OAuthClient client = publicClient("https://app.example/cb", "https://app.example/other",
                "http://localhost:3000/cb", "com.example.app:/cb", "https://admin.example:8443/cb");

        assertThat(client.corsOrigins())
                .containsExactly("https://app.example", "http://localhost:3000", "https://admin.example:8443");
    }

    @Test
    void aConfidentialClientHasNoCorsOrigins() {
        OAuthClient client = confidentialClient(OAuthCredential.generate(RANDOM), "https://billing.example/cb");

        assertThat(client.corsOrigins()).isEmpty();
    }

    @Test
    void showsItsIdAndKindButNoHash() {
        String secret = OAuthCredential.generate(RANDOM);
        OAuthClient confidential = confidentialClient(secret, "https://billing.example/cb");

        assertThat(confidential.toString()).isEqualTo("OAuthClient[billing, confidential]")
                .doesNotContain(confidential.secretHash().orElseThrow()).doesNotContain(secret);
        assertThat(publicClient("https://app.example/cb").toString()).isEqualTo("OAuthClient[spa, public]");
    }
}
