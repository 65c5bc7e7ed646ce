package dev.authfn.core.json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON authfn reads and writes itself: request bodies, responses, the route policy, the
 * Secrets Manager and container-credentials answers, the local API's state file. Strict RFC 8259:
 * one object at the top, no comments, no trailing commas, no unquoted names, no leading zeros, no
 * unescaped control characters; and beyond the RFC, no unpaired surrogate (escaped or not: the text
 * would not be Unicode), no duplicate member names and nesting at most
 * {@value #MAX_DEPTH} deep. Numbers become {@link Long} when integral and in range, else
 * {@link Double}; objects keep their member order.
 *
 * <p><b>Why written here.</b> A library's reader costs every function that has no other use for
 * it: Gson's streaming reader cannot be minimised below the whole of Gson (239 KB compressed;
 * its static initialiser reaches the tree model and, from there, every type adapter), and
 * nimbus-jose-jwt's {@code JSONObjectUtils} brings nimbus (250 KB) into a function that verifies
 * nothing. This class is about 7 KB. docs/PERFORMANCE.md ("Jar sizes") has the figures; the
 * tests check it against Gson's strict reader on generated and mutated documents.
 */
public final class Json {

    /** Deeper documents are refused: nothing authfn reads nests beyond a few levels. */
    public static final int MAX_DEPTH = 32;

    private Json() {
    }

