package dev.authfn.functions.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.jwt.AccessTokenIssuer;
import dev.authfn.core.keys.KeySet;
import dev.authfn.testkit.lambda.FunctionJar;
import dev.authfn.testkit.lambda.World;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packaged target/authfn-authorizer-lambda.jar: both handlers are there and load with everything
 * they need. The authorizer needs DynamoDB for sessions, so the jar is run only on requests
 * decided without a store call — none, and a stateless bearer token; the endpoint below is never
 * contacted.
 */
@Tag(FunctionJar.TAG)
class AuthorizerJarIT {

    private static final String HTTP_HANDLER = "dev.authfn.functions.authorizer.AuthorizerHandler";
    private static final String REST_HANDLER = "dev.authfn.functions.authorizer.RestAuthorizerHandler";
    private static final String HTTP_EVENT = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent";
    private static final String REST_EVENT = "com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent";

    private final KeySet keys = KeySet.generate(Clock.systemUTC());

    @Test
    void holdsBothHandlers() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            assertThat(jar.path().getFileName()).hasToString("authfn-authorizer-lambda.jar");
            assertThat(jar.entries()).contains(FunctionJar.entryOf(HTTP_HANDLER), FunctionJar.entryOf(REST_HANDLER));
        }
    }

    @Test
    void loadsBothHandlersWithExactlyTheirTwoConstructors() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            for (String name : List.of(HTTP_HANDLER, REST_HANDLER)) {
                Class<?> handler = jar.load(name);

                assertThat(handler.getConstructors()).as(name).hasSize(2);
                assertThat(handler.getConstructor()).as(name).isNotNull();
                assertThat(FunctionJar.rootConstructor(handler).getParameterTypes()[0].getName()).as(name)
                        .isEqualTo("dev.authfn.auth.Components");
                assertThat(handler.getClassLoader()).as(name).isNotSameAs(AuthorizerJarIT.class.getClassLoader());
            }
        }
    }

    @Test
    void decidesFromTheJarAlone() throws Exception {
        String bearer = bearer();
        try (FunctionJar jar = FunctionJar.packaged()) {
            Object http = jar.newHandler(HTTP_HANDLER, environment());
            Object rest = jar.newHandler(REST_HANDLER, environment());
            Object withToken = httpEventWith(jar, bearer);
            Object restToken = jar.event(REST_EVENT, "authorizer-rest-token.json");
            FunctionJar.set(restToken, "authorizationToken", bearer);
            Object restRequest = jar.event(REST_EVENT, "authorizer-rest-request.json");
            @SuppressWarnings("unchecked")
            Map<String, String> restHeaders = (Map<String, String>) FunctionJar.get(restRequest, "headers");
            restHeaders.put("Authorization", bearer);

            Object anonymous = jar.invoke(http, jar.event(HTTP_EVENT, "authorizer-no-credentials.json"));
            Object allowed = jar.invoke(http, withToken);
            Object policy = jar.invoke(rest, restToken);
            Object requestPolicy = jar.invoke(rest, restRequest);

            assertThat(FunctionJar.get(anonymous, "isAuthorized")).isEqualTo(false);
            assertThat(FunctionJar.get(allowed, "isAuthorized")).isEqualTo(true);
            assertThat(FunctionJar.get(policy, "principalId")).isEqualTo("9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e");
            assertThat(FunctionJar.get(requestPolicy, "principalId")).isEqualTo("9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e");
        }
    }

    /**
     * The cold-start claim of docs/PERFORMANCE.md: a stateless bearer decision, init included,
     * never needs an AWS SDK class (the DynamoDB client is made on the first session read, and no
     * class on the bearer path names an SDK type), so a cold start on bearer tokens loads none.
     */
    @Test
    void aStatelessBearerDecisionNeedsNoAwsSdkClass() throws Exception {
        String bearer = bearer();
        try (FunctionJar jar = FunctionJar.packaged()) {
            Object http = jar.newHandler(HTTP_HANDLER, environment());
            Object withToken = httpEventWith(jar, bearer);

            Object allowed = jar.invoke(http, withToken);

            assertThat(FunctionJar.get(allowed, "isAuthorized")).isEqualTo(true);
            assertThat(jar.requestedClasses())
                    .as("classes the handler's init and first decision asked for")
                    .contains("dev.authfn.auth.Components", "dev.authfn.dynamodb.DynamoDbStores", "com.nimbusds.jwt.SignedJWT")
                    .noneMatch(name -> name.startsWith("software.amazon.awssdk."));
        }
    }

    private String bearer() {
        return "Bearer " + new AccessTokenIssuer(keys, World.ISSUER, World.AUDIENCE, "authfn", Duration.ofMinutes(5),
                Clock.systemUTC()).issue("9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e", "root", "FFFFFFFFFFFFFFFFFFFFFF",
                Set.of("admin"), Set.of(), List.of("pwd"), Instant.now());
    }

    /** The HTTP API bearer event with this {@code Authorization} header value. */
    private static Object httpEventWith(FunctionJar jar, String authorization) {
        Object event = jar.event(HTTP_EVENT, "authorizer-bearer.json");
        @SuppressWarnings("unchecked")
        Map<String, String> headers = (Map<String, String>) FunctionJar.get(event, "headers");
        headers.put("authorization", authorization);
        return event;
    }

    private Map<String, String> environment() {
        return Map.of(
                "AUTHFN_SESSIONS_TABLE", "authfn-sessions",
                "AUTHFN_ISSUER", World.ISSUER,
                "AUTHFN_AUDIENCE", World.AUDIENCE,
                "AUTHFN_KEYS", keys.toJson(),
                "AUTHFN_STATELESS_BEARER", "true",
                "AUTHFN_DYNAMODB_ENDPOINT", "http://127.0.0.1:9",
                "AWS_REGION", "us-east-1");
    }
}
