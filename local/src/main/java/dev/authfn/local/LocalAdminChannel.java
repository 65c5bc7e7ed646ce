package dev.authfn.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.authfn.auth.Components;
import dev.authfn.core.json.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the admin CLI reaches a {@code start-api} that keeps its data in memory: the in-memory
 * stores live in that process, so {@code ./authfn users …}, {@code ./authfn sessions …} and
 * {@code ./authfn clients …} send their arguments here and this process runs the same command
 * against its own root, returning what it printed and its exit status ({@link #forward} is the
 * CLI's side). A confidential client's new secret comes back the same way, in the answer to the
 * one request, and is kept nowhere on the way.
 *
 * <p>It listens on 127.0.0.1 only, on a port of its own, and answers only a request bearing the
 * token it made at start (256 random bits), which only the owner-readable state file
 * ({@code .authfn/local-api.json}) holds. It runs the admin commands alone ({@code users},
 * {@code sessions}, {@code clients}), one at a time. A password travels in the request body (as
 * {@code --password-stdin} input), never in the arguments.
 */
final class LocalAdminChannel implements AutoCloseable {

    static final Set<String> COMMANDS = Set.of("users", "sessions", "clients");
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private final HttpServer server;
    private final String token;
    private final Components root;
    private final Map<String, String> environment;

    private LocalAdminChannel(HttpServer server, String token, Components root, Map<String, String> environment) {
        this.server = server;
        this.token = token;
        this.root = root;
        this.environment = environment;
    }

    /** Starts the channel for commands acting on {@code root}. */
    static LocalAdminChannel start(Components root, Map<String, String> environment, SecureRandom random)
            throws IOException {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        LocalAdminChannel channel = new LocalAdminChannel(server, token, root, environment);
        server.createContext("/admin", channel::handle);
        server.start();
        return channel;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/admin");
    }

    String token() {
        return token;
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, Map.of("error", "POST only"));
                return;
            }
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                answer(exchange, 401, Map.of("error", "wrong or missing token"));
                return;
            }
            Optional<Request> request = Request.parse(readAtMost(exchange.getRequestBody()));
            if (request.isEmpty() || !COMMANDS.contains(request.get().args().get(0))) {
                answer(exchange, 400, Map.of("error", "expected {\"args\":[\"users\"|\"sessions\"|\"clients\", …], \"stdin\":\"…\"}"));
                return;
            }
            answer(exchange, 200, run(request.get()));
        }
    }

    private boolean authorized(String header) {
        String expected = "Bearer " + token;
        return header != null && MessageDigest.isEqual(
                header.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, Object> run(Request request) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Terminal terminal = new Terminal(new ByteArrayInputStream(request.stdin().getBytes(StandardCharsets.UTF_8)),
                    outStream, errStream, environment, Optional.of(root));
            status = Main.run(request.args().toArray(String[]::new), terminal);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", status);
        result.put("out", out.toString(StandardCharsets.UTF_8));
        result.put("err", err.toString(StandardCharsets.UTF_8));
        return result;
    }

    private static void answer(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String readAtMost(InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(MAX_REQUEST_BYTES + 1);
        return bytes.length > MAX_REQUEST_BYTES ? "" : new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /**
     * The CLI's side: when {@code args} is an admin command with no target of its own (no
     * {@code --dynamodb-endpoint}, {@code --users-table}, {@code --sessions-table}, nor their
     * variables) and the running {@code start-api} keeps its data in memory, runs it there and
     * returns its exit status, having printed what it printed. A password the command would prompt
     * for is asked for here, on this terminal, and sent as {@code --password-stdin} input.
     */
    static Optional<Integer> forward(String[] args, Terminal terminal, Path stateFile) {
        if (args.length == 0 || !COMMANDS.contains(args[0]) || terminal.localRoot().isPresent()
                || namesATarget(args, terminal.environment()) || List.of(args).contains("--help")
                || List.of(args).contains("-h")) {
            return Optional.empty();
        }
        Map<String, String> state = new LocalState(stateFile).read().orElse(Map.of());
        if (!"memory".equals(state.get("store")) || state.get("admin_url") == null || state.get("admin_token") == null) {
            return Optional.empty();
        }
        List<String> forwarded = new ArrayList<>(List.of(args));
        String stdin = "";
        if (args[0].equals("users") && args.length > 1 && (args[1].equals("add") || args[1].equals("passwd"))) {
            if (forwarded.contains("--password-stdin")) {
                stdin = Passwords.readRaw(terminal.in());
            } else {
                stdin = Passwords.read(false, terminal.in(), args.length > 2 ? "Password for " + args[2] : "Password");
                forwarded.add("--password-stdin");
            }
        }
        return Optional.of(send(new Request(forwarded, stdin), URI.create(state.get("admin_url")), state.get("admin_token"),
                terminal));
    }

    private static boolean namesATarget(String[] args, Map<String, String> environment) {
        boolean inArgs = List.of(args).stream().anyMatch(arg -> arg.startsWith("--dynamodb-endpoint")
                || arg.startsWith("--users-table") || arg.startsWith("--sessions-table"));
        boolean inEnvironment = List.of("AUTHFN_DYNAMODB_ENDPOINT", "AUTHFN_USERS_TABLE", "AUTHFN_SESSIONS_TABLE").stream()
                .map(environment::get).anyMatch(value -> value != null && !value.isBlank());
        return inArgs || inEnvironment;
    }

    private static int send(Request request, URI uri, String token, Terminal terminal) {
        HttpRequest http = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request.toJson())).build();
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = client.send(http, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CommandFailedException("the local API's admin channel at " + uri + " did not answer ("
                    + e.getClass().getSimpleName() + "). Is ./authfn start-api still running?");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted while waiting for the local API");
        }
        Map<String, Object> result = Json.parseObject(response.body()).orElse(Map.of());
        if (response.statusCode() != 200 || !(result.get("status") instanceof Number status)) {
            throw new CommandFailedException("the local API's admin channel refused the command (HTTP "
                    + response.statusCode() + ": " + result.getOrDefault("error", "no reason") + ")");
        }
        terminal.out().print(result.getOrDefault("out", ""));
        terminal.err().print(result.getOrDefault("err", ""));
        return status.intValue();
    }

    /** What the CLI sends: the command's arguments and what it reads from standard input. */
    record Request(List<String> args, String stdin) {

        static Optional<Request> parse(String json) {
            Map<String, Object> object = Json.parseObject(json).orElse(null);
            if (object == null || !(object.get("args") instanceof List<?> args) || args.isEmpty()
                    || !args.stream().allMatch(String.class::isInstance)
                    || !(object.getOrDefault("stdin", "") instanceof String stdin)) {
                return Optional.empty();
            }
            return Optional.of(new Request(args.stream().map(String.class::cast).toList(), stdin));
        }

        String toJson() {
            return Json.write(Map.of("args", args, "stdin", stdin));
        }
    }
}
