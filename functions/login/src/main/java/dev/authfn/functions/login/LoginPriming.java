package dev.authfn.functions.login;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.PrimingContext;
import dev.authfn.lambda.SyntheticEvents;
import dev.authfn.auth.Components;
import dev.authfn.auth.SyntheticSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * SnapStart priming for {@link LoginHandler}, what it can do without touching the users table:
 * mint a {@link SyntheticSession} (an RS256 access token and a session cookie, so the signers are
 * set up) and send the handler {@value #ROUNDS} JSON logins whose username is not one (it holds a
 * space): they go through parsing, the origin check, username canonicalisation and the Argon2id
 * verification against the dummy hash that unknown users cost, and get the generic 401, without
 * a store call. The successful path's DynamoDB calls are not primed.
 */
final class LoginPriming extends Priming<List<Integer>> {

    /** Each costs one Argon2id hash; two get it past its first, interpreted, run. */
    static final int ROUNDS = 2;

    private final LoginHandler handler;
    private final Components components;

    LoginPriming(LoginHandler handler, Components components) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.components = Objects.requireNonNull(components, "components");
    }

    /** Primes and returns the status of each synthetic login. */
    @Override
    protected List<Integer> prime() {
        components.stores().prepare();
        components.syntheticSession();
        List<Integer> statuses = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            statuses.add(handler.handleRequest(event(), PrimingContext.INSTANCE).getStatusCode());
        }
        return statuses;
    }

    private static APIGatewayV2HTTPEvent event() {
        APIGatewayV2HTTPEvent event = SyntheticEvents.http("POST /auth/login");
        event.setHeaders(Map.of("content-type", "application/json"));
        event.setBody("{\"username\":\"snapstart priming\",\"password\":\"not a password of anyone\"}");
        return event;
    }
}
