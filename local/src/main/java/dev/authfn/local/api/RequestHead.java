package dev.authfn.local.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A request's head (request line and headers) read from the client, checked before the JDK's
 * HTTP server sees it. The JDK answers some malformed requests itself, before any handler or
 * filter runs, with an HTML page naming a Java exception ({@code URISyntaxException thrown},
 * {@code NumberFormatException thrown}). {@link #read} refuses every request the JDK would refuse
 * that way, and more: only a strict subset of HTTP/1.1 passes (CRLF line ends, no folded header
 * lines, token header names), in which the JDK reads the same headers and the same body framing
 * as this class does.
 */
record RequestHead(byte[] bytes, Framing framing) {

    /** The JDK's default {@code sun.net.httpserver.maxReqHeaderSize}: beyond it, it drops the connection too. */
    static final int MAX_HEAD_BYTES = 380 * 1024;

    private static final Pattern VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    /** How the body that follows the head ends. */
    sealed interface Framing {
        record Length(long bytes) implements Framing {
        }

        record Chunked() implements Framing {
        }
    }

    /** What {@link #read} found. */
    sealed interface Read {
    }

    record Head(RequestHead head) implements Read {
    }

    /** Not a request the local API serves; {@code reason} is ours, for the log, and holds no request data. */
    record Malformed(String reason) implements Read {
    }

    /** Over {@link #MAX_HEAD_BYTES}: the connection is dropped, as the JDK's server does. */
    record TooLarge() implements Read {
    }

    /** The client closed the connection (before or within a head). */
    record End() implements Read {
    }

    /** Reads one head, skipping empty lines before the request line as RFC 9112 §2.2 allows. */
    static Read read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        int b;
        while ((b = in.read()) >= 0) {
            if (head.size() == 0 && (b == '\r' || b == '\n') && skipsEmptyLine(in, b)) {
                continue;
            }
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a) {
                return parse(head.toByteArray());
            }
            if (head.size() > MAX_HEAD_BYTES) {
                return new TooLarge();
            }
        }
        return new End();
    }

    /** True for the CRLF of an empty line; anything else (a bare CR or LF) is kept for parse to refuse. */
    private static boolean skipsEmptyLine(InputStream in, int first) throws IOException {
        if (first != '\r') {
            return false;
        }
        in.mark(1);
        if (in.read() == '\n') {
            return true;
        }
        in.reset();
        return false;
    }

    static Read parse(byte[] bytes) {
        // ISO-8859-1 maps each byte to one char, as the JDK's server reads heads.
        String text = new String(bytes, 0, bytes.length - 4, StandardCharsets.ISO_8859_1);
        List<String> lines = List.of(text.split("\r\n", -1));
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                return new Malformed("BARE_CR_OR_LF");
            }
        }
        String requestLineProblem = checkRequestLine(lines.getFirst());
        if (requestLineProblem != null) {
            return new Malformed(requestLineProblem);
        }
        List<String> headerLines = lines.subList(1, lines.size());
        String headerProblem = framingProblem(headerLines);
        if (headerProblem != null) {
            return new Malformed(headerProblem);
        }
        return new Head(new RequestHead(bytes, framing(headerLines)));
    }

    /** The problem with {@code METHOD SP request-target SP HTTP-version}, or null. */
    private static String checkRequestLine(String line) {
        int first = line.indexOf(' ');
        int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
        if (second < 0 || !isToken(line.substring(0, first)) || !VERSION.matcher(line.substring(second + 1)).matches()) {
            return "BAD_REQUEST_LINE";
        }
        try {
            // The very parse the JDK's server does; its failure is the JDK's "URISyntaxException thrown" page.
            String path = new URI(line.substring(first + 1, second)).getPath();
            return path != null && path.startsWith("/") ? null : "BAD_TARGET";
        } catch (URISyntaxException e) {
            return "BAD_TARGET";
        }
    }

    /** The body framing of headers that passed {@link #framingProblem}. */
    private static Framing framing(List<String> headerLines) {
        if (!values(headerLines, "transfer-encoding").isEmpty()) {
            return new Framing.Chunked();
        }
        List<String> lengths = values(headerLines, "content-length");
        return new Framing.Length(lengths.isEmpty() ? 0 : Long.parseLong(lengths.getFirst()));
    }

    /**
     * What the JDK would refuse in the headers, and what it would read differently from us: a line
     * that is not {@code token ":" value} (a folded line included), both or several length headers,
     * a transfer coding other than a single {@code chunked}, a length that is not digits.
     */
    private static String framingProblem(List<String> headerLines) {
        for (String line : headerLines) {
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                return "BAD_HEADER_LINE";
            }
        }
        List<String> lengths = values(headerLines, "content-length");
        List<String> codings = values(headerLines, "transfer-encoding");
        if (lengths.size() > 1 || (!lengths.isEmpty() && !codings.isEmpty())) {
            return "CONFLICTING_LENGTH";
        }
        if (codings.size() > 1 || (codings.size() == 1 && !codings.getFirst().equalsIgnoreCase("chunked"))) {
            return "UNSUPPORTED_TRANSFER_ENCODING";
        }
        if (lengths.size() == 1 && !DIGITS.matcher(lengths.getFirst()).matches()) {
            return "BAD_CONTENT_LENGTH";
        }
        return null;
    }

    /** The values of the header, names compared without case, trimmed of spaces and tabs. */
    private static List<String> values(List<String> headerLines, String lowerCaseName) {
        return headerLines.stream()
                .filter(line -> line.indexOf(':') > 0
                        && line.substring(0, line.indexOf(':')).toLowerCase(Locale.ROOT).equals(lowerCaseName))
                .map(line -> line.substring(line.indexOf(':') + 1).strip())
                .toList();
    }

    /** RFC 9110 token: one or more tchar (also what the JDK requires of header names). */
    private static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean tchar = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || TCHAR_SYMBOLS.indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }
}
