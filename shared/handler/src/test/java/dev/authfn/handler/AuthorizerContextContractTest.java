package dev.authfn.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.authz.StepUp;
import dev.authfn.core.authz.StepUpChallenge;
import dev.authfn.lambda.AuthorizerContext;
import dev.authfn.lambda.HttpResponses;
import dev.authfn.lambda.Problem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The library reads exactly what the authfn authorizer writes: the context built by
 * {@code dev.authfn.lambda.AuthorizerContext} (the authorizer's one writer) comes back as the same
 * principal, key for key. {@code authfn-lambda} is a test dependency only.
 */
class AuthorizerContextContractTest {

    private static final Instant AUTH_TIME = Instant.parse("2026-11-26T09:55:00Z");

    @Test
    void theKeysAreTheAuthorizersKeys() {
        assertThat(List.of(ContextKeys.SUB, ContextKeys.USERNAME, ContextKeys.ROLES, ContextKeys.PERMISSIONS,
                ContextKeys.SID, ContextKeys.AUTH_TYPE, ContextKeys.AMR, ContextKeys.AUTH_TIME, ContextKeys.ACR))
                .containsExactly(AuthorizerContext.SUB, AuthorizerContext.USERNAME, AuthorizerContext.ROLES,
                        AuthorizerContext.PERMISSIONS, AuthorizerContext.SID, AuthorizerContext.AUTH_TYPE,
                        AuthorizerContext.AMR, AuthorizerContext.AUTH_TIME, AuthorizerContext.ACR);
    }

    @Test
    void aContextTheAuthorizerWroteReadsBackAsTheSamePrincipal() {
        for (AuthType type : AuthType.values()) {
            for (List<String> amr : List.of(List.of("pwd"), List.of("pwd", "otp", "mfa"))) {
                dev.authfn.core.authz.Principal written = new dev.authfn.core.authz.Principal("u-1", "alice",
                        Set.of("admin", "user"), Set.of("orders:write", "posts:create"), "AAAAAAAAAAAAAAAAAAAAAA", type,
                        amr, Optional.of(AUTH_TIME));
                Map<String, String> context = AuthorizerContext.of(written);

                assertThat(context).containsOnlyKeys(ContextKeys.SUB, ContextKeys.USERNAME, ContextKeys.ROLES,
                        ContextKeys.PERMISSIONS, ContextKeys.SID, ContextKeys.AUTH_TYPE, ContextKeys.AMR,
                        ContextKeys.AUTH_TIME, ContextKeys.ACR);
                Principal read = Principal.fromAuthorizerContext(context).orElseThrow();
                assertThat(read).isEqualTo(new Principal("u-1", "alice", Set.of("admin", "user"),
                        Set.of("orders:write", "posts:create"), "AAAAAAAAAAAAAAAAAAAAAA",
                        Principal.AuthType.valueOf(type.name()), amr, Optional.of(AUTH_TIME)));
                assertThat(read.acr()).as("the class the authorizer wrote").isEqualTo(written.acr())
                        .isEqualTo(context.get(ContextKeys.ACR));
                assertThat(Principal.AuthType.valueOf(type.name()).wireName()).isEqualTo(type.wireName());
            }
        }
    }

    @Test
    void theStepUpKeyIsTheAuthorizersAndItsChallengeIsAnsweredAsWritten() {
        assertThat(ContextKeys.STEP_UP).isEqualTo(AuthorizerContext.STEP_UP);
        StepUpChallenge challenge = RoutePolicy.DEFAULT.rule("GET /protected/step-up").orElseThrow().challenge();

        Access.Denied denied = (Access.Denied) Require.authenticated().check(AuthorizerContext.stepUpOnly(challenge));

        assertThat(denied.wwwAuthenticate()).contains(challenge.wwwAuthenticate());
        assertThat(denied.type()).isEqualTo(Problem.STEP_UP_REQUIRED.type());
        assertThat(denied.title()).isEqualTo(Problem.STEP_UP_REQUIRED.title());
        assertThat(denied.status()).isEqualTo(Problem.STEP_UP_REQUIRED.status());
        assertThat(denied.detail()).isEqualTo(HttpResponses.STEP_UP_DETAIL);
    }

    /** The library writes its own challenges (it depends on no authfn module) exactly as core's StepUpChallenge does. */
    @Test
    void theLibrarysOwnChallengesAreWhatTheAuthorizerWouldWrite() {
        Clock clock = Clock.fixed(AUTH_TIME, ZoneOffset.UTC);
        Optional<Principal> password = Optional.of(new Principal("u-1", "alice", Set.of(), Set.of(),
                "AAAAAAAAAAAAAAAAAAAAAA", Principal.AuthType.COOKIE, List.of("pwd"), Optional.of(AUTH_TIME.minusSeconds(3600))));
        Map<Require, StepUp> pairs = Map.of(
                Require.mfa(), StepUp.multiFactor(),
                Require.recentLogin(Duration.ofMinutes(5)), StepUp.recentLogin(Duration.ofMinutes(5)),
                Require.mfa().and(Require.recentLogin(Duration.ofMinutes(15))),
                new StepUp(true, List.of(), Optional.of(Duration.ofMinutes(15))));

        pairs.forEach((require, stepUp) -> assertThat(((Access.Denied) require.withClock(clock).check(password))
                .wwwAuthenticate()).as("%s", require).contains(stepUp.challenge().wwwAuthenticate()));
    }
}
