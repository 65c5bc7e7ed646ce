package dev.authfn.functions.jwks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.nimbusds.jose.JWSAlgorithm;
import dev.authfn.core.config.ConfigException;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.json.Json;
import dev.authfn.testkit.MutableClock;
import dev.authfn.testkit.lambda.Events;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.testkit.lambda.World;
import java.time.Duration;
import dev.authfn.auth.Components;
import dev.authfn.core.Stores;
import dev.authfn.core.config.AuthfnConfig;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JwksHandlerTest {

    private static final String[] PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};

    private final MutableClock clock = new MutableClock(World.T0);
    private final AtomicReference<KeySet> keys = new AtomicReference<>();
    private final JwksHandler handler = new JwksHandler(Components.of(
            AuthfnConfig.fromEnvironment(Map.of("AUTHFN_ISSUER", World.ISSUER), Set.of()), Stores.NONE, keys::get, clock));
    private final RecordingContext context = new RecordingContext();

    @BeforeEach
    void generateKeys() {
        keys.set(KeySet.generate(clock));
    }

    @Test
    void publishesThePublicSigningKeyCacheablyForFiveMinutes() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("jwks.json"), context);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeaders())
                .containsEntry("Content-Type", "application/json")
                .containsEntry("Cache-Control", "public, max-age=300")
                .containsEntry("X-Content-Type-Options", "nosniff");
        assertThat(response.getCookies()).isNull();
        JwtKey active = keys.get().activeJwtKey();
        List<Map<String, Object>> published = publishedKeys(response);
        assertThat(published).hasSize(1);
        assertThat(published.get(0))
                .isEqualTo(active.publicJwk().orElseThrow().toJSONObject())
                .containsEntry("kty", "RSA")
                .containsEntry("kid", active.kid())
                .containsEntry("alg", "RS256")
                .containsEntry("use", "sig")
                .containsKeys("n", "e")
                .doesNotContainKeys(PRIVATE_MEMBERS);
        assertThat(context.lines()).isEmpty();
    }

    @Test
    void neverPublishesTheCookieOrCsrfKeys() {
        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("jwks.json"), context);

        assertThat(response.getBody())
                .doesNotContain(keys.get().activeHmac(KeyPurpose.COOKIE).kid())
                .doesNotContain(keys.get().activeHmac(KeyPurpose.CSRF).kid())
                .doesNotContain("\"oct\"");
    }

    @Test
    void neverPublishesAnHs256Secret() {
        keys.set(KeySet.generate(JWSAlgorithm.HS256, clock));

        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("jwks.json"), context);

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(Json.parseObject(response.getBody()).orElseThrow()).isEqualTo(Map.of("keys", List.of()));
    }

    @Test
    void listsTheNewAndThePreviousKeyAfterARotation() {
        JwtKey previous = keys.get().activeJwtKey();
        clock.advance(Duration.ofDays(30));
        keys.set(keys.get().rotate(KeyPurpose.JWT, clock));
        JwtKey current = keys.get().activeJwtKey();

        List<Map<String, Object>> published = publishedKeys(handler.handleRequest(Events.http("jwks.json"), context));

        assertThat(current.kid()).isNotEqualTo(previous.kid());
        assertThat(published).extracting(key -> key.get("kid")).containsExactly(current.kid(), previous.kid());
        assertThat(published).allSatisfy(key -> assertThat(key).doesNotContainKeys(PRIVATE_MEMBERS));
    }

    @Test
    void followsAnAlgorithmChangeAndDropsRetiredKeys() {
        JwtKey rsa = keys.get().activeJwtKey();
        keys.set(keys.get().rotateJwt(JWSAlgorithm.ES256, clock));
        JwtKey ec = keys.get().activeJwtKey();

        List<Map<String, Object>> both = publishedKeys(handler.handleRequest(Events.http("jwks.json"), context));
        keys.set(keys.get().retire(rsa.kid()));
        List<Map<String, Object>> afterRetire = publishedKeys(handler.handleRequest(Events.http("jwks.json"), context));

        assertThat(both).extracting(key -> key.get("kid"), key -> key.get("alg"))
                .containsExactly(tuple(ec.kid(), "ES256"),
                        tuple(rsa.kid(), "RS256"));
        assertThat(afterRetire).extracting(key -> key.get("kid")).containsExactly(ec.kid());
    }

    @Test
    void leavesTheDiscoveryDocumentToTheOAuthFunction() {
        // docs/API.md §5.2, §18.8: the OAuth function serves /.well-known/openid-configuration now.
        APIGatewayV2HTTPResponse response = handler.handleRequest(Events.http("oauth-discovery.json"), context);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeaders()).containsEntry("Cache-Control", "no-store");
    }

    @Test
    void anUnknownRouteIsNotFoundAndNotCacheable() {
        APIGatewayV2HTTPEvent event = Events.http("jwks.json");
        event.setRouteKey("GET /.well-known/other");

        APIGatewayV2HTTPResponse response = handler.handleRequest(event, context);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeaders())
                .containsEntry("Content-Type", "application/problem+json")
                .containsEntry("Cache-Control", "no-store");
        assertThat(response.getBody()).isEqualTo("{\"type\":\"urn:authfn:problem:not-found\",\"title\":\"Not found\","
                + "\"status\":404,\"detail\":\"No such route.\"}");
    }

    @Test
    void anotherMethodOnAKnownPathIsNotFound() {
        APIGatewayV2HTTPEvent event = Events.http("jwks.json");
        event.setRouteKey("POST /.well-known/jwks.json");

        assertThat(handler.handleRequest(event, context).getStatusCode()).isEqualTo(404);
    }

    @Test
    void buildsFromTheEnvironment() {
        JwksHandler fromEnvironment = new JwksHandler(Components.fromEnvironment(Map.of(
                "AUTHFN_ISSUER", World.ISSUER,
                "AUTHFN_KEYS", keys.get().toJson())));

        List<Map<String, Object>> published = publishedKeys(fromEnvironment.handleRequest(Events.http("jwks.json"), context));

        assertThat(published).extracting(key -> key.get("kid")).containsExactly(keys.get().activeJwtKey().kid());
    }

    @Test
    void refusesToStartWithoutKeysButNeedsNoIssuer() {
        assertThatThrownBy(() -> new JwksHandler(Components.fromEnvironment(Map.of())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("AUTHFN_KEYS")
                .hasMessageNotContaining("AUTHFN_ISSUER");
        assertThat(new JwksHandler(Components.fromEnvironment(Map.of("AUTHFN_KEYS", keys.get().toJson())))
                .handleRequest(Events.http("jwks.json"), context).getStatusCode()).isEqualTo(200);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> publishedKeys(APIGatewayV2HTTPResponse response) {
        Map<String, Object> body = Json.parseObject(response.getBody()).orElseThrow();
        assertThat(body).containsOnlyKeys("keys");
        return (List<Map<String, Object>>) body.get("keys");
    }
}
