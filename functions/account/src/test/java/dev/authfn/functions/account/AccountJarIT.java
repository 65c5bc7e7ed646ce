package dev.authfn.functions.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.keys.KeySet;
import dev.authfn.testkit.lambda.FunctionJar;
import dev.authfn.testkit.lambda.World;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packaged target/authfn-account-lambda.jar: the handler is there and loads with everything it
 * needs. The jar is only run as far as a request that is refused before any store call; the
 * endpoint below is never contacted.
 */
@Tag(FunctionJar.TAG)
class AccountJarIT {

    private static final String HANDLER = "dev.authfn.functions.account.AccountHandler";
    private static final String EVENT = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent";

    @Test
    void holdsTheHandler() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            assertThat(jar.path().getFileName()).hasToString("authfn-account-lambda.jar");
            assertThat(jar.entries()).contains(FunctionJar.entryOf(HANDLER));
        }
    }

    @Test
    void loadsTheHandlerWithExactlyItsTwoPublicConstructors() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            Class<?> handler = jar.load(HANDLER);

            assertThat(handler.getConstructors()).hasSize(2);
            assertThat(handler.getConstructor()).isNotNull();
            assertThat(FunctionJar.rootConstructor(handler).getParameterTypes()[0].getName())
                    .isEqualTo("dev.authfn.auth.Components");
            assertThat(handler.getClassLoader()).isNotSameAs(AccountJarIT.class.getClassLoader());
        }
    }

    @Test
    void buildsFromTheEnvironmentAndRefusesACrossSiteRequest() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            Object handler = jar.newHandler(HANDLER, environment());

            Object response = jar.invoke(handler, jar.event(EVENT, "login-cross-site.json"));

            assertThat(FunctionJar.get(response, "statusCode")).isEqualTo(403);
        }
    }

    static Map<String, String> environment() {
        return Map.of(
                "AUTHFN_USERS_TABLE", "authfn-users",
                "AUTHFN_SESSIONS_TABLE", "authfn-sessions",
                "AUTHFN_OUTBOX_TABLE", "authfn-outbox",
                "AUTHFN_SIGNUP", "verified",
                "AUTHFN_ISSUER", World.ISSUER,
                "AUTHFN_AUDIENCE", World.AUDIENCE,
                "AUTHFN_KEYS", KeySet.generate(Clock.systemUTC()).toJson(),
                "AUTHFN_DYNAMODB_ENDPOINT", "http://127.0.0.1:9",
                "AWS_REGION", "us-east-1");
    }
}
