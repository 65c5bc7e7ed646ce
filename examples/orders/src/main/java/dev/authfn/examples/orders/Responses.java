package dev.authfn.examples.orders;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.google.gson.Gson;
import java.util.LinkedHashMap;
import java.util.Map;

/** The example's JSON responses: every one depends on the caller, so {@code Cache-Control: no-store}. */
final class Responses {

    private static final Gson GSON = new Gson();

    private Responses() {
    }

    static APIGatewayV2HTTPResponse json(int status, Map<String, ?> body) {
        return response(status, "application/json", GSON.toJson(body));
    }

    /** An RFC 9457 problem, like authfn's own ({@code urn:authfn:problem:malformed-request}). */
    static APIGatewayV2HTTPResponse malformed(String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "urn:authfn:problem:malformed-request");
        body.put("title", "Malformed request");
        body.put("status", 400);
        body.put("detail", detail);
        return response(400, "application/problem+json", GSON.toJson(body));
    }

    private static APIGatewayV2HTTPResponse response(int status, String contentType, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
        response.setStatusCode(status);
        response.setHeaders(headers);
        response.setBody(body);
        response.setIsBase64Encoded(false);
        return response;
    }
}
