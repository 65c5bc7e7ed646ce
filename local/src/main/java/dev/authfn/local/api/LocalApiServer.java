package dev.authfn.local.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2CustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SimpleIAMPolicyResponse;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.authfn.local.runtime.HandlerLoadException;
import dev.authfn.local.runtime.HostedFunction;
import dev.authfn.local.runtime.InvocationException;
import dev.authfn.local.template.AuthorizerSpec;
import dev.authfn.local.template.RouteSpec;
import dev.authfn.local.template.SamTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP API on 127.0.0.1, in-process: the JDK's HTTP server, a pool of worker threads, and for
 * each request what API Gateway does — route, run the Lambda authorizer for guarded routes, build
 * the payload format 2.0 event, call the function, map its response back.
 *
 * <p>Answers as API Gateway does: {@code 400 {"message":"Bad Request"}} for a malformed request
 * line or header, before the JDK's server could answer it with an HTML page ({@link RequestGate}),
 * {@code 404 {"message":"Not Found"}} for no route, {@code 413} for
 * bodies over 10 MB, {@code 401} when a configured identity source is missing (the authorizer is not
 * called), {@code 403 {"message":"Forbidden"}} when the authorizer says no, {@code 500
 * {"message":"Internal Server Error"}} when the authorizer or function throws or answers with
 * something malformed. The cause goes to the log; the client never sees it.
 *
 * <p>Files given as {@link StaticFiles} (the demo page) are served for {@code GET} at their exact
 * paths when no template route matches, so a route of the template always wins.
 *
 * <p>Logs one line per request (method, path as sent without the query, status, milliseconds)
 * and never a header, cookie, query string or body.
 */
public final class LocalApiServer implements AutoCloseable {

    /** API Gateway's payload limit for HTTP APIs. */
    public static final int MAX_BODY_BYTES = 10 * 1024 * 1024;

    private static final int WORKER_THREADS = 32;

    private final RequestGate gate;
    private final HttpServer server;
    private final ExecutorService workers;
    private final PrintStream log;
    private final boolean stackTraces;
    private RouteTable routes;
    private Map<String, AuthorizerSpec> authorizers;
    private Map<String, HostedFunction> functions;
    private EventFactory events;
    private StaticFiles staticFiles;

