package dev.authfn.functions.protectedapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.testkit.lambda.FunctionJar;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The packaged target/authfn-protected-lambda.jar: what it holds, and that it answers on its own. */
@Tag(FunctionJar.TAG)
class ProtectedJarIT {

    private static final String HANDLER = "dev.authfn.functions.protectedapi.ProtectedHandler";
    private static final String EVENT = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent";

    @Test
    void holdsTheHandlerAndNoAwsSdk() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            assertThat(jar.path().getFileName()).hasToString("authfn-protected-lambda.jar");
            assertThat(jar.entries())
                    .contains(FunctionJar.entryOf(HANDLER))
                    .noneMatch(entry -> entry.startsWith("software/amazon/awssdk/"))
                    .as("it verifies nothing: no JOSE library, no Bouncy Castle, no JSON library")
                    .noneMatch(entry -> entry.startsWith("com/nimbusds/") || entry.startsWith("org/bouncycastle/")
                            || entry.startsWith("com/google/gson/"));
            Class<?> handler = jar.load(HANDLER);
            assertThat(handler.getConstructors()).hasSize(2);
            assertThat(handler.getConstructor()).isNotNull();
            assertThat(FunctionJar.rootConstructor(handler).getParameterTypes()[0].getName())
                    .isEqualTo("dev.authfn.core.config.AuthfnConfig");
        }
    }

    @Test
    void answersEachRouteFromTheJarAlone() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            Object handler = jar.newHandler(HANDLER, Map.of());

            Object whoami = jar.invoke(handler, jar.event(EVENT, "protected.json"));
            Object admin = jar.invoke(handler, jar.event(EVENT, "admin.json"));
            Object post = jar.invoke(handler, jar.event(EVENT, "posts-create.json"));
            Object anonymous = jar.event(EVENT, "protected.json");
            FunctionJar.set(FunctionJar.get(anonymous, "requestContext"), "authorizer", null);
            Object refused = jar.invoke(handler, anonymous);

            assertThat(FunctionJar.get(whoami, "statusCode")).isEqualTo(200);
            assertThat((String) FunctionJar.get(whoami, "body")).contains("\"username\":\"alice\"");
            assertThat(FunctionJar.get(admin, "statusCode")).isEqualTo(200);
            assertThat(FunctionJar.get(post, "statusCode")).isEqualTo(201);
            assertThat(FunctionJar.get(refused, "statusCode")).isEqualTo(401);
        }
    }
}
