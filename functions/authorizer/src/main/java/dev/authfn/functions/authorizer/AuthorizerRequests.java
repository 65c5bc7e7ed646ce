package dev.authfn.functions.authorizer;

import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import dev.authfn.auth.RequestAuthenticator.Request;
import dev.authfn.lambda.HttpRequests;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one place that turns an authorizer event into the authenticator's {@link Request}, for both
 * payloads API Gateway sends: HTTP API (v2, REQUEST) and REST API (v1, TOKEN or REQUEST). Every
 * value is untrusted and set by name.
 */
final class AuthorizerRequests {

    private AuthorizerRequests() {
    }

    /** An HTTP API (payload 2.0) authorizer event: headers lower-cased, cookies as their own list. */
    static Request from(APIGatewayV2CustomAuthorizerEvent event) {
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        APIGatewayV2CustomAuthorizerEvent.Http http = event.getRequestContext() == null
                ? null : event.getRequestContext().getHttp();
        return Request.builder()
                .method(http == null ? null : http.getMethod())
                .routeKey(event.getRouteKey())
                .cookies(event.getCookies() == null ? List.of() : event.getCookies())
                .authorization(HttpRequests.header(headers, "authorization"))
                .csrfToken(HttpRequests.header(headers, "x-csrf-token"))
                .origin(HttpRequests.header(headers, "origin"))
                .secFetchSite(HttpRequests.header(headers, "sec-fetch-site"))
                .selfOrigin(HttpRequests.selfOrigin(headers))
                .build();
    }

    /**
     * A REST API (v1) authorizer event. A TOKEN authorizer sees the token only (method and path
     * come from the method ARN); a REQUEST authorizer sees the headers, the {@code Cookie} header
     * among them.
     */
    static Request from(APIGatewayCustomAuthorizerEvent event, MethodArn arn) {
        boolean token = "TOKEN".equalsIgnoreCase(event.getType());
        String method = token || event.getHttpMethod() == null ? arn.method() : event.getHttpMethod();
        String resource = token || event.getResource() == null ? arn.path() : event.getResource();
        Request.Builder request = Request.builder()
                .method(method)
                .routeKey(method.toUpperCase(Locale.ROOT) + " " + resource);
        if (token) {
            return request.authorization(event.getAuthorizationToken()).build();
        }
        Map<String, String> headers = event.getHeaders() == null ? Map.of() : event.getHeaders();
        String cookieHeader = HttpRequests.header(headers, "cookie");
        return request
                .cookies(cookieHeader == null ? List.of() : List.of(cookieHeader))
                .authorization(HttpRequests.header(headers, "authorization"))
                .csrfToken(HttpRequests.header(headers, "x-csrf-token"))
                .origin(HttpRequests.header(headers, "origin"))
                .secFetchSite(HttpRequests.header(headers, "sec-fetch-site"))
                .selfOrigin(HttpRequests.selfOrigin(headers))
                .build();
    }
}
