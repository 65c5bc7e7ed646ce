package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.core.csrf.OriginCheck;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads what handlers need from an HTTP API v2 event, treating all of it as untrusted. */
public final class HttpRequests {

    private HttpRequests() {
    }

    /** A header by name, case-insensitively (API Gateway lower-cases them; hand-written events may not). */
    public static String header(APIGatewayV2HTTPEvent event, String name) {
        return header(event.getHeaders(), name);
    }

    /** A header by name, case-insensitively, from any event's header map (null-safe). */
    public static String header(Map<String, String> headers, String name) {
        if (headers == null) {
            return null;
        }
        String exact = headers.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (entry.getKey() != null && entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** The request's cookies as {@code name=value} pairs (empty when none). */
    public static List<String> cookies(APIGatewayV2HTTPEvent event) {
        return event.getCookies() == null ? List.of() : event.getCookies();
    }

    /** The media type of {@code Content-Type}, lower-cased, without parameters; empty when absent. */
    public static String mediaType(APIGatewayV2HTTPEvent event) {
        String contentType = header(event, "content-type");
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The body as text, decoding base64 when API Gateway encoded it; empty when the body is not
     * valid base64 or not valid UTF-8, or longer than {@code maxBytes} (checked before decoding).
     */
    public static Optional<String> body(APIGatewayV2HTTPEvent event, int maxBytes) {
        String body = event.getBody();
        if (body == null) {
            return Optional.of("");
        }
        if (!event.getIsBase64Encoded()) {
            return body.length() > maxBytes ? Optional.empty() : Optional.of(body);
        }
        if (body.length() > (maxBytes / 3 + 1) * 4) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(body);
            if (bytes.length > maxBytes) {
                return Optional.empty();
            }
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (IllegalArgumentException | CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** The body's size in bytes as sent, without decoding it. */
    public static long bodySize(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return 0;
        }
        return event.getIsBase64Encoded() ? (long) body.length() * 3 / 4 : body.length();
    }

    /** The origin the request addressed, for same-origin checks. */
    public static String selfOrigin(APIGatewayV2HTTPEvent event) {
        return selfOrigin(event.getHeaders());
    }

    /** The origin a request with these headers addressed ({@code X-Forwarded-Proto} and {@code Host}). */
    public static String selfOrigin(Map<String, String> headers) {
        return OriginCheck.selfOrigin(header(headers, "x-forwarded-proto"), header(headers, "host"));
    }

    public static String sourceIp(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        return context == null || context.getHttp() == null ? "" : nullToEmpty(context.getHttp().getSourceIp());
    }

    public static String userAgent(APIGatewayV2HTTPEvent event) {
        return nullToEmpty(header(event, "user-agent"));
    }

    public static String routeKey(APIGatewayV2HTTPEvent event) {
        return nullToEmpty(event.getRouteKey());
    }

    public static String method(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
        return context == null || context.getHttp() == null ? "" : nullToEmpty(context.getHttp().getMethod());
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
