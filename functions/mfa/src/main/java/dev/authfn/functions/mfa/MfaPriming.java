package dev.authfn.functions.mfa;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.auth.Components;
import dev.authfn.auth.SyntheticSession;
import dev.authfn.lambda.Priming;
import dev.authfn.lambda.PrimingContext;
import dev.authfn.lambda.SyntheticEvents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * SnapStart priming for {@link MfaHandler}, what it can do without touching a table. The second
 * step is the other half of a login, so it is primed as the login is ({@code LoginPriming}): the
 * DynamoDB client is built (no request), a {@link SyntheticSession} is minted (the access-token
 * signer and the cookie MAC a successful second step uses), and the handler gets {@value #ROUNDS}
 * rounds of two requests that are refused before any store call:
 *
 * <ul>
 *   <li>{@code POST /auth/mfa/verify} with an {@code mfa_token} of the right shape that no key of
 *       ours made: the origin check, the body reader, the token's HMAC under the mfa subkey, and
 *       the one 401 {@code mfa-failed};
 *   <li>{@code POST /auth/mfa/totp} for a made-up principal whose login time is unknown: the
 *       authorizer context, the route guard and the RFC 9470 401 {@code step-up-required}.
 * </ul>
 *
 * The successful paths' DynamoDB calls, the secret's AES-GCM and the TOTP check are not primed.
 */
final class MfaPriming extends Priming<List<Integer>> {

    static final int ROUNDS = 5;

    /**
     * An {@code mfa_token} of the real shape (a payload with the real members, then a MAC) that no
     * key made: it passes the shape checks, so its MAC is computed and compared, and refused there.
     */
    static final String FOREIGN_TOKEN = Base64.getUrlEncoder().withoutPadding().encodeToString(
            ("{\"v\":1,\"kid\":\"snapstart-priming\",\"sub\":\"snapstart-priming\",\"name\":\"snapstart priming\","
                    + "\"att\":\"" + "A".repeat(43) + "\",\"exp\":0}").getBytes(StandardCharsets.US_ASCII))
            + "." + "A".repeat(43);

    private final MfaHandler handler;
    private final Components components;

    MfaPriming(MfaHandler handler, Components components) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.components = Objects.requireNonNull(components, "components");
    }

    /** Primes and returns the status of each synthetic request, in order. */
    @Override
    protected List<Integer> prime() {
        components.stores().prepare();
        components.syntheticSession();
        List<Integer> statuses = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            statuses.add(handler.handleRequest(verify(), PrimingContext.INSTANCE).getStatusCode());
            statuses.add(handler.handleRequest(enrol(), PrimingContext.INSTANCE).getStatusCode());
        }
        return statuses;
    }

    private static APIGatewayV2HTTPEvent verify() {
        APIGatewayV2HTTPEvent event = SyntheticEvents.http("POST /auth/mfa/verify");
        event.setHeaders(Map.of("content-type", "application/json"));
        event.setBody("{\"mfa_token\":\"" + FOREIGN_TOKEN + "\",\"code\":\"000000\"}");
        return event;
    }

    /** A caller with no login time, which no recent-login rule accepts: refused before the store. */
    private static APIGatewayV2HTTPEvent enrol() {
        return SyntheticEvents.authorizedWithoutLoginTime("POST /auth/mfa/totp");
    }
}
