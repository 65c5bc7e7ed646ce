package dev.authfn.local.browser;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Chrome DevTools protocol connection over the JDK's WebSocket client: commands with their
 * answers, and every event kept in arrival order. Sessions of attached targets share it
 * ({@code flatten} mode): a command for a page names the page's {@code sessionId}.
 */
public final class DevTools implements AutoCloseable {

    /** A protocol event, as sent. */
    public record Event(String sessionId, String method, Map<String, Object> params) {
    }

    /** The browser answered a command with an error. */
    public static final class CommandFailed extends RuntimeException {
        CommandFailed(String method, Object error) {
            super(method + " failed: " + error);
        }
    }

    private final WebSocket socket;
    private final Duration commandTimeout;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final List<Event> events = new ArrayList<>();

    private DevTools(WebSocket.Builder builder, URI endpoint, Duration commandTimeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        this.commandTimeout = commandTimeout;
        this.socket = builder.buildAsync(endpoint, new Listener()).get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Connects to a DevTools WebSocket URL ({@code ws://127.0.0.1:<port>/devtools/browser/<id>}). */
    public static DevTools connect(URI endpoint, Duration commandTimeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(commandTimeout).build();
        return new DevTools(client.newWebSocketBuilder().connectTimeout(commandTimeout), endpoint, commandTimeout);
    }

    /** Sends a browser-level command and waits for its result. */
    public Map<String, Object> send(String method, Map<String, Object> params) {
        return send(null, method, params);
    }

    /**
     * Sends a command to a session ({@code null}: the browser) and waits for its result.
     *
     * @throws CommandFailed when the browser answers with an error
     * @throws IllegalStateException when no answer comes within the command timeout
     */
    public Map<String, Object> send(String sessionId, String method, Map<String, Object> params) {
        long id = ids.incrementAndGet();
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("id", id);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        message.put("method", method);
        message.put("params", params);
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            synchronized (socket) {
                // One text message at a time: the WebSocket refuses a send while another is under way.
                socket.sendText(JSONObjectUtils.toJSONString(message), true)
                        .get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            Map<String, Object> reply = answer.get(commandTimeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.containsKey("error")) {
                throw new CommandFailed(method, reply.get("error"));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) reply.getOrDefault("result", Map.of());
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + method, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(method + ": the DevTools connection failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(method + ": no answer from the browser within " + commandTimeout, e);
        } finally {
            pending.remove(id);
        }
    }

    /** Every event received so far, oldest first. */
    public List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    @Override
    public void close() {
        socket.abort();
    }

    private void receive(String text) {
        Map<String, Object> message;
        try {
            message = JSONObjectUtils.parse(text);
        } catch (ParseException e) {
            pending.values().forEach(answer -> answer.completeExceptionally(
                    new IllegalStateException("the browser sent a message that is not JSON", e)));
            return;
        }
        if (message.get("id") instanceof Number id) {
            CompletableFuture<Map<String, Object>> answer = pending.get(id.longValue());
            if (answer != null) {
                answer.complete(message);
            }
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) message.getOrDefault("params", Map.of());
        synchronized (events) {
            events.add(new Event((String) message.get("sessionId"), (String) message.get("method"), params));
        }
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                receive(text);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            failPending(new IllegalStateException("the browser closed the DevTools connection (" + statusCode + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            failPending(new IllegalStateException("the DevTools connection failed", error));
        }

        private void failPending(Throwable cause) {
            pending.values().forEach(answer -> answer.completeExceptionally(cause));
        }
    }
}
