package dev.authfn.lambda;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Parses {@code application/x-www-form-urlencoded} text (a form body, or a query string as sent,
 * API Gateway's {@code rawQueryString}) into <em>every</em> value of every name, in order, so
 * that a caller can refuse a name given twice (OAuth does, RFC 6749 §3.1). API Gateway's own
 * {@code queryStringParameters} joins repeated names with commas and cannot tell
 * {@code a=1&a=2} from {@code a=1,2}: never read it where that matters.
 *
 * <p>Decoding as the WHATWG URL standard's form parser does: pairs split on {@code &}, empty pairs
 * skipped, name and value split on the first {@code =} (none: an empty value), {@code +} is a
 * space, {@code %XX} a byte; the bytes are then UTF-8. Stricter in two ways: a {@code %} not
 * followed by two hex digits, and bytes that are not UTF-8 (or an unpaired surrogate in the text),
 * are {@link Refused} rather than passed on or replaced, and so are texts over their bound in
 * length or in pairs. A refusal's {@code detail} never echoes the text.
 */
public final class FormParameters {

    /** At most this many pairs: far more than any OAuth request has, far fewer than a body of junk. */
    public static final int MAX_PAIRS = 64;

    private FormParameters() {
    }

    /** What {@link #parse} found. */
    public sealed interface Result permits Parsed, Refused {
    }

    /** Every name's values in the order sent; names in the order first seen; both lists unmodifiable. */
    public record Parsed(Map<String, List<String>> parameters) implements Result {
        public Parsed {
            Objects.requireNonNull(parameters, "parameters");
        }

        /** The values of {@code name}, empty when it was not given. */
        public List<String> values(String name) {
            return parameters.getOrDefault(name, List.of());
        }
    }

    /** The text is not a form: {@code detail} says how, without repeating any of it. */
    public record Refused(String detail) implements Result {
        public Refused {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * Parses {@code encoded} (null is empty) of at most {@code maxLength} characters.
     *
     * @param maxLength the longest text read; a longer one is refused before any decoding
     */
    public static Result parse(String encoded, int maxLength) {
        if (encoded == null || encoded.isEmpty()) {
            return new Parsed(Map.of());
        }
        if (encoded.length() > maxLength) {
            return new Refused("The parameters are longer than " + maxLength + " characters.");
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        int pairs = 0;
        int start = 0;
        while (start <= encoded.length()) {
            int end = encoded.indexOf('&', start);
            if (end < 0) {
                end = encoded.length();
            }
            if (end > start) {
                if (++pairs > MAX_PAIRS) {
                    return new Refused("More than " + MAX_PAIRS + " parameters.");
                }
                int equals = encoded.indexOf('=', start);
                int nameEnd = equals < 0 || equals > end ? end : equals;
                String name = decode(encoded, start, nameEnd);
                String value = nameEnd == end ? "" : decode(encoded, nameEnd + 1, end);
                if (name == null || value == null) {
                    return new Refused("A parameter is not valid percent-encoded UTF-8.");
                }
                parameters.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        Map<String, List<String>> frozen = new LinkedHashMap<>();
        parameters.forEach((name, values) -> frozen.put(name, List.copyOf(values)));
        return new Parsed(Collections.unmodifiableMap(frozen));
    }

    /** {@code text[from, to)} decoded, or null when it is not percent-encoded UTF-8. */
    private static String decode(String text, int from, int to) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= to || !isAsciiHex(text.charAt(i + 1)) || !isAsciiHex(text.charAt(i + 2))) {
                    return null;
                }
                bytes.write(Character.digit(text.charAt(i + 1), 16) << 4 | Character.digit(text.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                // A character sent unencoded: its UTF-8 bytes, as a browser would have encoded it.
                int codePoint = c;
                if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                    codePoint = Character.toCodePoint(c, text.charAt(++i));
                } else if (Character.isSurrogate(c)) {
                    return null;
                }
                bytes.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** {@link Character#digit} also takes full-width and other Unicode digits; a percent-escape does not. */
    private static boolean isAsciiHex(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
