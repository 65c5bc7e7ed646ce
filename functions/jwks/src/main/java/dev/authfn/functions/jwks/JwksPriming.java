package dev.authfn.functions.jwks;

import dev.authfn.lambda.Priming;
import dev.authfn.lambda.PrimingContext;
import dev.authfn.lambda.SyntheticEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * SnapStart priming for {@link JwksHandler}: before the snapshot it serves its route
 * {@value #ROUNDS} times from the key set loaded at init, so that a restored function finds the
 * JWK and JSON serialisation loaded and compiled. No network: the key set is already in memory.
 */
final class JwksPriming extends Priming<List<Integer>> {

    static final int ROUNDS = 5;
    static final List<String> ROUTES = List.of("GET /.well-known/jwks.json");

    private final JwksHandler handler;

    JwksPriming(JwksHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    /** Primes and returns the status of each synthetic request, in order. */
    @Override
    protected List<Integer> prime() {
        List<Integer> statuses = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (String route : ROUTES) {
                statuses.add(handler.handleRequest(SyntheticEvents.http(route), PrimingContext.INSTANCE).getStatusCode());
            }
        }
        return statuses;
    }
}
