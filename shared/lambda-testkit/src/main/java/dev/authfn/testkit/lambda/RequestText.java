package dev.authfn.testkit.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request written as text, turned into the HTTP API (payload 2.0) events the handlers get: what
 * the handler fuzz tests feed their targets, so that their seed files read like requests.
 *
 * <pre>
 * POST /auth/login base64      request line: method, path, and "base64" to send the body encoded
 * Content-Type: application/json   headers, "name: value", the name kept as written
 * cookie: __Host-session=...       each cookie line is one element of the event's cookies
 *                                  an empty line, then the body
 * {"username":"alice","password":"..."}
 * </pre>
 *
 * Any text is a request: a line without a colon is a header with an empty value, a missing part
 * is absent from the event. An empty request line gives an event without a request context; no
 * header lines, no headers map; no cookie lines, no cookies list (API Gateway omits it then).
 */
public record RequestText(String method, String path, boolean base64, Map<String, String> headers,
        List<String> cookies, String body) {

    public static RequestText parse(String text) {
        String[] lines = text.split("\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        int line = 1;
        for (; line < lines.length && !lines[line].isEmpty(); line++) {
            int colon = lines[line].indexOf(':');
            String name = colon < 0 ? lines[line] : lines[line].substring(0, colon);
            String value = colon < 0 ? "" : lines[line].substring(colon + 1).strip();
            if (name.equalsIgnoreCase("cookie")) {
                cookies.add(value);
            } else {
                headers.put(name, value);
            }
        }
        String body = line + 1 < lines.length ? String.join("\n", List.of(lines).subList(line + 1, lines.length)) : null;
        return new RequestText(requestLine[0], requestLine.length > 1 ? requestLine[1] : "",
                requestLine.length > 2 && requestLine[2].equals("base64"), headers, cookies, body);
    }

    /** The event the login, session and protected functions get. */
    public APIGatewayV2HTTPEvent toHttpEvent() {
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setVersion("2.0");
        event.setRouteKey(method + " " + path);
        event.setRawPath(path);
        event.setHeaders(headers.isEmpty() ? null : headers);
        event.setCookies(cookies.isEmpty() ? null : cookies);
        event.setIsBase64Encoded(base64);
        event.setBody(body == null || !base64 ? body
                : Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)));
        if (!method.isEmpty()) {
            event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
                    .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder()
                            .withMethod(method).withPath(path).withSourceIp("198.51.100.7").withUserAgent("fuzz").build())
                    .build());
        }
        return event;
    }

    /** The event the HTTP API authorizer gets (it carries no body). */
    public APIGatewayV2CustomAuthorizerEvent toAuthorizerEvent() {
        APIGatewayV2CustomAuthorizerEvent event = new APIGatewayV2CustomAuthorizerEvent();
        event.setVersion("2.0");
        event.setType("REQUEST");
        event.setRouteKey(method + " " + path);
        event.setRawPath(path);
        event.setHeaders(headers.isEmpty() ? null : headers);
        event.setCookies(cookies.isEmpty() ? null : cookies);
        if (!method.isEmpty()) {
            APIGatewayV2CustomAuthorizerEvent.RequestContext context = new APIGatewayV2CustomAuthorizerEvent.RequestContext();
            APIGatewayV2CustomAuthorizerEvent.Http http = new APIGatewayV2CustomAuthorizerEvent.Http();
            http.setMethod(method);
            http.setPath(path);
            http.setSourceIp("198.51.100.7");
            context.setHttp(http);
            event.setRequestContext(context);
        }
        return event;
    }
}
