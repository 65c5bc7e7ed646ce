package dev.authfn.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import dev.authfn.core.authz.Amr;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.authz.StepUp;
import dev.authfn.core.authz.StepUpChallenge;
import dev.authfn.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteGuardTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final String STEP_UP_ROUTE = "GET /protected/step-up";
    private static final String CHALLENGE = "Bearer error=\"insufficient_user_authentication\", "
            + "error_description=\"A recent multi-factor login is required\", acr_values=\"urn:authfn:acr:mfa\", "
            + "max_age=900";
    private static final String STEP_UP_BODY = "{\"type\":\"urn:authfn:problem:step-up-required\","
            + "\"title\":\"Step-up authentication required\",\"status\":401,\"detail\":\"This route needs a stronger "
            + "or more recent login; the WWW-Authenticate header says which.\"}";
    private static final Map<String, String> STEP_UP_HEADERS = Map.of("Content-Type", "application/problem+json",
            "Cache-Control", "no-store", "X-Content-Type-Options", "nosniff", "WWW-Authenticate", CHALLENGE);

    private final MutableClock clock = new MutableClock(NOW);
    private final RouteGuard guard = new RouteGuard(RoutePolicy.DEFAULT, "protected", clock);
    private final List<String> logged = new ArrayList<>();
    private final Context context = new LoggingContext(logged);

    private static Principal principal(Set<String> roles, List<String> amr, Optional<Instant> authTime) {
        return new Principal("u-alice", "alice", roles, Set.of(), "AAAAAAAAAAAAAAAAAAAAAA", AuthType.COOKIE, amr,
                authTime);
    }

    private static APIGatewayV2HTTPEvent event(String routeKey, Map<String, String> authorizerContext) {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setLambda(new LinkedHashMap<>(authorizerContext));
        APIGatewayV2HTTPEvent.RequestContext requestContext = new APIGatewayV2HTTPEvent.RequestContext();
        requestContext.setAuthorizer(authorizer);
        requestContext.setRouteKey(routeKey);
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRouteKey(routeKey);
        event.setRequestContext(requestContext);
        return event;
    }

    private static APIGatewayV2HTTPResponse refused(RouteGuard.Outcome outcome) {
        assertThat(outcome).isInstanceOf(RouteGuard.Refused.class);
        return ((RouteGuard.Refused) outcome).response();
    }

    /** What the HTTP API authorizer passes when only step-up failed: the challenge and no principal. */
    @Test
    void answersTheAuthorizersChallengeWith401ProblemJsonAndWwwAuthenticate() {
        StepUpChallenge challenge = RoutePolicy.DEFAULT.rule(STEP_UP_ROUTE).orElseThrow().challenge();

        APIGatewayV2HTTPResponse response = refused(guard.check(
                event(STEP_UP_ROUTE, AuthorizerContext.stepUpOnly(challenge)), context));

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).isEqualTo(STEP_UP_HEADERS);
        assertThat(response.getBody()).isEqualTo(STEP_UP_BODY);
        assertThat(response.getCookies()).isNull();
        assertThat(logged).containsExactly("{\"level\":\"WARN\",\"AWSRequestId\":\"req-1\",\"event\":\"protected\","
                + "\"outcome\":\"refused\",\"reason\":\"STEP_UP_REQUIRED\",\"route\":\"GET /protected/step-up\"}");
    }

    /** Defence in depth: a principal the authorizer let through is checked against step-up again. */
    @Test
    void evaluatesStepUpFromThePrincipalItselfAndAnswersTheSameChallenge() {
        Principal password = principal(Set.of("user"), Amr.PASSWORD, Optional.of(NOW));

        APIGatewayV2HTTPResponse response = refused(guard.check(
                event(STEP_UP_ROUTE, AuthorizerContext.of(password)), context));

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).isEqualTo(STEP_UP_HEADERS);
        assertThat(response.getBody()).isEqualTo(STEP_UP_BODY);
        assertThat(logged).containsExactly("{\"level\":\"WARN\",\"AWSRequestId\":\"req-1\",\"event\":\"protected\","
                + "\"outcome\":\"refused\",\"reason\":\"STEP_UP_REQUIRED\",\"route\":\"GET /protected/step-up\","
                + "\"user\":\"alice\",\"sid\":\"AAAAAAAAAAAAAAAAAAAAAA\"}");
    }

    @Test
    void allowsARecentMultiFactorLoginAndRefusesItOnceItIsOlderThanMaxAge() {
        Principal mfa = principal(Set.of(), Amr.PASSWORD_AND_OTP, Optional.of(NOW));

        assertThat(guard.check(event(STEP_UP_ROUTE, AuthorizerContext.of(mfa)), context))
                .isEqualTo(new RouteGuard.Allowed(mfa));
        clock.advance(Duration.ofMinutes(15));
        assertThat(guard.check(event(STEP_UP_ROUTE, AuthorizerContext.of(mfa)), context))
                .isEqualTo(new RouteGuard.Allowed(mfa));
        clock.advance(Duration.ofSeconds(1));
        assertThat(refused(guard.check(event(STEP_UP_ROUTE, AuthorizerContext.of(mfa)), context)).getStatusCode())
                .isEqualTo(401);
    }

    /** A context without auth_time (an earlier authorizer) is never recent enough. */
    @Test
    void refusesAMultiFactorPrincipalOfUnknownAuthTime() {
        Map<String, String> context = new LinkedHashMap<>(AuthorizerContext.of(
                principal(Set.of(), Amr.PASSWORD_AND_OTP, Optional.of(NOW))));
        context.remove("auth_time");

        assertThat(refused(guard.check(event(STEP_UP_ROUTE, context), this.context)).getHeaders())
                .containsEntry("WWW-Authenticate", CHALLENGE);
    }

    @Test
    void aMissingRoleIsStill403AndNotAChallenge() {
        RoutePolicy policy = ((RoutePolicy.Parsed) RoutePolicy.parse(
                "{\"GET /vault\":{\"roles\":[\"admin\"],\"mfa\":true}}")).policy();
        RouteGuard strict = new RouteGuard(policy, "protected", clock);

        APIGatewayV2HTTPResponse response = refused(strict.check(
                event("GET /vault", AuthorizerContext.of(principal(Set.of("user"), Amr.PASSWORD, Optional.of(NOW)))),
                context));

        assertThat(response.getStatusCode()).isEqualTo(403);
        assertThat(response.getHeaders()).doesNotContainKey("WWW-Authenticate");
        assertThat(logged).singleElement().asString().contains("\"reason\":\"MISSING_ROLE\"");
    }

    @Test
    void aStepUpTheHandlerDemandsInCodeIsCheckedAfterThePolicy() {
        StepUp recent = StepUp.recentLogin(Duration.ofMinutes(5));
        Principal old = principal(Set.of("user"), Amr.PASSWORD, Optional.of(NOW.minus(Duration.ofMinutes(6))));
        Principal fresh = principal(Set.of("user"), Amr.PASSWORD, Optional.of(NOW.minus(Duration.ofMinutes(5))));

        APIGatewayV2HTTPResponse response = refused(guard.check(
                event("POST /auth/mfa/totp", AuthorizerContext.of(old)), context, recent));

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).containsEntry("WWW-Authenticate",
                "Bearer error=\"insufficient_user_authentication\", error_description=\"A more recent login is required\", "
                        + "max_age=300");
        assertThat(guard.check(event("POST /auth/mfa/totp", AuthorizerContext.of(fresh)), context, recent))
                .isEqualTo(new RouteGuard.Allowed(fresh));
    }

    @Test
    void aStepUpValueThatIsNoChallengeIsNoPrincipalEither() {
        APIGatewayV2HTTPResponse response = refused(guard.check(
                event(STEP_UP_ROUTE, Map.of("step_up", "Basic realm=\"x\"\r\nSet-Cookie: a=b")), context));

        assertThat(response.getStatusCode()).isEqualTo(401);
        assertThat(response.getHeaders()).doesNotContainKey("WWW-Authenticate");
        assertThat(response.getBody()).contains("urn:authfn:problem:not-authenticated");
    }

    @Test
    void aPasswordPrincipalStillReachesARouteWithoutStepUp() {
        Principal password = principal(Set.of("user"), Amr.PASSWORD, Optional.empty());

        assertThat(guard.check(event("GET /protected", AuthorizerContext.of(password)), context))
                .isEqualTo(new RouteGuard.Allowed(password));
        assertThat(logged).isEmpty();
    }

    /** Collects the audit lines as logged. */
    private record LoggingContext(List<String> lines) implements Context {
        @Override
        public String getAwsRequestId() {
            return "req-1";
        }

        @Override
        public String getLogGroupName() {
            return null;
        }

        @Override
        public String getLogStreamName() {
            return null;
        }

        @Override
        public String getFunctionName() {
            return "test";
        }

        @Override
        public String getFunctionVersion() {
            return null;
        }

        @Override
        public String getInvokedFunctionArn() {
            return null;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return 1000;
        }

        @Override
        public int getMemoryLimitInMB() {
            return 512;
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    throw new AssertionError("audit events are logged as bytes");
                }

                @Override
                public void log(byte[] message) {
                    throw new AssertionError("audit events are logged with a level");
                }

                @Override
                public void log(byte[] message, LogLevel level) {
                    lines.add(new String(message, StandardCharsets.UTF_8).strip());
                }
            };
        }
    }
}
