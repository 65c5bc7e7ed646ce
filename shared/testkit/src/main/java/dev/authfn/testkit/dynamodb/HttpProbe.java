package dev.authfn.testkit.dynamodb;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Plain HTTP requests to an emulator's own API (readiness, identity, LocalStack's TTL trigger). */
public final class HttpProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private HttpProbe() {}

    /** The status of {@code GET uri}, or empty when nothing answers. */
    public static Optional<Integer> status(URI uri) throws InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build());
    }

    /** The status of {@code DELETE uri}, or empty when nothing answers. */
    public static Optional<Integer> delete(URI uri) throws InterruptedException {
        return send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).DELETE().build());
    }

    private static Optional<Integer> send(HttpRequest request) throws InterruptedException {
        try {
            return Optional.of(CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
