package dev.authfn.bench.coldstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import dev.authfn.functions.authorizer.AuthorizerHandler;
import java.util.List;
import java.util.Map;

/**
 * A cold start of the HTTP API authorizer, run from its shaded jar alone (plus this package):
 * the handler is built as Lambda builds it (no-arg constructor, configuration from the process
 * environment) and decides one request, then the JVM exits.
 *
 * <pre>
 * java -cp authfn-authorizer-lambda.jar:bench-classes dev.authfn.bench.coldstart.AuthorizerColdStart \
 *     LAUNCH_EPOCH_NANOS bearer|cookie [--classes FILE] [--sdk]
 * </pre>
 *
 * The credential comes from {@code BENCH_AUTHORIZATION} (an {@code Authorization} header value)
 * or {@code BENCH_COOKIE} (a {@code name=value} cookie). Phases printed: {@code jvm} (launch to
 * {@code main}), then with {@code --classes} the preloading of a training run's classes, with
 * {@code --sdk} a DynamoDB client built apart, {@code init} (the handler's constructor) and
 * {@code first} (building the event and the first decision). Exits 1 unless the request is
 * authorized, so a broken run is never timed as a fast one.
 */
public final class AuthorizerColdStart {

    private AuthorizerColdStart() {
    }

    public static void main(String[] args) throws Exception {
        Checkpoints checkpoints = new Checkpoints(args[0]);
        checkpoints.mark("jvm");
        String credential = args[1];
        List<String> options = Checkpoints.options(args, 2);
        Phases.runRequested(options, checkpoints);

        AuthorizerHandler handler = new AuthorizerHandler();
        checkpoints.mark("init");

        SimpleIAMPolicyResponse response = handler.handleRequest(event(credential), null);
        checkpoints.mark("first");
        if (!response.getIsAuthorized()) {
            System.err.println("coldstart: the " + credential + " request was not authorized");
            System.exit(1);
        }
        checkpoints.print();
    }

    private static APIGatewayV2CustomAuthorizerEvent event(String credential) {
        APIGatewayV2CustomAuthorizerEvent.Http http = new APIGatewayV2CustomAuthorizerEvent.Http();
        http.setMethod("GET");
        http.setPath("/protected");
        http.setProtocol("HTTP/1.1");
        http.setSourceIp("203.0.113.10");
        http.setUserAgent("coldstart");
        APIGatewayV2CustomAuthorizerEvent.RequestContext context = new APIGatewayV2CustomAuthorizerEvent.RequestContext();
        context.setAccountId("123456789012");
        context.setApiId("a1b2c3d4e5");
        context.setDomainName("a1b2c3d4e5.execute-api.us-east-1.amazonaws.com");
        context.setHttp(http);
        context.setRequestId("coldstart");
        context.setRouteKey("GET /protected");
        context.setStage("$default");
        APIGatewayV2CustomAuthorizerEvent event = new APIGatewayV2CustomAuthorizerEvent();
        event.setVersion("2.0");
        event.setType("REQUEST");
        event.setRouteArn("arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/$default/GET/protected");
        event.setRouteKey("GET /protected");
        event.setRawPath("/protected");
        event.setRawQueryString("");
        event.setRequestContext(context);
        if (credential.equals("bearer")) {
            event.setHeaders(Map.of("host", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
                    "authorization", System.getenv("BENCH_AUTHORIZATION")));
            event.setIdentitySource(List.of(System.getenv("BENCH_AUTHORIZATION")));
        } else {
            event.setHeaders(Map.of("host", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"));
            event.setCookies(List.of(System.getenv("BENCH_COOKIE")));
            event.setIdentitySource(List.of(System.getenv("BENCH_COOKIE")));
        }
        return event;
    }
}
