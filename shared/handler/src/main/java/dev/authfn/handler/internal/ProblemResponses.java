package dev.authfn.handler.internal;

import dev.authfn.handler.Access;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The denials {@link dev.authfn.handler.Require} answers with and their JSON. The library has no
 * JSON dependency (a function that only reads the context should not carry one), and every value
 * written here is either fixed text or a number, so a string escaper is all it needs.
 */
public final class ProblemResponses {

    /** The headers of every denial, in this order. */
    public static final Map<String, String> HEADERS = headers();

    public static final Access.Denied NOT_AUTHENTICATED = new Access.Denied(401, "urn:authfn:problem:not-authenticated",
            "Not authenticated", "This route needs an authenticated session.");
    public static final Access.Denied FORBIDDEN = new Access.Denied(403, "urn:authfn:problem:forbidden",
            "Forbidden", "You may not use this route.");
    public static final Access.Denied MFA_REQUIRED = new Access.Denied(403, "urn:authfn:problem:mfa-required",
            "Second factor required", "This route needs a session established with a second factor.");

    private ProblemResponses() {
    }

    private static Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/problem+json");
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        return java.util.Collections.unmodifiableMap(headers);
    }

    /** {@code {"type":…,"title":…,"status":…,"detail":…}}. */
    public static String body(String type, String title, int status, String detail) {
        return "{\"type\":" + quote(type) + ",\"title\":" + quote(title) + ",\"status\":" + status
                + ",\"detail\":" + quote(detail) + "}";
    }

    /** A proxy-integration response: {@code {"statusCode","headers","body","isBase64Encoded":false}}. */
    public static String responseJson(int status, Map<String, String> headers, String body) {
        StringBuilder json = new StringBuilder("{\"statusCode\":").append(status).append(",\"headers\":{");
        boolean first = true;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            json.append(first ? "" : ",").append(quote(header.getKey())).append(':').append(quote(header.getValue()));
            first = false;
        }
        return json.append("},\"body\":").append(quote(body)).append(",\"isBase64Encoded\":false}").toString();
    }

    /** A JSON string literal (RFC 8259: quote, backslash and control characters escaped). */
    static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
