package dev.authfn.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.local.testing.Http;
import dev.authfn.local.testing.Login;
import dev.authfn.testkit.dynamodb.DynamoDbEndpointExtension;
import dev.authfn.testkit.dynamodb.DynamoDbTestEndpoint;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/API.md §18 end to end through the local API: the repository's template, the real OAuth
 * function beside the login function, a DynamoDB API, real HTTP. What the local server must pass
 * through unchanged is what a browser depends on: the login page's bytes (its CSP hashes match
 * its inline script and style only if they are), a 302's {@code Location}, the CORS headers of a
 * preflight.
 */
@ExtendWith(DynamoDbEndpointExtension.class)
class OAuthFlowE2eIT {

    private static final String PASSWORD = "correct horse battery staple";
    private static final String CALLBACK = "http://127.0.0.1:8080/cb";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    private static E2eApi e2e;
    private static Http http;
    private static String aliceId;

    @BeforeAll
    static void startTheApi(DynamoDbTestEndpoint dynamodb) throws Exception {
        e2e = E2eApi.start(OAuthFlowE2eIT.class, dynamodb);
        http = new Http(e2e.api().baseUri());
        aliceId = e2e.addUser("alice", PASSWORD, Set.of("user"), Set.of());
        e2e.addClient(new OAuthClient("spa", Optional.empty(), List.of(CALLBACK),
                Set.of("openid", "profile", "offline_access"), Instant.now()));
    }

    @AfterAll
    static void stopTheApi() {
        if (e2e != null) {
            e2e.close();
        }
    }

    @Test
    void theLoginPageArrivesAsTheFunctionMadeItSoItsHashesStillMatch() throws Exception {
        Http.Response page = http.get("/oauth2/authorize?" + authorizationQuery()).send();

        assertThat(page.status()).as("%s", page).isEqualTo(200);
        assertThat(page.header("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.header("X-Frame-Options")).hasValue("DENY");
        assertThat(page.header("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.header("Cache-Control")).hasValue("no-store");
        String script = between(page.body(), "<script>", "</script>");
        String style = between(page.body(), "<style>", "</style>");
        assertThat(page.header("Content-Security-Policy")).hasValue("default-src 'none'; script-src 'sha256-"
                + sha256(script) + "'; style-src 'sha256-" + sha256(style) + "'; connect-src 'self'; img-src 'self';"
                + " form-action 'none'; frame-ancestors 'none'; base-uri 'none'");
    }

    @Test
    void aLoggedInBrowserIsSentBackWithACodeThatTheClientExchangesForTokensAndUserinfo() {
        Login login = Login.json(http, "alice", PASSWORD, "OAuthFlowE2eIT");

        Http.Response redirect = login.withCookie(http.get("/oauth2/authorize?" + authorizationQuery())).send();

        assertThat(redirect.status()).as("%s", redirect).isEqualTo(302);
        assertThat(redirect.body()).isEmpty();
        String location = redirect.header("Location").orElseThrow();
        assertThat(location).startsWith(CALLBACK + "?code=")
                .endsWith("&state=xyz&iss=" + URLEncoder.encode(http.base().toString(), StandardCharsets.UTF_8));
        String code = query(location).get("code");

        Http.Response tokens = http.post("/oauth2/token").header("Origin", "http://127.0.0.1:8080")
                .body("application/x-www-form-urlencoded", ("grant_type=authorization_code&client_id=spa&code=" + code
                        + "&redirect_uri=" + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8)
                        + "&code_verifier=" + VERIFIER).getBytes(StandardCharsets.UTF_8))
                .send();

        assertThat(tokens.status()).as("%s", tokens).isEqualTo(200);
        assertThat(tokens.header("Pragma")).hasValue("no-cache");
        assertThat(tokens.header("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:8080");
        assertThat(tokens.json()).containsKeys("access_token", "id_token", "refresh_token")
                .containsEntry("scope", "offline_access openid profile");

        Http.Response userinfo = http.get("/oauth2/userinfo").bearer((String) tokens.json().get("access_token")).send();
        assertThat(userinfo.status()).as("%s", userinfo).isEqualTo(200);
        assertThat(userinfo.json()).isEqualTo(Map.of("sub", aliceId, "preferred_username", "alice"));
    }

    @Test
    void aPreflightIsAnsweredByTheFunctionNotByApiGatewaysNotFound() {
        Http.Response registered = http.options("/oauth2/token").header("Origin", "http://127.0.0.1:8080")
                .header("Access-Control-Request-Method", "POST").send();
        Http.Response foreign = http.options("/oauth2/token").header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST").send();

        assertThat(registered.status()).isEqualTo(204);
        assertThat(registered.header("Access-Control-Allow-Origin")).hasValue("http://127.0.0.1:8080");
        assertThat(registered.header("Access-Control-Allow-Methods")).hasValue("POST");
        assertThat(foreign.status()).isEqualTo(204);
        assertThat(foreign.header("Access-Control-Allow-Origin")).isEmpty();
    }

    private static String authorizationQuery() {
        return "response_type=code&client_id=spa&redirect_uri=" + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8)
                + "&scope=openid%20profile%20offline_access&state=xyz&code_challenge=" + CHALLENGE
                + "&code_challenge_method=S256";
    }

    private static Map<String, String> query(String location) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : URI.create(location).getRawQuery().split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(pair.substring(0, equals), URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    private static String sha256(String text) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
