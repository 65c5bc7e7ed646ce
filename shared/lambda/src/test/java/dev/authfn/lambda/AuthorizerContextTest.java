package dev.authfn.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.authz.StepUp;
import dev.authfn.core.authz.StepUpChallenge;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizerContextTest {

    private static final Instant AUTH_TIME = Instant.parse("2026-11-26T09:55:00Z");
    private static final Principal CAROL = new Principal("u-carol", "carol", Set.of("user", "admin"),
            Set.of("posts:create"), "CCCCCCCCCCCCCCCCCCCCCC", AuthType.COOKIE, List.of("pwd", "otp", "mfa"),
            Optional.of(AUTH_TIME));

    private static APIGatewayV2HTTPEvent withContext(Map<String, ?> context) {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setLambda(new LinkedHashMap<>(context));
        APIGatewayV2HTTPEvent.RequestContext requestContext = new APIGatewayV2HTTPEvent.RequestContext();
        requestContext.setAuthorizer(authorizer);
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRequestContext(requestContext);
        return event;
    }

    @Test
    void writesEveryKeyAsAStringInItsOrder() {
        assertThat(AuthorizerContext.of(CAROL)).containsExactly(
                Map.entry("sub", "u-carol"),
                Map.entry("username", "carol"),
                Map.entry("roles", "admin user"),
                Map.entry("permissions", "posts:create"),
                Map.entry("sid", "CCCCCCCCCCCCCCCCCCCCCC"),
                Map.entry("auth_type", "cookie"),
                Map.entry("amr", "pwd otp mfa"),
                Map.entry("auth_time", "1795686900"),
                Map.entry("acr", "urn:authfn:acr:mfa"));
    }

    @Test
    void readsBackWhatItWrote() {
        assertThat(AuthorizerContext.principal(withContext(AuthorizerContext.of(CAROL)))).contains(CAROL);
    }

    /** An authorizer of an earlier release wrote neither: a password login whose age is unknown. */
    @Test
    void readsAContextWithoutAmrOrAuthTimeAsAPasswordLoginOfUnknownAge() {
        Map<String, String> old = new LinkedHashMap<>(AuthorizerContext.of(CAROL));
        old.remove("amr");
        old.remove("auth_time");
        old.remove("acr");

        Principal read = AuthorizerContext.principal(withContext(old)).orElseThrow();

        assertThat(read.amr()).containsExactly("pwd");
        assertThat(read.authTime()).isEmpty();
        assertThat(read.acr()).isEqualTo("urn:authfn:acr:sfa");
    }

    @Test
    void anAcrInTheContextIsNotBelievedOverTheMethods() {
        Map<String, String> context = new LinkedHashMap<>(AuthorizerContext.of(CAROL));
        context.put("amr", "pwd");

        assertThat(AuthorizerContext.principal(withContext(context)).orElseThrow().acr())
                .isEqualTo("urn:authfn:acr:sfa");
    }

    @Test
    void anAuthTimeThatIsNoWholeEpochSecondIsUnknown() {
        for (Object bad : List.of("yesterday", "1795686900.5", "", "99999999999999999999", 1.5)) {
            Map<String, Object> context = new LinkedHashMap<>(AuthorizerContext.of(CAROL));
            context.put("auth_time", bad);

            assertThat(AuthorizerContext.principal(withContext(context)).orElseThrow().authTime()).as("%s", bad)
                    .isEmpty();
        }
        Map<String, Object> number = new LinkedHashMap<>(AuthorizerContext.of(CAROL));
        number.put("auth_time", 1795686900L);
        assertThat(AuthorizerContext.principal(withContext(number)).orElseThrow().authTime()).contains(AUTH_TIME);
    }

    @Test
    void aContextWhoseMethodsAreNoListOfMethodsIsNoPrincipal() {
        Map<String, String> context = new LinkedHashMap<>(AuthorizerContext.of(CAROL));
        context.put("amr", "pwd pwd");

        assertThat(AuthorizerContext.principal(withContext(context))).isEmpty();
    }

    @Test
    void aPrincipalWithoutAuthTimeWritesNoAuthTime() {
        Principal unknown = new Principal("u-1", "alice", Set.of(), Set.of(), "AAAAAAAAAAAAAAAAAAAAAA", AuthType.BEARER);

        assertThat(AuthorizerContext.of(unknown)).doesNotContainKey("auth_time").containsEntry("amr", "pwd");
    }

    @Test
    void aStepUpContextHoldsTheChallengeAndNoPrincipal() {
        StepUpChallenge challenge = StepUp.recentLogin(Duration.ofMinutes(5)).challenge();

        Map<String, String> context = AuthorizerContext.stepUpOnly(challenge);

        assertThat(context).containsExactly(Map.entry("step_up", "Bearer error=\"insufficient_user_authentication\", "
                + "error_description=\"A more recent login is required\", max_age=300"));
        assertThat(AuthorizerContext.principal(withContext(context))).isEmpty();
        assertThat(AuthorizerContext.stepUpChallenge(withContext(context))).contains(challenge.wwwAuthenticate());
        assertThat(AuthorizerContext.stepUpChallenge(withContext(AuthorizerContext.of(CAROL)))).isEmpty();
    }

    @Test
    void aStepUpValueThatIsNoChallengeOrCouldSplitAHeaderIsIgnored() {
        for (Object bad : List.of("Basic realm=\"x\"", "Bearer error=\"insufficient_user_authentication\"\r\nX: y",
                "Bearer error=\"insufficient_user_authentication\", " + "x".repeat(401), 42)) {
            assertThat(AuthorizerContext.stepUpChallenge(withContext(Map.of("step_up", bad)))).as("%s", bad).isEmpty();
        }
    }
}
