package dev.authfn.bench.coldstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.functions.login.LoginHandler;
import java.util.List;
import java.util.Map;

/**
 * A cold start of the login function from its shaded jar alone: built as Lambda builds it, one
 * JSON login of {@code BENCH_USERNAME}/{@code BENCH_PASSWORD} against the DynamoDB endpoint of
 * the environment. Same phases and options as {@link AuthorizerColdStart}; exits 1 unless the
 * login answers 200.
 */
public final class LoginColdStart {

    private LoginColdStart() {
    }

    public static void main(String[] args) throws Exception {
        Checkpoints checkpoints = new Checkpoints(args[0]);
        checkpoints.mark("jvm");
        List<String> options = Checkpoints.options(args, 1);
        Phases.runRequested(options, checkpoints);

        LoginHandler handler = new LoginHandler();
        checkpoints.mark("init");

        APIGatewayV2HTTPResponse response = handler.handleRequest(event(), null);
        checkpoints.mark("first");
        if (response.getStatusCode() != 200) {
            System.err.println("coldstart: login answered " + response.getStatusCode());
            System.exit(1);
        }
        checkpoints.print();
    }

    private static APIGatewayV2HTTPEvent event() {
        APIGatewayV2HTTPEvent.RequestContext.Http http = new APIGatewayV2HTTPEvent.RequestContext.Http();
        http.setMethod("POST");
        http.setPath("/auth/login");
        http.setProtocol("HTTP/1.1");
        http.setSourceIp("203.0.113.10");
        http.setUserAgent("coldstart");
        APIGatewayV2HTTPEvent.RequestContext context = new APIGatewayV2HTTPEvent.RequestContext();
        context.setAccountId("123456789012");
        context.setApiId("a1b2c3d4e5");
        context.setDomainName("a1b2c3d4e5.execute-api.us-east-1.amazonaws.com");
        context.setHttp(http);
        context.setRequestId("coldstart");
        context.setRouteKey("POST /auth/login");
        context.setStage("$default");
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey("POST /auth/login");
        event.setRawPath("/auth/login");
        event.setRawQueryString("");
        event.setHeaders(Map.of("host", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com",
                "content-type", "application/json"));
        event.setBody("{\"username\":\"" + System.getenv("BENCH_USERNAME") + "\",\"password\":\""
                + System.getenv("BENCH_PASSWORD") + "\"}");
        event.setIsBase64Encoded(false);
        event.setRequestContext(context);
        return event;
    }
}
