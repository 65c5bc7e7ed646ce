package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.core.json.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds every HTTP API response a function returns. All carry {@code Cache-Control: no-store}
 * (they carry or depend on credentials) and {@code X-Content-Type-Options: nosniff}.
 */
public final class HttpResponses {

    private HttpResponses() {
    }

    public static APIGatewayV2HTTPResponse json(int status, Map<String, ?> body) {
        return json(status, body, List.of());
    }

    /** A JSON body with {@code Set-Cookie} headers (the {@code cookies} list of payload 2.0). */
    public static APIGatewayV2HTTPResponse json(int status, Map<String, ?> body, List<String> setCookies) {
        return response(status, "application/json", Json.write(body), setCookies, Map.of());
    }

    /**
     * A JSON body that depends on no credential and may be cached by anyone for {@code maxAge}
     * (the JWKS and the discovery document).
     */
    public static APIGatewayV2HTTPResponse publicJson(int status, Map<String, ?> body, Duration maxAge) {
        APIGatewayV2HTTPResponse response = json(status, body);
        response.getHeaders().put("Cache-Control", "public, max-age=" + maxAge.toSeconds());
        return response;
    }

    /**
     * An HTML page ({@code text/html; charset=utf-8}); the caller adds the page's security headers
     * (its {@code Content-Security-Policy}, framing) to the response's mutable header map.
     */
    public static APIGatewayV2HTTPResponse html(int status, String html) {
        return response(status, "text/html; charset=utf-8", html, List.of(), Map.of());
    }

    /** A 302 to {@code location}, without a body; the caller made {@code location} (it is sent as given). */
    public static APIGatewayV2HTTPResponse redirect(String location) {
        return response(302, null, null, List.of(), Map.of("Location", location));
    }

    /** A status without a body or {@code Content-Type}, e.g. RFC 7009's 200 to a revocation. */
    public static APIGatewayV2HTTPResponse empty(int status) {
        return response(status, null, null, List.of(), Map.of());
    }

    public static APIGatewayV2HTTPResponse noContent(List<String> setCookies) {
        return response(204, null, null, setCookies, Map.of());
    }

    /** An RFC 9457 problem; {@code detail} must not echo request data. */
    public static APIGatewayV2HTTPResponse problem(Problem problem, String detail) {
        return problem(problem, detail, Map.of());
    }

    /** An RFC 9457 problem with extension members (RFC 9457 §3.2) after the standard ones. */
    public static APIGatewayV2HTTPResponse problem(Problem problem, String detail, Map<String, ?> members,
            List<String> setCookies) {
        return response(problem.status(), "application/problem+json", problemBody(problem, detail, members), setCookies,
                Map.of());
    }

    /** A 202 with a JSON body. */
    public static APIGatewayV2HTTPResponse accepted(Map<String, ?> body) {
        return json(202, body);
    }

    /** The {@code detail} of every step-up refusal: fixed, since the header says what is missing. */
    public static final String STEP_UP_DETAIL =
            "This route needs a stronger or more recent login; the WWW-Authenticate header says which.";

    /**
     * A 401 {@code step-up-required} problem with the RFC 9470 challenge in {@code WWW-Authenticate}
     * ({@code dev.authfn.core.authz.StepUpChallenge#wwwAuthenticate()}).
     */
    public static APIGatewayV2HTTPResponse stepUpRequired(String wwwAuthenticate) {
        return problem(Problem.STEP_UP_REQUIRED, STEP_UP_DETAIL, Map.of("WWW-Authenticate", wwwAuthenticate));
    }

    /** A 429 with {@code Retry-After} in whole seconds. */
    public static APIGatewayV2HTTPResponse locked(Duration retryAfter) {
        return problem(Problem.ACCOUNT_LOCKED, "Too many failed logins; try again later.",
                Map.of("Retry-After", Long.toString(Math.max(1, retryAfter.toSeconds()))));
    }

    private static APIGatewayV2HTTPResponse problem(Problem problem, String detail, Map<String, String> extraHeaders) {
        return response(problem.status(), "application/problem+json", problemBody(problem, detail, Map.of()), List.of(),
                extraHeaders);
    }

    private static String problemBody(Problem problem, String detail, Map<String, ?> members) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", detail);
        body.putAll(members);
        return Json.write(body);
    }

    private static APIGatewayV2HTTPResponse response(
            int status, String contentType, String body, List<String> setCookies, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.putAll(extraHeaders);
        APIGatewayV2HTTPResponse response = new APIGatewayV2HTTPResponse();
        response.setStatusCode(status);
        response.setHeaders(headers);
        response.setBody(body);
        response.setIsBase64Encoded(false);
        response.setCookies(setCookies.isEmpty() ? null : List.copyOf(setCookies));
        return response;
    }
}
