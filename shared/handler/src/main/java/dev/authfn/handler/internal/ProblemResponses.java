package dev.authfn.handler.internal;

import dev.authfn.handler.Access;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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

    /** What a step-up refusal must carry to be sent as a header: printable ASCII, bounded, RFC 9470's error. */
    private static final Pattern CHALLENGE = Pattern.compile("Bearer error=\"insufficient_user_authentication\"[ -~]{0,400}");

    /**
     * A {@code 401 step-up-required} with {@code challenge} as {@code WWW-Authenticate}; the same
     * problem authfn's own functions answer (dev.authfn.lambda.Problem.STEP_UP_REQUIRED).
     */
    public static Access.Denied stepUpRequired(String challenge) {
        return new Access.Denied(401, "urn:authfn:problem:step-up-required", "Step-up authentication required",
                "This route needs a stronger or more recent login; the WWW-Authenticate header says which.",
                Optional.of(challenge));
    }

    /** The challenge an authorizer context carries under {@code step_up}, when it is one (else empty). */
    public static Optional<String> challengeIn(Object value) {
        return value instanceof String text && CHALLENGE.matcher(text).matches() ? Optional.of(text) : Optional.empty();
    }

    /**
     * The RFC 9470 challenge for what a requirement demands, exactly as the authorizer writes it
     * (dev.authfn.core.authz.StepUpChallenge; a contract test compares the two): {@code acr_values}
     * {@code urn:authfn:acr:mfa} for a second factor, {@code max_age} in seconds for a recent login.
     */
    public static String challenge(boolean mfa, Optional<Duration> maxAge) {
        String description = maxAge.isEmpty() ? "A multi-factor login is required"
                : mfa ? "A recent multi-factor login is required" : "A more recent login is required";
        StringBuilder header = new StringBuilder("Bearer error=\"insufficient_user_authentication\", error_description=\"")
                .append(description).append('"');
        if (mfa) {
            header.append(", acr_values=\"urn:authfn:acr:mfa\"");
        }
        maxAge.ifPresent(age -> header.append(", max_age=").append(age.toSeconds()));
        return header.toString();
    }

    /** {@link #HEADERS} and {@code WWW-Authenticate}. */
    public static Map<String, String> headersWith(String wwwAuthenticate) {
        Map<String, String> headers = new LinkedHashMap<>(HEADERS);
        headers.put("WWW-Authenticate", wwwAuthenticate);
        return java.util.Collections.unmodifiableMap(headers);
    }

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
