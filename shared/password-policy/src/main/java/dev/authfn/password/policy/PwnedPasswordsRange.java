package dev.authfn.password.policy;

import dev.authfn.core.OnFirstUse;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The Have I Been Pwned range API, k-anonymity model: only the first 5 hex characters of the
 * password's SHA-1 leave ({@code GET <base><PREFIX>}, with {@code Add-Padding: true}); the answer
 * lists {@code SUFFIX:COUNT} lines, the padding among them with count 0, and the password is
 * breached when its own 35-character suffix is listed with a count above 0.
 *
 * <p>One deadline bounds the whole exchange, connect to last byte, and the body read is capped at
 * {@link #MAX_BODY_BYTES} (a padded answer is 30–40 KB). The {@link HttpClient} is made on first
 * use, not at init. Nothing of the password, not even the prefix, reaches an exception message.
 */
final class PwnedPasswordsRange {

    /** Far above the 800–1,000 lines (30–40 KB) of a padded answer. */
    static final int MAX_BODY_BYTES = 512 * 1024;
    private static final Pattern LINE = Pattern.compile("[0-9A-Fa-f]{35}:[0-9]{1,10}");

    private final URI base;
    private final Duration timeout;
    private final OnFirstUse<HttpClient> client;

    /** What the range API said of a password. */
    enum Answer { BREACHED, NOT_FOUND }

    /** The range API did not answer usably; the message is a reason code, nothing of the password. */
    static final class UnavailableException extends Exception {
        private static final long serialVersionUID = 1L;

        UnavailableException(String reason) {
            super(reason, null, false, false);
        }
    }

    PwnedPasswordsRange(URI base, Duration timeout) {
        this.base = Objects.requireNonNull(base, "base");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.client = new OnFirstUse<>(() -> HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    /**
     * Looks {@code normalized} (the password in NFKC) up.
     *
     * @throws UnavailableException when the API cannot be reached in time, answers other than 200,
     *     or answers something other than {@code SUFFIX:COUNT} lines; its message is one of
     *     {@code timeout}, {@code unreachable}, {@code http_<status>}, {@code too_large},
     *     {@code malformed}, {@code interrupted}
     */
    Answer lookup(String normalized) throws UnavailableException {
        String hex = sha1Hex(normalized);
        String prefix = hex.substring(0, 5);
        String suffix = hex.substring(5);
        String body = fetch(prefix);
        boolean listed = false;
        for (String line : body.split("\r?\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (!LINE.matcher(line).matches()) {
                throw new UnavailableException("malformed");
            }
            int colon = line.indexOf(':');
            if (line.regionMatches(true, 0, suffix, 0, colon) && Long.parseLong(line.substring(colon + 1)) > 0) {
                listed = true; // keep reading: a malformed line later still makes the answer unusable
            }
        }
        return listed ? Answer.BREACHED : Answer.NOT_FOUND;
    }

    private String fetch(String prefix) throws UnavailableException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(prefix))
                .timeout(timeout)
                .header("Add-Padding", "true")
                .header("User-Agent", "authfn-password-policy")
                .GET()
                .build();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean[] tooLarge = {false};
        HttpResponse.BodyHandler<Void> bounded = HttpResponse.BodyHandlers.ofByteArrayConsumer(chunk -> {
            synchronized (body) {
                if (chunk.isPresent() && !tooLarge[0]) {
                    byte[] bytes = chunk.get();
                    if (body.size() + bytes.length > MAX_BODY_BYTES) {
                        tooLarge[0] = true;
                    } else {
                        body.write(bytes, 0, bytes.length);
                    }
                }
            }
        });
        CompletableFuture<HttpResponse<Void>> exchange = client.get().sendAsync(request, bounded);
        HttpResponse<Void> response;
        try {
            response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new UnavailableException("timeout");
        } catch (ExecutionException e) {
            throw new UnavailableException(e.getCause() instanceof HttpTimeoutException ? "timeout" : "unreachable");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted");
        }
        if (response.statusCode() != 200) {
            throw new UnavailableException("http_" + response.statusCode());
        }
        synchronized (body) {
            if (tooLarge[0]) {
                throw new UnavailableException("too_large");
            }
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    /** Upper-case hex SHA-1 of the UTF-8 bytes, as the range API spells it. */
    static String sha1Hex(String normalized) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(normalized.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
