package dev.authfn.bench.coldstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.auth.Components;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.functions.jwks.JwksHandler;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cold start of the JWKS function from its shaded jar alone, reading its key set from Secrets
 * Manager: the one SigV4-signed call the jar makes (moto's Secrets Manager, at the DynamoDB
 * endpoint of the environment, which moto serves on the same port). The handler is built from the
 * process environment with the inline keys swapped for {@code AUTHFN_KEYS_SECRET_ID} =
 * {@code BENCH_KEYS_SECRET_ID}, then answers {@code GET /.well-known/jwks.json}. Phases as in
 * {@link AuthorizerColdStart} ({@code --classes} only); exits 1 unless it answers 200.
 */
public final class JwksColdStart {

    private JwksColdStart() {
    }

    public static void main(String[] args) throws Exception {
        Checkpoints checkpoints = new Checkpoints(args[0]);
        checkpoints.mark("jvm");
        Phases.runRequested(Checkpoints.options(args, 1), checkpoints);

        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.remove("AUTHFN_KEYS");
        environment.put("AUTHFN_KEYS_SECRET_ID", System.getenv("BENCH_KEYS_SECRET_ID"));
        environment.put("AUTHFN_SECRETS_ENDPOINT", System.getenv("AUTHFN_DYNAMODB_ENDPOINT"));
        JwksHandler handler = new JwksHandler(
                Components.fromEnvironment(environment, EnumSet.of(Requirement.ISSUER, Requirement.KEYS)));
        checkpoints.mark("init");

        APIGatewayV2HTTPResponse response = handler.handleRequest(event(), null);
        checkpoints.mark("first");
        if (response.getStatusCode() != 200 || !response.getBody().contains("\"keys\"")) {
            System.err.println("coldstart: jwks answered " + response.getStatusCode());
            System.exit(1);
        }
        checkpoints.print();
    }

    private static APIGatewayV2HTTPEvent event() {
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("GET");
        http.setPath("/.well-known/jwks.json");
        http.setProtocol("HTTP/1.1");
        http.setSourceIp("203.0.113.10");
        http.setUserAgent("coldstart");
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setHttp(http);
        context.setRequestId("coldstart");
        context.setRouteKey("GET /.well-known/jwks.json");
        context.setStage("$default");
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey("GET /.well-known/jwks.json");
        event.setRawPath("/.well-known/jwks.json");
        event.setRawQueryString("");
        event.setHeaders(Map.of("host", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"));
        event.setCookies(List.of());
        return event;
    }
}
