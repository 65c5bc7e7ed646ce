package dev.authfn.local.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A fixed set of files the local API serves at exact paths for {@code GET} (and {@code HEAD})
 * when no template route matches: the demo page. Read from the classpath once, when built; never
 * from the file system, so no request can name a file.
 *
 * <p>Every file is sent with {@code Cache-Control: no-store}, {@code X-Content-Type-Options:
 * nosniff}, {@code Referrer-Policy: no-referrer} and a {@code Content-Security-Policy} that allows
 * scripts, styles and requests from the page's own origin only (no inline script) and no framing.
 */
public final class StaticFiles {

    /** What the demo page's files may load and do. */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none';"
            + " frame-ancestors 'none'";

    private static final String DEMO = "/dev/authfn/local/demo/";

    private final Map<String, Response> files;

    private StaticFiles(Map<String, Response> files) {
        this.files = Map.copyOf(files);
    }

    /** Serves nothing. */
    public static StaticFiles none() {
        return new StaticFiles(Map.of());
    }

    /**
     * The demo page: {@code /} (log in, sign up, verify, forgot, reset and change password, and
     * buttons for the API's routes), {@code /app.js}, {@code /app.css}.
     *
     * @throws IllegalStateException when a file is missing from the classpath (a broken build)
     */
    public static StaticFiles demoPage() {
        Map<String, Response> files = new LinkedHashMap<>();
        files.put("/", load(DEMO + "index.html", "text/html; charset=utf-8"));
        files.put("/app.js", load(DEMO + "app.js", "text/javascript; charset=utf-8"));
        files.put("/app.css", load(DEMO + "app.css", "text/css; charset=utf-8"));
        return new StaticFiles(files);
    }

    /** The file for a request, if this method and path name one. */
    Optional<Response> lookup(String method, String path) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Optional.empty();
        }
        return Optional.ofNullable(files.get(path));
    }

    /**
     * The demo page's one generated answer, {@code POST /demo/qr}: the body (an {@code otpauth://}
     * URI, at most {@link QrSvg#MAX_TEXT_BYTES}) drawn as an SVG QR code; 400 for a body it cannot
     * draw. Empty when this method and path are not that route or no demo page is served.
     */
    Optional<Response> generated(String method, String path, byte[] body) {
        if (files.isEmpty() || !method.equals("POST") || !path.equals(QR_PATH)) {
            return Optional.empty();
        }
        return Optional.of(QrSvg.render(body)
                .map(svg -> new Response(200, withType("image/svg+xml; charset=utf-8"),
                        svg.getBytes(StandardCharsets.UTF_8)))
                .orElseGet(() -> new Response(400, withType("text/plain; charset=utf-8"),
                        ("post an otpauth URI of at most " + QrSvg.MAX_TEXT_BYTES + " bytes\n")
                                .getBytes(StandardCharsets.UTF_8))));
    }

    /** Where the demo page posts a TOTP URI to draw. */
    static final String QR_PATH = "/demo/qr";

    /** Status, headers and body of an answer (200 for every file). */
    record Response(int status, List<Map.Entry<String, String>> headers, byte[] body) {
    }

    /** The headers every answer of this class carries, with its content type. */
    private static List<Map.Entry<String, String>> withType(String contentType) {
        return List.of(
                Map.entry("Content-Type", contentType),
                Map.entry("Cache-Control", "no-store"),
                Map.entry("Content-Security-Policy", CONTENT_SECURITY_POLICY),
                Map.entry("X-Content-Type-Options", "nosniff"),
                Map.entry("Referrer-Policy", "no-referrer"));
    }

    /** A classpath resource and the headers it is always sent with, built once. */
    private static Response load(String resource, String contentType) {
        try (InputStream in = StaticFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is not on the classpath");
            }
            return new Response(200, withType(contentType), in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + resource, e);
        }
    }
}
