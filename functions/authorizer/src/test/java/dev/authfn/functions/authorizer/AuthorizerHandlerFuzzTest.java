package dev.authfn.functions.authorizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.RequestAuthenticator;
import dev.authfn.lambda.AuthorizerContext;
import dev.authfn.testkit.lambda.RecordingContext;
import dev.authfn.testkit.lambda.RequestText;
import dev.authfn.testkit.lambda.World;
import java.util.Set;

/**
 * Coverage-guided fuzzing (Jazzer) of the HTTP API authorizer: the input is a whole request as
 * {@link RequestText} (method, path, any headers and cookies), so every event field the authorizer
 * reads is fuzzed. In the input, {@code {session}}, {@code {csrf}} and {@code {token}} stand for
 * alice's real session cookie, CSRF token and access token, issued at start, so that seeds reach
 * the session lookup, the CSRF check and the route policy and the fuzzer mutates around real
 * credentials. Seeds: {@code AuthorizerHandlerFuzzTestInputs/<method>/}.
 */
class AuthorizerHandlerFuzzTest {

    private static final World WORLD = new World();
    private static final LoginService.LoggedIn ALICE = login();
    private static final AuthorizerHandler HANDLER = new AuthorizerHandler(WORLD.components);

    /**
     * A denial is {@code isAuthorized: false} with an empty context, logged once with the reason of
     * a refusal, never an internal error (a caught exception) or a store outage. An allowed request
     * presented alice's session cookie or access token verbatim and is answered as alice's session;
     * a cookie-authenticated unsafe one also carried her CSRF token; none of them is
     * {@code GET /admin}, which her role does not reach. Nothing throws.
     */
    @FuzzTest
    void allowsOnlyAlicesOwnCredentialsAsAliceAndDeniesEverythingElseWithAnEmptyContext(@NotNull String input) {
        String request = input.replace("{session}", ALICE.sessionCookie()).replace("{csrf}", ALICE.csrfToken())
                .replace("{token}", ALICE.accessToken());
        APIGatewayV2CustomAuthorizerEvent event = RequestText.parse(request).toAuthorizerEvent();

        RecordingContext context = new RecordingContext();
        SimpleIAMPolicyResponse response = HANDLER.handleRequest(event, context);

        if (!response.getIsAuthorized()) {
            assertThat(response.getContext()).isEmpty();
            assertThat(context.events()).singleElement()
                    .extracting(denial -> String.valueOf(denial.get("reason")))
                    .satisfies(reason -> assertThat(reason)
                            .doesNotStartWith("INTERNAL_ERROR").doesNotStartWith("STORE_UNAVAILABLE"));
            return;
        }
        assertThat(response.getContext()).containsEntry(AuthorizerContext.USERNAME, "alice")
                .containsEntry(AuthorizerContext.SID, ALICE.session().id());
        boolean bearer = "bearer".equals(response.getContext().get(AuthorizerContext.AUTH_TYPE));
        assertThat(request).contains(bearer ? ALICE.accessToken() : ALICE.sessionCookie());
        String method = event.getRequestContext() == null ? null : event.getRequestContext().getHttp().getMethod();
        if (!bearer && RequestAuthenticator.isUnsafe(method)) {
            assertThat(request).contains(ALICE.csrfToken());
        }
        assertThat(event.getRouteKey()).isNotEqualTo("GET /admin");
    }

    private static LoginService.LoggedIn login() {
        WORLD.addUser("alice", "correct horse battery staple", Set.of("user"), Set.of("posts:create"));
        return (LoginService.LoggedIn) WORLD.loginService()
                .login(new LoginService.Attempt("alice", "correct horse battery staple", "fuzz", "198.51.100.7"));
    }
}
