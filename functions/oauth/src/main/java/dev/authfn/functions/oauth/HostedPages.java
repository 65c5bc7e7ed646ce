package dev.authfn.functions.oauth;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.authfn.lambda.HttpResponses;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pages the authorization endpoint answers with (docs/API.md §18.2, §18.3): the hosted login
 * page and the error page. Each is one HTML document whose style (and, on the login page, script)
 * is inline and allowed by its SHA-256 hash alone, so the pages need no other origin and run no
 * other script: the policy is made once, at class initialisation, from the very text served. The
 * resources are {@code login.html}, {@code login.css}, {@code login.js} and {@code error.html}
 * beside this class.
 */
final class HostedPages {

    static final String STYLE = resource("login.css");
    static final String SCRIPT = resource("login.js");

    /** The one policy of both pages; the error page has no script, and allowing the login's changes nothing there. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'sha256-" + sha256(SCRIPT)
            + "'; style-src 'sha256-" + sha256(STYLE) + "'; connect-src 'self'; img-src 'self'; form-action 'none';"
            + " frame-ancestors 'none'; base-uri 'none'";

    /** What every answer of the authorization endpoint carries besides {@code no-store} and {@code nosniff}. */
    static final Map<String, String> HEADERS = headers();

    static final String LOGIN = resource("login.html").replace("{{style}}", STYLE).replace("{{script}}", SCRIPT);

    private static final String ERROR = resource("error.html").replace("{{style}}", STYLE);

    private HostedPages() {
    }

    /** 200, the login page. */
    static APIGatewayV2HTTPResponse login() {
        return secured(HttpResponses.html(200, LOGIN));
    }

    /** An error page: {@code title} and {@code message} are escaped, so neither can add markup. */
    static APIGatewayV2HTTPResponse error(int status, String title, String message) {
        return secured(HttpResponses.html(status, ERROR.replace("{{title}}", escape(title))
                .replace("{{message}}", escape(message))));
    }

    /** A 302 to {@code location} with the pages' headers. */
    static APIGatewayV2HTTPResponse redirect(String location) {
        return secured(HttpResponses.redirect(location));
    }

    /** HTML-escaped for text and attribute values: {@code & < > " '}. */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** base64(SHA-256(UTF-8 text)), as a CSP hash source writes it. */
    static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        return Collections.unmodifiableMap(headers);
    }

    private static APIGatewayV2HTTPResponse secured(APIGatewayV2HTTPResponse response) {
        response.getHeaders().putAll(HEADERS);
        return response;
    }

    private static String resource(String name) {
        try (InputStream in = HostedPages.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing beside " + HostedPages.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(name, e);
        }
    }
}
