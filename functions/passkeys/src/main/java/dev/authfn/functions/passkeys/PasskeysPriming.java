package dev.authfn.functions.passkeys;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.auth.Components;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.PrimingContext;
import dev.authfn.lambda.SyntheticEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * SnapStart priming for {@link PasskeysHandler}, what it can do without touching a table:
 * the DynamoDB client built (no request), and {@value #ROUNDS} rounds of two requests refused
 * before any store call.
 *
 * <ul>
 *   <li>{@code POST /auth/passkeys/login} with a credential of the right members whose client data
 *       is no JSON: the origin check, the body reader, Jackson, and webauthn4j's response parser up
 *       to the client data, then the one 401 {@code passkey-failed};
 *   <li>{@code POST /auth/passkeys/register/options} for a made-up principal whose login time is
 *       unknown: the authorizer context, the route guard and the RFC 9470 401.
 * </ul>
 *
 * The ceremonies' CBOR, COSE and signature checks and the DynamoDB calls are not primed.
 */
final class PasskeysPriming extends Priming<List<Integer>> {

    static final int ROUNDS = 5;

    static final String FOREIGN_ASSERTION = "{\"credential\":{\"id\":\"AAAA\",\"rawId\":\"AAAA\","
            + "\"type\":\"public-key\",\"response\":{\"clientDataJSON\":\"AAAA\",\"authenticatorData\":\"AAAA\","
            + "\"signature\":\"AAAA\",\"userHandle\":\"AAAA\"},\"clientExtensionResults\":{}}}";

    private final PasskeysHandler handler;
    private final Components components;

    PasskeysPriming(PasskeysHandler handler, Components components) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.components = Objects.requireNonNull(components, "components");
    }

    /** Builds the DynamoDB client (no request), then primes; returns each synthetic request's status. */
    @Override
    protected List<Integer> prime() {
        components.stores().prepare();
        List<Integer> statuses = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            statuses.add(handler.handleRequest(signIn(), PrimingContext.INSTANCE).getStatusCode());
            statuses.add(handler.handleRequest(registrationOptions(), PrimingContext.INSTANCE).getStatusCode());
        }
        return statuses;
    }

    private static APIGatewayV2HTTPEvent signIn() {
        APIGatewayV2HTTPEvent event = SyntheticEvents.http(PasskeysHandler.LOGIN);
        event.setHeaders(Map.of("content-type", "application/json"));
        event.setBody(FOREIGN_ASSERTION);
        return event;
    }

    /** A caller with no login time, which no recent-login rule accepts: refused before the store. */
    private static APIGatewayV2HTTPEvent registrationOptions() {
        return SyntheticEvents.authorizedWithoutLoginTime(PasskeysHandler.REGISTER_OPTIONS);
    }
}
