package dev.authfn.functions.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.keys.KeySet;
import dev.authfn.testkit.lambda.FunctionJar;
import dev.authfn.testkit.lambda.World;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packaged target/authfn-session-lambda.jar: the handler is there and loads with everything it needs.
 * The session routes need DynamoDB, so the jar is only run as far as a request refused before any
 * store call; the endpoint below is never contacted.
 */
@Tag(FunctionJar.TAG)
class SessionJarIT {

    private static final String HANDLER = "dev.authfn.functions.session.SessionHandler";
    private static final String EVENT = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent";

    @Test
    void holdsTheHandler() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            assertThat(jar.path().getFileName()).hasToString("authfn-session-lambda.jar");
            assertThat(jar.entries()).contains(FunctionJar.entryOf(HANDLER));
        }
    }

    @Test
    void loadsTheHandlerWithExactlyItsTwoConstructors() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            Class<?> handler = jar.load(HANDLER);

            assertThat(handler.getConstructors()).hasSize(2);
            assertThat(handler.getConstructor()).isNotNull();
            assertThat(FunctionJar.rootConstructor(handler).getParameterTypes()[0].getName())
                    .isEqualTo("dev.authfn.auth.Components");
            assertThat(handler.getClassLoader()).isNotSameAs(SessionJarIT.class.getClassLoader());
        }
    }

    @Test
    void buildsFromTheEnvironmentAndRefusesARequestWithoutAuthorizerContext() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            Object handler = jar.newHandler(HANDLER, Map.of(
                    "AUTHFN_USERS_TABLE", "authfn-users",
                    "AUTHFN_SESSIONS_TABLE", "authfn-sessions",
                    "AUTHFN_ISSUER", World.ISSUER,
                    "AUTHFN_AUDIENCE", World.AUDIENCE,
                    "AUTHFN_KEYS", KeySet.generate(Clock.systemUTC()).toJson(),
                    "AUTHFN_DYNAMODB_ENDPOINT", "http://127.0.0.1:9",
                    "AWS_REGION", "us-east-1"));
            Object event = jar.event(EVENT, "sessions-list.json");
            FunctionJar.set(FunctionJar.get(event, "requestContext"), "authorizer", null);

            Object response = jar.invoke(handler, event);

            assertThat(FunctionJar.get(response, "statusCode")).isEqualTo(401);
        }
    }
}
