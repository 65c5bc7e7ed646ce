package dev.authfn.core.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedirectUrisTest {

    // --- which URIs a client may register ---

    @ParameterizedTest
    @ValueSource(strings = {
        "https://app.example/callback",
        "https://app.example:8443/cb?client=web",
        "HTTPS://app.example/cb",
        "http://127.0.0.1/cb",
        "http://127.0.0.1:51234/cb",
        "http://[::1]:8080/cb",
        "http://localhost:3000/callback",
        "com.example.app:/cb",
        "com.example.app:/oauth2redirect/example-provider",
    })
    void registersHttpsLoopbackHttpAndPrivateUseSchemes(String uri) {
        assertThat(RedirectUris.problem(uri)).isEmpty();
    }

    @Test
    void refusesHttpOnAHostThatIsNotLoopback() {
        assertThat(RedirectUris.problem("http://app.example/cb")).contains(
                "an http redirect URI must be a loopback one (127.0.0.1, [::1] or localhost); use https");
        assertThat(RedirectUris.problem("http://127.0.0.1.evil.example/cb")).isPresent();
        assertThat(RedirectUris.problem("http://localhost.evil.example/cb")).isPresent();
        assertThat(RedirectUris.problem("http://10.0.0.1/cb")).isPresent();
    }

    @Test
    void refusesAFragment() {
        assertThat(RedirectUris.problem("https://app.example/cb#done"))
                .contains("a redirect URI must not have a fragment");
        assertThat(RedirectUris.problem("https://app.example/cb#")).contains("a redirect URI must not have a fragment");
    }

    @Test
    void refusesUserInfo() {
        assertThat(RedirectUris.problem("https://evil.example@app.example/cb"))
                .contains("a redirect URI must not have user info");
        assertThat(RedirectUris.problem("http://user:pass@127.0.0.1/cb"))
                .contains("a redirect URI must not have user info");
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "javascript://x/%0aalert(1)", "data:text/html,hi",
        "file:///etc/passwd", "ftp://app.example/cb", "myapp:/cb"})
    void refusesSchemesThatAreNeitherWebNorPrivateUse(String uri) {
        assertThat(RedirectUris.problem(uri)).isPresent();
    }

    @Test
    void refusesAnOpaqueUriUnlessItsSchemeIsPrivateUse() {
        assertThat(RedirectUris.problem("javascript:alert(1)")).contains("a redirect URI must be a valid absolute URI");
        assertThat(RedirectUris.problem("mailto:someone@app.example"))
                .contains("a redirect URI must be a valid absolute URI");
        assertThat(RedirectUris.problem("com.example.app:callback")).isEmpty();
    }

    @Test
    void refusesARelativeOrMalformedUri() {
        assertThat(RedirectUris.problem("/callback")).contains("a redirect URI must be a valid absolute URI");
        assertThat(RedirectUris.problem("https://app.example/c b")).contains("a redirect URI must be a valid absolute URI");
        assertThat(RedirectUris.problem("https:///cb")).isPresent();
    }

    @Test
    void refusesAnEmptyMissingOrOverlongUri() {
        String limit = "https://app.example/" + "a".repeat(RedirectUris.MAX_LENGTH - 20);
        assertThat(limit).hasSize(RedirectUris.MAX_LENGTH);

        assertThat(RedirectUris.problem(limit)).isEmpty();
        assertThat(RedirectUris.problem(limit + "a")).contains("a redirect URI has 1 to 2048 characters");
        assertThat(RedirectUris.problem("")).contains("a redirect URI has 1 to 2048 characters");
        assertThat(RedirectUris.problem(null)).contains("a redirect URI has 1 to 2048 characters");
    }

    // --- comparing a requested URI with a registered one ---

    @Test
    void matchesTheRegisteredUriExactly() {
        assertThat(RedirectUris.matches("https://app.example/cb", "https://app.example/cb")).isTrue();
        assertThat(RedirectUris.matches("com.example.app:/cb", "com.example.app:/cb")).isTrue();
        assertThat(RedirectUris.matches("http://localhost:3000/cb", "http://localhost:3000/cb")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://app.example/cb/",
        "https://app.example/cb?x=1",
        "https://app.example/CB",
        "HTTPS://app.example/cb",
        "https://App.example/cb",
        "https://app.example/cc",
        "https://app.example:443/cb",
        "https://app.example/cb#",
        "https://app.example/c",
        "",
    })
    void noOtherSpellingMatches(String requested) {
        assertThat(RedirectUris.matches("https://app.example/cb", requested)).isFalse();
    }

    @Test
    void aMissingRequestedUriMatchesNothing() {
        assertThat(RedirectUris.matches("https://app.example/cb", null)).isFalse();
        assertThat(RedirectUris.matches("http://127.0.0.1/cb", null)).isFalse();
    }

    @Test
    void aRegisteredIpLoopbackUriMatchesAnyPort() {
        assertThat(RedirectUris.matches("http://127.0.0.1/cb", "http://127.0.0.1:51234/cb")).isTrue();
        assertThat(RedirectUris.matches("http://127.0.0.1/cb", "http://127.0.0.1/cb")).isTrue();
        assertThat(RedirectUris.matches("http://[::1]/cb", "http://[::1]:8080/cb")).isTrue();
        assertThat(RedirectUris.matches("http://127.0.0.1:8080/cb", "http://127.0.0.1:9090/cb")).isTrue();
        assertThat(RedirectUris.matches("http://127.0.0.1/cb?a=1", "http://127.0.0.1:5/cb?a=1")).isTrue();
    }

    @Test
    void theAnyPortExceptionChangesNothingButThePort() {
        assertThat(RedirectUris.matches("http://127.0.0.1/cb", "http://localhost:51234/cb")).isFalse();
        assertThat(RedirectUris.matches("http://127.0.0.1/cb", "http://127.0.0.1:5/cb2")).isFalse();
        assertThat(RedirectUris.matches("http://127.0.0.1/cb", "http://127.0.0.1:5/cb/")).isFalse();
        assertThat(RedirectUris.matches("http://127.0.0.1/cb", "http://[::1]:5/cb")).isFalse();
        assertThat(RedirectUris.matches("http://127.0.0.1/cb", "https://127.0.0.1:5/cb")).isFalse();
        assertThat(RedirectUris.matches("http://127.0.0.1/cb", "HTTP://127.0.0.1:5/cb")).isFalse();
        assertThat(RedirectUris.matches("http://127.0.0.1/cb", "http://127.0.0.1:/cb")).isFalse();
        assertThat(RedirectUris.matches("http://127.0.0.1/cb", "http://127.0.0.1:5@evil.example/cb")).isFalse();
        assertThat(RedirectUris.matches("http://localhost/cb", "http://localhost:5/cb"))
                .as("localhost is a name, not the loopback address: exact only").isFalse();
        assertThat(RedirectUris.matches("https://app.example/cb", "https://app.example:5/cb")).isFalse();
    }

    // --- origins ---

    @Test
    void theOriginIsTheSchemeHostAndPort() {
        assertThat(RedirectUris.origin("https://app.example/callback?x=1")).contains("https://app.example");
        assertThat(RedirectUris.origin("https://app.example:8443/cb")).contains("https://app.example:8443");
        assertThat(RedirectUris.origin("http://127.0.0.1:51234/cb")).contains("http://127.0.0.1:51234");
        assertThat(RedirectUris.origin("http://[::1]:8080/cb")).contains("http://[::1]:8080");
        assertThat(RedirectUris.origin("http://localhost:3000/")).contains("http://localhost:3000");
    }

    @Test
    void theOriginIsWrittenAsABrowserSendsIt() {
        assertThat(RedirectUris.origin("HTTPS://App.Example/cb")).contains("https://app.example");
        assertThat(RedirectUris.origin("https://app.example:443/cb")).contains("https://app.example");
        assertThat(RedirectUris.origin("http://127.0.0.1:80/cb")).contains("http://127.0.0.1");
        assertThat(RedirectUris.origin("http://127.0.0.1:443/cb")).contains("http://127.0.0.1:443");
    }

    @Test
    void onlyWebUrisHaveAnOrigin() {
        assertThat(RedirectUris.origin("com.example.app:/cb")).isEmpty();
        assertThat(RedirectUris.origin("com.example.app://host/cb")).isEmpty();
        assertThat(RedirectUris.origin("/relative")).isEmpty();
        assertThat(RedirectUris.origin("https://app.example/c b")).isEmpty();
        assertThat(RedirectUris.origin("https:///cb")).isEmpty();
    }

    @Test
    void theOriginLeavesUserInfoOut() {
        assertThat(RedirectUris.origin("https://someone@app.example/cb")).contains("https://app.example");
    }
}