    /**
     * Parses a JSON object. Anything else — malformed text, another value at the top, a duplicate
     * member, trailing text, nesting beyond {@link #MAX_DEPTH} — is empty. Never throws.
     */
    public static Optional<Map<String, Object>> parseObject(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            Reader reader = new Reader(text);
            reader.skipWhitespace();
            if (reader.peek() != '{') {
                return Optional.empty();
            }
            Map<String, Object> object = reader.readObject(1);
            reader.skipWhitespace();
            return reader.atEnd() ? Optional.of(object) : Optional.empty();
        } catch (Malformed e) {
            return Optional.empty();
        }
    }

    /** Serialises a map of strings, numbers, booleans, nulls, lists and maps, compactly. */
    public static String write(Map<String, ?> object) {
        StringBuilder out = new StringBuilder(128);
        writeValue(out, object);
        return out.toString();
    }

    private static void writeValue(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case String string -> writeString(out, string);
            case Boolean bool -> out.append(bool.booleanValue());
            case Double number when number.isNaN() || number.isInfinite() ->
                    throw new IllegalArgumentException("JSON has no NaN or infinity");
            case Float number when number.isNaN() || number.isInfinite() ->
                    throw new IllegalArgumentException("JSON has no NaN or infinity");
            case Number number -> out.append(number);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> member : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    writeString(out, String.valueOf(member.getKey()));
                    out.append(':');
                    writeValue(out, member.getValue());
                }
                out.append('}');
            }
            case Collection<?> collection -> {
                out.append('[');
                boolean first = true;
                for (Object element : collection) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    writeValue(out, element);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Quotes, backslashes and control characters escaped; U+2028/U+2029 too, for script contexts. */
    private static void writeString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** A recursive-descent reader over the text; {@link Malformed} on the first departure from the grammar. */
    private static final class Reader {
        private final String text;
        private int at;

        Reader(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return at == text.length();
        }

        char peek() {
            return at < text.length() ? text.charAt(at) : '\0';
        }

        void skipWhitespace() {
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                at++;
            }
        }

        void expect(char c) {
            if (peek() != c || atEnd()) {
                throw new Malformed();
            }
            at++;
        }

        Map<String, Object> readObject(int depth) {
            if (depth > MAX_DEPTH) {
                throw new Malformed();
            }
            expect('{');
            Map<String, Object> object = new LinkedHashMap<>();
            skipWhitespace();
            if (peek() == '}' && !atEnd()) {
                at++;
                return object;
            }
            while (true) {
                skipWhitespace();
                String name = readString();
                if (object.containsKey(name)) {
                    throw new Malformed();
                }
                skipWhitespace();
                expect(':');
                skipWhitespace();
                object.put(name, readValue(depth));
                skipWhitespace();
                if (peek() == ',' && !atEnd()) {
                    at++;
                    continue;
                }
                expect('}');
                return object;
            }
        }

        List<Object> readArray(int depth) {
            if (depth > MAX_DEPTH) {
                throw new Malformed();
            }
            expect('[');
            List<Object> array = new ArrayList<>();
            skipWhitespace();
            if (peek() == ']' && !atEnd()) {
                at++;
                return array;
            }
            while (true) {
                skipWhitespace();
                array.add(readValue(depth));
                skipWhitespace();
                if (peek() == ',' && !atEnd()) {
                    at++;
                    continue;
                }
                expect(']');
                return array;
            }
        }

        Object readValue(int depth) {
            if (atEnd()) {
                throw new Malformed();
            }
            char c = peek();
            return switch (c) {
                case '{' -> readObject(depth + 1);
                case '[' -> readArray(depth + 1);
                case '"' -> readString();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> readNumber();
            };
        }

        Object literal(String word, Object value) {
            if (!text.startsWith(word, at)) {
                throw new Malformed();
            }
            at += word.length();
            return value;
        }

        String readString() {
            expect('"');
            StringBuilder out = null;
            int runStart = at;
            while (true) {
                if (atEnd()) {
                    throw new Malformed();
                }
                char c = text.charAt(at);
                if (c == '"') {
                    String run = text.substring(runStart, at);
                    at++;
                    return out == null ? run : out.append(run).toString();
                }
                if (c < 0x20) {
                    throw new Malformed();
                }
                if (Character.isHighSurrogate(c)) {
                    if (at + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(at + 1))) {
                        throw new Malformed();
                    }
                    at += 2;
                    continue;
                }
                if (Character.isLowSurrogate(c)) {
                    throw new Malformed();
                }
                if (c != '\\') {
                    at++;
                    continue;
                }
                if (out == null) {
                    out = new StringBuilder();
                }
                out.append(text, runStart, at);
                at++;
                out.append(escape());
                runStart = at;
            }
        }

        /** The character(s) of one escape, after its backslash. */
        String escape() {
            if (atEnd()) {
                throw new Malformed();
            }
            char c = text.charAt(at++);
            return switch (c) {
                case '"' -> "\"";
                case '\\' -> "\\";
                case '/' -> "/";
                case 'b' -> "\b";
                case 'f' -> "\f";
                case 'n' -> "\n";
                case 'r' -> "\r";
                case 't' -> "\t";
                case 'u' -> {
                    char unit = hex4();
                    if (Character.isHighSurrogate(unit)) {
                        if (!text.startsWith("\\u", at)) {
                            throw new Malformed();
                        }
                        at += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw new Malformed();
                        }
                        yield new String(new char[] {unit, low});
                    }
                    if (Character.isLowSurrogate(unit)) {
                        throw new Malformed();
                    }
                    yield String.valueOf(unit);
                }
                default -> throw new Malformed();
            };
        }

        char hex4() {
            if (at + 4 > text.length()) {
                throw new Malformed();
            }
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(text.charAt(at++), 16);
                if (digit < 0) {
                    throw new Malformed();
                }
                value = value << 4 | digit;
            }
            return (char) value;
        }

        /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?} */
        Object readNumber() {
            int start = at;
            if (peek() == '-') {
                at++;
            }
            if (peek() == '0' && !atEnd()) {
                at++;
            } else if (isDigit(peek())) {
                digits();
            } else {
                throw new Malformed();
            }
            boolean integral = true;
            if (peek() == '.' && !atEnd()) {
                integral = false;
                at++;
                if (!isDigit(peek())) {
                    throw new Malformed();
                }
                digits();
            }
            if ((peek() == 'e' || peek() == 'E') && !atEnd()) {
                integral = false;
                at++;
                if ((peek() == '+' || peek() == '-') && !atEnd()) {
                    at++;
                }
                if (!isDigit(peek())) {
                    throw new Malformed();
                }
                digits();
            }
            String literal = text.substring(start, at);
            if (integral) {
                try {
                    return Long.parseLong(literal);
                } catch (NumberFormatException outOfRange) {
                    // a double below
                }
            }
            return Double.parseDouble(literal);
        }

        private void digits() {
            while (isDigit(peek())) {
                at++;
            }
        }

        private boolean isDigit(char c) {
            return c >= '0' && c <= '9' && !atEnd();
        }
    }

    /** The text breaks the grammar or a rule above; never leaves this class. */
    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed() {
            super(null, null, false, false);
        }
    }
}
