package dev.authfn.functions.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.keys.KeySet;
import dev.authfn.testkit.lambda.FunctionJar;
import dev.authfn.testkit.lambda.World;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The packaged target/authfn-mfa-lambda.jar: the handler is there, loads with everything it needs,
 * and holds nothing only other functions need. The second-factor routes need DynamoDB, so the jar
 * is only run as far as requests refused before any store call (cross-site, a token no key of
 * ours made, a login too old); the endpoint below is never contacted.
 */
@Tag(FunctionJar.TAG)
class MfaJarIT {

    private static final String HANDLER = "dev.authfn.functions.mfa.MfaHandler";
    private static final String EVENT = "com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent";
    /**
     * The session function, with the same stores and codecs and no second factor, is 8.25 MB
     * (docs/PERFORMANCE.md §5); a jar far above it holds something the minimiser should have dropped.
     */
    private static final long MAX_BYTES = 10_000_000;

    @Test
    void holdsTheHandlerAndTheDynamoDbStoresButNoPasswordHasherPolicyOrMailClient() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            assertThat(jar.path().getFileName()).hasToString("authfn-mfa-lambda.jar");
            assertThat(Files.size(jar.path())).isLessThan(MAX_BYTES);
            assertThat(jar.entries())
                    .contains(FunctionJar.entryOf(HANDLER), FunctionJar.entryOf("dev.authfn.core.mfa.Totp"),
                            FunctionJar.entryOf("dev.authfn.dynamodb.DynamoDbStores"),
                            "META-INF/services/dev.authfn.core.Stores$Provider")
                    .as("Argon2id and Bouncy Castle belong to login and account; the password policy to account;"
                            + " SES to the mailer; picocli to the CLI; commons-codec's phonetic rules to nobody")
                    .noneMatch(entry -> entry.startsWith("org/bouncycastle/") || entry.startsWith("dev/authfn/password/")
                            || entry.startsWith("com/nulabinc/") || entry.startsWith("software/amazon/awssdk/services/sesv2/")
                            || entry.startsWith("dev/authfn/ses/") || entry.startsWith("picocli/")
                            || entry.startsWith("org/apache/commons/codec/language/"));
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
            assertThat(handler.getClassLoader()).isNotSameAs(MfaJarIT.class.getClassLoader());
        }
    }

    @Test
    void buildsFromTheEnvironmentAndRefusesACrossSiteSecondStep() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            Object handler = jar.newHandler(HANDLER, environment());
            Object event = jar.event(EVENT, "mfa-verify.json");
            @SuppressWarnings("unchecked")
            Map<String, String> headers = (Map<String, String>) FunctionJar.get(event, "headers");
            headers.put("origin", "https://evil.example");
            headers.put("sec-fetch-site", "cross-site");

            Object response = jar.invoke(handler, event);

            assertThat(FunctionJar.get(response, "statusCode")).isEqualTo(403);
        }
    }

    @Test
    void checksTheSampleTokensMacWithTheJarsOwnClassesAndRefusesIt() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            Object handler = jar.newHandler(HANDLER, environment());

            Object response = jar.invoke(handler, jar.event(EVENT, "mfa-verify.json"));

            assertThat(FunctionJar.get(response, "statusCode")).isEqualTo(401);
            assertThat((String) FunctionJar.get(response, "body")).startsWith(
                    "{\"type\":\"urn:authfn:problem:mfa-failed\",");
        }
    }

    @Test
    void answersALoginOlderThanFiveMinutesWithTheRfc9470Challenge() throws Exception {
        try (FunctionJar jar = FunctionJar.packaged()) {
            Object handler = jar.newHandler(HANDLER, environment());
            Object event = jar.event(EVENT, "mfa-totp-enrol.json");
            Object authorizer = FunctionJar.get(FunctionJar.get(event, "requestContext"), "authorizer");
            @SuppressWarnings("unchecked")
            Map<String, Object> context = new LinkedHashMap<>((Map<String, Object>) FunctionJar.get(authorizer, "lambda"));
            context.put("auth_time", Long.toString(Instant.now().minusSeconds(301).getEpochSecond()));
            FunctionJar.set(authorizer, "lambda", context);

            Object response = jar.invoke(handler, event);

            assertThat(FunctionJar.get(response, "statusCode")).isEqualTo(401);
            @SuppressWarnings("unchecked")
            Map<String, String> headers = (Map<String, String>) FunctionJar.get(response, "headers");
            assertThat(headers).containsEntry("WWW-Authenticate", "Bearer error=\"insufficient_user_authentication\", "
                    + "error_description=\"A more recent login is required\", max_age=300")
                    .containsEntry("Cache-Control", "no-store");
        }
    }

    static Map<String, String> environment() {
        return Map.of(
                "AUTHFN_USERS_TABLE", "authfn-users",
                "AUTHFN_SESSIONS_TABLE", "authfn-sessions",
                "AUTHFN_ISSUER", World.ISSUER,
                "AUTHFN_AUDIENCE", World.AUDIENCE,
                "AUTHFN_KEYS", KeySet.generate(Clock.systemUTC()).toJson(),
                "AUTHFN_DYNAMODB_ENDPOINT", "http://127.0.0.1:9",
                "AWS_REGION", "us-east-1");
    }
}