    private LocalApiServer(RequestGate gate, HttpServer server, PrintStream log, boolean stackTraces) {
        this.gate = gate;
        this.server = server;
        this.log = log;
        this.stackTraces = stackTraces;
        this.workers = Executors.newFixedThreadPool(WORKER_THREADS, task -> {
            Thread thread = new Thread(task, "authfn-local-worker");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Binds 127.0.0.1:{@code port} ({@code 0}: a free port, see {@link #port()}) without serving yet,
     * so the caller knows the address before it builds the functions' environment. The port is the
     * {@link RequestGate}'s; the JDK's server behind it listens on a free loopback port of its own.
     *
     * @param log         where access lines and failures go (stderr in the CLI)
     * @param stackTraces whether a failing handler's stack trace is logged too
     */
    public static LocalApiServer bind(int port, PrintStream log, boolean stackTraces) throws IOException {
        RequestGate gate = RequestGate.bind(port, 64, log);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            return new LocalApiServer(gate, server, log, stackTraces);
        } catch (IOException | RuntimeException e) {
            gate.close();
            throw e;
        }
    }

    /** The bound port. */
    public int port() {
        return gate.port();
    }

    /** {@code http://127.0.0.1:<port>}. */
    public URI baseUri() {
        return URI.create("http://" + gate.address().getHostAddress() + ":" + port());
    }

    /**
     * Starts serving the template's routes with these functions (by logical id), and {@code files}
     * where no route matches.
     *
     * @throws HandlerLoadException when a route's or authorizer's function is not among
     *                              {@code functions} or does not take the event it would be sent
     */
    public void start(SamTemplate template, Map<String, HostedFunction> functions, EventFactory events,
            StaticFiles files) {
        for (RouteSpec route : template.routes()) {
            requireFunction(functions, route.functionId(), APIGatewayV2HTTPEvent.class, "route " + route.routeKey());
            route.authorizer().map(template.authorizers()::get).ifPresent(authorizer -> requireFunction(functions,
                    authorizer.functionId(), APIGatewayV2CustomAuthorizerEvent.class, "authorizer " + authorizer.name()));
        }
        this.routes = new RouteTable(template.routes());
        this.authorizers = Map.copyOf(template.authorizers());
        this.functions = Map.copyOf(functions);
        this.events = events;
        this.staticFiles = files;
        server.createContext("/", this::handle);
        server.setExecutor(workers);
        server.start();
        gate.start(server.getAddress());
    }

    private volatile java.util.function.Consumer<String> afterInvocation = functionId -> { };

    /**
     * Called with a route function's logical id after each of its invocations (what it answered
     * does not matter): the local API's mail driver delivers what the account function queued.
     */
    public void afterInvocation(java.util.function.Consumer<String> listener) {
        this.afterInvocation = java.util.Objects.requireNonNull(listener, "listener");
    }

    /** Stops accepting requests and ends the workers. */
    @Override
    public void close() {
        gate.close();
        server.stop(0);
        workers.shutdownNow();
    }

    private static void requireFunction(Map<String, HostedFunction> functions, String id, Class<?> eventClass,
            String what) {
        HostedFunction function = functions.get(id);
        if (function == null) {
            throw new HandlerLoadException(what + ": function " + id + " is not hosted");
        }
        if (!function.accepts(eventClass)) {
            throw new HandlerLoadException(what + ": " + id + "'s handler takes " + function.inputType().getTypeName()
                    + ", but API Gateway sends it " + eventClass.getName());
        }
    }

    private void handle(HttpExchange exchange) {
        long started = System.nanoTime();
        String method = exchange.getRequestMethod();
        String loggedPath = exchange.getRequestURI().getRawPath();
        int status = 0;
        try (exchange) {
            status = send(exchange, serve(exchange, method, exchange.getRequestURI().getPath()));
        } catch (IOException | RuntimeException e) {
            log.println("authfn-local: " + method + " " + loggedPath + " failed: " + e);
        }
        log.printf("%s %s %d %dms%n", method, loggedPath, status, (System.nanoTime() - started) / 1_000_000);
    }

    private Reply serve(HttpExchange exchange, String method, String path) throws IOException {
        byte[] body = readBody(exchange);
        if (body == null) {
            return Reply.message(413, "Request Entity Too Large");
        }
        Optional<RouteMatch> match = routes.match(method, path);
        if (match.isEmpty()) {
            return staticFiles.generated(method, path, body).or(() -> staticFiles.lookup(method, path))
                    .map(file -> new Reply(file.status(), file.headers(), file.body()))
                    .orElseGet(() -> Reply.message(404, "Not Found"));
        }
        RouteSpec route = match.get().route();
        IncomingRequest incoming = new IncomingRequest(method, path, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders(), body, exchange.getRemoteAddress().getAddress().getHostAddress(), port());
        EventFactory.Request request = events.request(incoming, match.get());
        Map<String, String> authorizerContext = null;
        if (route.authorizer().isPresent()) {
            Decision decision = authorize(authorizers.get(route.authorizer().get()), request);
            if (decision instanceof Decision.Refuse refuse) {
                return refuse.reply();
            }
            authorizerContext = ((Decision.Allow) decision).context();
        }
        Object result;
        try {
            result = functions.get(route.functionId()).invoke(request.httpEvent(authorizerContext));
        } catch (InvocationException e) {
            return failure(e.getMessage(), e.getCause());
        } finally {
            afterInvocation.accept(route.functionId());
        }
        return toReply(route.functionId(), result);
    }

    /** What the authorizer decided: allow with its context, or the reply API Gateway gives instead. */
    private sealed interface Decision {
        record Allow(Map<String, String> context) implements Decision {
        }

        record Refuse(Reply reply) implements Decision {
        }
    }

    private Decision authorize(AuthorizerSpec authorizer, EventFactory.Request request) {
        List<String> identity = new ArrayList<>();
        for (String source : authorizer.identitySources()) {
            Optional<String> value = request.identityValue(source);
            if (value.isEmpty()) {
                return new Decision.Refuse(Reply.message(401, "Unauthorized"));
            }
            identity.add(value.get());
        }
        Object result;
        try {
            result = functions.get(authorizer.functionId()).invoke(request.authorizerEvent(identity));
        } catch (InvocationException e) {
            return new Decision.Refuse(failure("authorizer " + e.getMessage(), e.getCause()));
        }
        if (!(result instanceof SimpleIAMPolicyResponse response)) {
            return new Decision.Refuse(failure("authorizer " + authorizer.functionId() + " returned "
                    + describe(result) + ", not a SimpleIAMPolicyResponse", null));
        }
        if (!response.getIsAuthorized()) {
            return new Decision.Refuse(Reply.message(403, "Forbidden"));
        }
        return new Decision.Allow(response.getContext() == null ? Map.of() : response.getContext());
    }

    private Reply toReply(String functionId, Object result) {
        if (!(result instanceof APIGatewayV2HTTPResponse response)) {
            return failure(functionId + " returned " + describe(result) + ", not an APIGatewayV2HTTPResponse", null);
        }
        if (response.getStatusCode() < 100 || response.getStatusCode() > 599) {
            return failure(functionId + " returned status code " + response.getStatusCode(), null);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> headers.add(Map.entry(name, value)));
        }
        if (response.getMultiValueHeaders() != null) {
            response.getMultiValueHeaders().forEach((name, values) -> values.forEach(v -> headers.add(Map.entry(name, v))));
        }
        if (response.getCookies() != null) {
            response.getCookies().forEach(cookie -> headers.add(Map.entry("Set-Cookie", cookie)));
        }
        String body = response.getBody() == null ? "" : response.getBody();
        byte[] bytes;
        try {
            bytes = response.getIsBase64Encoded() ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return failure(functionId + " returned isBase64Encoded with a body that is not base64", null);
        }
        return new Reply(response.getStatusCode(), headers, bytes);
    }

    private Reply failure(String what, Throwable cause) {
        log.println("authfn-local: " + what);
        if (stackTraces && cause != null) {
            cause.printStackTrace(log);
        }
        return Reply.message(500, "Internal Server Error");
    }

    private static String describe(Object result) {
        return result == null ? "null" : "a " + result.getClass().getName();
    }

    /** The body, or {@code null} when it is over {@link #MAX_BODY_BYTES} (the rest is read and dropped). */
    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                in.transferTo(OutputStream.nullOutputStream());
                return null;
            }
            return body;
        }
    }

    private int send(HttpExchange exchange, Reply reply) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        try {
            reply.headers().forEach(header -> headers.add(header.getKey(), header.getValue()));
        } catch (IllegalArgumentException e) {
            headers.clear();
            return send(exchange, failure("a response header is not valid HTTP: " + e.getMessage(), null));
        }
        int status = reply.status();
        boolean bodyless = reply.body().length == 0 || status == 204 || status == 304
                || exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, bodyless ? -1 : reply.body().length);
        if (!bodyless) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
        return status;
    }

    private record Reply(int status, List<Map.Entry<String, String>> headers, byte[] body) {

        static Reply message(int status, String message) {
            String json = "{\"message\":\"" + message + "\"}";
            return new Reply(status, List.of(Map.entry("Content-Type", "application/json")),
                    json.getBytes(StandardCharsets.UTF_8));
        }
    }
}
