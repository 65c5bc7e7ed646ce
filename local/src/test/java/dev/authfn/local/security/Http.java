package dev.authfn.local.security;

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
 * A plain HTTP/1.1 client for the local API, without a cookie manager: the API's cookies are
 * {@code Secure} and the API is {@code http://127.0.0.1}, so tests read {@code Set-Cookie} and say
 * which cookies each request carries. (Modelled on the end-to-end suite's client.)
 */
final class Http {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient client;

    Http(URI base) {
        this.base = base;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI base() {
        return base;
    }

    Call get(String path) {
        return new Call("GET", path);
    }

    Call post(String path) {
        return new Call("POST", path);
    }

    Call delete(String path) {
        return new Call("DELETE", path);
    }

    /** One request being put together. */
    final class Call {

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

        Call header(String name, String value) {
            builder.header(name, value);
            return this;
        }

        Call cookie(String name, String value) {
            cookies.add(name + "=" + value);
            return this;
        }

        Call bearer(String accessToken) {
            return header("Authorization", "Bearer " + accessToken);
        }

        Call basic(String username, String password) {
            return header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }

        Call csrf(String token) {
            return header("X-CSRF-Token", token);
        }

        Call json(Map<String, ?> value) {
            return body("application/json", JSONObjectUtils.toJSONString(Map.copyOf(value)).getBytes(StandardCharsets.UTF_8));
        }

        Call body(String contentType, byte[] bytes) {
            header("Content-Type", contentType);
            body = bytes;
            return this;
        }

        /**
         * Sends a request the server is expected to drop without answering (e.g. a header over the
         * HTTP server's limit); returns the client's I/O failure, or fails the test if a response came.
         */
        IOException sendExpectingNoResponse() {
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

        Response send() {
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
    record Response(String request, int status, HttpHeaders headers, String body, Duration elapsed) {

        /** The header's only value, or empty when absent; two values fail the test. */
        Optional<String> header(String name) {
            List<String> values = headers.allValues(name);
            if (values.size() > 1) {
                throw new AssertionError(request + ": header " + name + " appears " + values.size() + " times");
            }
            return values.stream().findFirst();
        }

        /** Every header but {@code Date}, names lower-cased, for comparing two responses. */
        Map<String, List<String>> headersWithoutDate() {
            Map<String, List<String>> copy = new TreeMap<>();
            headers.map().forEach((name, values) -> {
                if (!name.equalsIgnoreCase("date")) {
                    copy.put(name.toLowerCase(Locale.ROOT), values);
                }
            });
            return copy;
        }

        List<String> setCookieHeaders() {
            return headers.allValues("set-cookie");
        }

        /** The value of the one {@code Set-Cookie} for {@code name}. */
        String setCookieValue(String name) {
            List<String> named = setCookieHeaders().stream().filter(c -> c.startsWith(name + "=")).toList();
            if (named.size() != 1) {
                throw new AssertionError(request + ": expected one Set-Cookie " + name + ", got " + named);
            }
            String header = named.get(0);
            int end = header.indexOf(';');
            return header.substring(name.length() + 1, end < 0 ? header.length() : end);
        }

        Map<String, Object> json() {
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
}
