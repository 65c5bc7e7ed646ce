package dev.authfn.local.testing;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The plain HTTP/1.1 client the end-to-end and security suites drive the local API with. No
 * cookie manager: the API's cookies are {@code Secure} and the API is {@code http://127.0.0.1}, so
 * a client that follows the rules would drop them. Tests read {@code Set-Cookie} themselves
 * ({@link SetCookie}) and say which cookies each request carries ({@link Call#cookie}).
 */
public final class Http {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient client;

    public Http(URI base) {
        this.base = base;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public URI base() {
        return base;
    }

    public Call get(String path) {
        return new Call("GET", path);
    }

    public Call post(String path) {
        return new Call("POST", path);
    }

    public Call delete(String path) {
        return new Call("DELETE", path);
    }

    public Call options(String path) {
        return new Call("OPTIONS", path);
    }

    /** One request being put together. */
    public final class Call {

        private final String method;
        private final String path;
        private final HttpRequest.Builder builder;
        private final List<String> cookies = new ArrayList<>();
        private byte[] body;

        private Call(String method, String path) {
            this.method = method;
            this.path = path;
            this.builder = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
        }

        public Call header(String name, String value) {
            builder.header(name, value);
            return this;
        }

        /** Adds {@code name=value} to this request's {@code Cookie} header. */
        public Call cookie(String name, String value) {
            cookies.add(name + "=" + value);
            return this;
        }

        public Call bearer(String accessToken) {
            return header("Authorization", "Bearer " + accessToken);
        }

        public Call basic(String username, String password) {
            return header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }

        public Call csrf(String token) {
            return header("X-CSRF-Token", token);
        }

        public Call json(Map<String, ?> value) {
            return body("application/json",
                    JSONObjectUtils.toJSONString(Map.copyOf(value)).getBytes(StandardCharsets.UTF_8));
        }

        public Call body(String contentType, byte[] bytes) {
            header("Content-Type", contentType);
            body = bytes;
            return this;
        }

        /** A body as given, for requests that are meant to be malformed; set the content type yourself. */
        public Call body(String text) {
            body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /**
         * Sends a request the server is expected to drop without answering (e.g. a header over the
         * HTTP server's limit); returns the client's I/O failure, or fails the test if a response came.
         */
        public IOException sendExpectingNoResponse() {
            try {
                Response response = send();
                throw new AssertionError("expected the connection to be dropped, got " + response);
            } catch (AssertionError e) {
                if (e.getCause() instanceof IOException io) {
                    return io;
                }
                throw e;
            }
        }

        public Response send() {
            if (!cookies.isEmpty()) {
                builder.header("Cookie", String.join("; ", cookies));
            }
            builder.method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
            long started = System.nanoTime();
            try {
                var response = client.send(builder.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
                return new Response(method + " " + path, response.statusCode(), response.headers(), response.body(),
                        Duration.ofNanos(System.nanoTime() - started));
            } catch (IOException e) {
                throw new AssertionError(method + " " + path + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(method + " " + path + " interrupted", e);
            }
        }
    }

    /** What came back, and how long it took. */
    public record Response(String request, int status, HttpHeaders headers, String body, Duration elapsed) {

        /** The header's only value, or empty when absent; two values fail the test. */
        public Optional<String> header(String name) {
            List<String> values = headers.allValues(name);
            if (values.size() > 1) {
                throw new AssertionError(request + ": header " + name + " appears " + values.size() + " times");
            }
            return values.stream().findFirst();
        }

        /** Every header but {@code Date}, names lower-cased, for comparing two responses. */
        public Map<String, List<String>> headersWithoutDate() {
            Map<String, List<String>> copy = new TreeMap<>();
            headers.map().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("date")) {
                    copy.put(name.toLowerCase(Locale.ROOT), values);
                }
            });
            return copy;
        }

        public List<String> setCookieHeaders() {
            return headers.allValues("set-cookie");
        }

        public List<SetCookie> setCookies() {
            return setCookieHeaders().stream().map(SetCookie::parse).toList();
        }

        /** The {@code Set-Cookie} for {@code name}; exactly one must be there. */
        public SetCookie setCookie(String name) {
            List<SetCookie> named = setCookies().stream().filter(c -> c.name().equals(name)).toList();
            if (named.size() != 1) {
                throw new AssertionError(request + ": expected one Set-Cookie " + name + ", got " + named.size());
            }
            return named.get(0);
        }

        /** The value of the one {@code Set-Cookie} for {@code name}. */
        public String setCookieValue(String name) {
            return setCookie(name).value();
        }

        public Map<String, Object> json() {
            try {
                return JSONObjectUtils.parse(body);
            } catch (ParseException e) {
                throw new AssertionError(request + ": body is not a JSON object: " + body, e);
            }
        }

        @Override
        public String toString() {
            return request + " -> " + status + " " + body;
        }
    }

    /**
     * One {@code Set-Cookie} header: {@code name=value} and its attributes in the order sent,
     * e.g. {@code [Max-Age=0, Path=/, Secure, HttpOnly, SameSite=Lax]}.
     */
    public record SetCookie(String name, String value, List<String> attributes) {

        public static SetCookie parse(String header) {
            String[] parts = header.split(";");
            int equals = parts[0].indexOf('=');
            if (equals <= 0) {
                throw new AssertionError("Set-Cookie without name=value: " + header);
            }
            List<String> attributes = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) {
                attributes.add(parts[i].strip());
            }
            return new SetCookie(parts[0].substring(0, equals).strip(), parts[0].substring(equals + 1).strip(),
                    List.copyOf(attributes));
        }
    }
}
