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
     * valid base64 or not valid UTF-8, or more than {@code maxBytes} bytes as sent (checked
     * before decoding; a plain body counts its UTF-8 bytes, not its characters).
     */
    public static Optional<String> body(APIGatewayV2HTTPEvent event, int maxBytes) {
        String body = event.getBody();
        if (body == null) {
            return Optional.of("");
        }
        if (!event.getIsBase64Encoded()) {
            return utf8Length(body, maxBytes) > maxBytes ? Optional.empty() : Optional.of(body);
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

    /**
     * The body's size in bytes as sent, without decoding it: the UTF-8 bytes of a plain body (a
     * character may be up to four), the decoded length of a base64 one (its padding subtracted).
     * Counting stops past {@code Integer.MAX_VALUE}.
     */
    public static long bodySize(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body == null) {
            return 0;
        }
        if (!event.getIsBase64Encoded()) {
            return utf8Length(body, Integer.MAX_VALUE);
        }
        int length = body.length();
        int padding = length > 0 && body.charAt(length - 1) == '=' ? (length > 1 && body.charAt(length - 2) == '=' ? 2 : 1) : 0;
        return (long) length / 4 * 3 + (length % 4 == 0 ? 0 : length % 4 - 1) - padding;
    }

    /**
     * The UTF-8 length of {@code text}, counted without encoding it, stopping once it exceeds
     * {@code limit} (a body far over the limit costs a scan up to the limit, not its whole length).
     * An unpaired surrogate counts as the three bytes of the replacement character.
     */
    static long utf8Length(CharSequence text, long limit) {
        long bytes = 0;
        for (int i = 0; i < text.length() && bytes <= limit; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
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
