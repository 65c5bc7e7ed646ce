package dev.authfn.testkit.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of one target (moto, LocalStack) that can be told to
 * misbehave: pass traffic through, add latency beyond the client's timeouts, reset connections,
 * accept and read but never answer (half-open), or answer every HTTP request with an AWS JSON
 * error such as DynamoDB's {@code ThrottlingException}, which no emulator can be made to throw,
 * at once or after a number of requests have passed.
 *
 * <p>A connection meets the fault that was set when it was accepted. {@link #set(Fault)} closes
 * every open connection, so that a client's pooled keep-alive connections cannot carry on under
 * the previous fault. One virtual thread per direction of each connection; nothing here is tuned
 * for load.
 */
public final class FaultProxy implements AutoCloseable {

    /** What the proxy does with a connection. */
    public sealed interface Fault {
        /** Forwards both ways untouched. */
        record Pass() implements Fault {}

        /**
         * Forwards, holding each chunk of the target's answer back for {@code delay}: the request
         * reaches the target (a write lands) but its answer comes too late. The request side is
         * not delayed, so a serialised emulator is never left waiting inside a half-sent request.
         */
        record Latency(Duration delay) implements Fault {
            public Latency {
                Objects.requireNonNull(delay, "delay");
            }
        }

        /** Reads what the client sends first, then resets the connection (RST, not FIN). */
        record Reset() implements Fault {}

        /** Accepts and reads everything, never answers, never closes. */
        record HalfOpen() implements Fault {}

        /**
         * Answers every HTTP request with {@code status} and an AWS JSON 1.0 error body of
         * {@code __type} {@code errorType} (as DynamoDB does: {@code com.amazonaws.dynamodb.v20120810#ThrottlingException}).
         */
        record ErrorAnswer(int status, String errorType, String message) implements Fault {
            public ErrorAnswer {
                Objects.requireNonNull(errorType, "errorType");
                Objects.requireNonNull(message, "message");
            }
        }

        /**
         * Passes the first {@code requests} HTTP requests (counted over all connections since the
         * fault was set) to the target, then answers every later one with {@code then}: a store
         * failure in the middle of a sequence of calls, after some writes have landed.
         */
        record AfterRequests(int requests, ErrorAnswer then) implements Fault {
            public AfterRequests {
                Objects.requireNonNull(then, "then");
            }
        }

        static Fault afterRequests(int requests, ErrorAnswer then) {
            return new AfterRequests(requests, then);
        }

        static Fault pass() {
            return new Pass();
        }

        static Fault latency(Duration delay) {
            return new Latency(delay);
        }

        static Fault reset() {
            return new Reset();
        }

        static Fault halfOpen() {
            return new HalfOpen();
        }

        /** DynamoDB's answer when the request rate is too high (HTTP 400, retried by the SDK as throttling). */
        static ErrorAnswer dynamoDbThrottling() {
            return new ErrorAnswer(400, "com.amazonaws.dynamodb.v20120810#ThrottlingException",
                    "Rate of requests exceeds the allowed throughput.");
        }

        /** DynamoDB's answer when a table's provisioned throughput is used up. */
        static ErrorAnswer dynamoDbProvisionedThroughputExceeded() {
            return new ErrorAnswer(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                    "The level of configured provisioned throughput for the table was exceeded.");
        }
    }

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger errorAnswers = new AtomicInteger();
    private final AtomicInteger requestsSinceSet = new AtomicInteger();
    private volatile Fault fault = Fault.pass();

    private FaultProxy(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    /** A proxy on a free port of 127.0.0.1 forwarding to {@code target}'s host and port, passing traffic. */
    public static FaultProxy start(URI target) throws IOException {
        int port = target.getPort() != -1 ? target.getPort() : "https".equals(target.getScheme()) ? 443 : 80;
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultProxy proxy = new FaultProxy(server, new InetSocketAddress(target.getHost(), port));
        Thread.ofVirtual().name("fault-proxy-accept-" + server.getLocalPort()).start(proxy::acceptLoop);
        return proxy;
    }

    /** The proxy's address as a plain-HTTP endpoint override for an SDK client. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** From now on every connection meets {@code fault}; the open ones are closed. */
    public void set(Fault fault) {
        requestsSinceSet.set(0);
        this.fault = Objects.requireNonNull(fault, "fault");
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    public Fault fault() {
        return fault;
    }

    /** Connections accepted so far: proves a client came through the proxy at all. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** HTTP requests answered with an {@link Fault.ErrorAnswer} so far: proves the client's retries. */
    public int errorAnswers() {
        return errorAnswers.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            open.add(client);
            Fault current = fault;
            accepted.incrementAndGet();
            Thread.ofVirtual().name("fault-proxy-" + client.getPort()).start(() -> {
                try {
                    handle(client, current);
                } catch (IOException | UncheckedIOException e) {
                    // The client, the target or set() closed the connection: that is the fault's point.
                } finally {
                    open.remove(client);
                    closeQuietly(client);
                }
            });
        }
    }

    private void handle(Socket client, Fault current) throws IOException {
        switch (current) {
            case Fault.Pass pass -> forward(client, Duration.ZERO);
            case Fault.Latency latency -> forward(client, latency.delay());
            case Fault.Reset reset -> {
                client.getInputStream().read(new byte[8192]);
                client.setSoLinger(true, 0);
                client.close();
            }
            case Fault.HalfOpen halfOpen -> client.getInputStream().transferTo(OutputStream.nullOutputStream());
            case Fault.ErrorAnswer answer -> answerEveryRequest(client, answer);
            case Fault.AfterRequests after -> relayThenAnswer(client, after);
        }
    }

    /**
     * Relays whole HTTP requests (Content-Length bodies), each over a fresh connection to the
     * target and its answer back, until the count is reached; answers the later ones with the error.
     */
    private void relayThenAnswer(Socket client, Fault.AfterRequests after) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        while (true) {
            String head = readHead(in);
            if (head == null) {
                return;
            }
            byte[] body = in.readNBytes(contentLength(head));
            if (requestsSinceSet.getAndIncrement() >= after.requests()) {
                writeError(client, out, after.then());
                continue;
            }
            try (Socket upstream = new Socket()) {
                upstream.connect(target, 2_000);
                open.add(upstream);
                upstream.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                upstream.getOutputStream().write(body);
                upstream.getOutputStream().flush();
                InputStream answer = upstream.getInputStream();
                String answerHead = readHead(answer);
                if (answerHead == null) {
                    return;
                }
                out.write(answerHead.getBytes(StandardCharsets.US_ASCII));
                out.write(answer.readNBytes(contentLength(answerHead)));
                out.flush();
            } finally {
                open.removeIf(Socket::isClosed);
            }
        }
    }

    private void forward(Socket client, Duration delay) throws IOException {
        try (Socket upstream = new Socket()) {
            upstream.connect(target, 2_000);
            open.add(upstream);
            try {
                Thread back = Thread.ofVirtual().start(() -> pump(upstream, client, delay));
                pump(client, upstream, Duration.ZERO);
                back.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                open.remove(upstream);
            }
        }
    }

    /** Copies {@code from} to {@code to} until either closes, each chunk after {@code delay}; then closes both. */
    private static void pump(Socket from, Socket to, Duration delay) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) != -1; ) {
                if (delay.isPositive()) {
                    Thread.sleep(delay); // the injected latency, not synchronisation
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Reads each HTTP/1.1 request (head and a Content-Length body) and answers it with the error. */
    private void answerEveryRequest(Socket client, Fault.ErrorAnswer answer) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = client.getOutputStream();
        while (true) {
            String head = readHead(in);
            if (head == null) {
                return;
            }
            in.readNBytes(contentLength(head));
            requestsSinceSet.incrementAndGet();
            writeError(client, out, answer);
        }
    }

    private void writeError(Socket client, OutputStream out, Fault.ErrorAnswer answer) throws IOException {
        byte[] body = ("{\"__type\":\"" + answer.errorType() + "\",\"message\":\"" + answer.message() + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        String errorCode = answer.errorType().substring(answer.errorType().lastIndexOf('#') + 1);
        String response = "HTTP/1.1 " + answer.status() + " " + (answer.status() == 400 ? "Bad Request" : "Error") + "\r\n"
                + "Content-Type: application/x-amz-json-1.0\r\n"
                + "x-amzn-RequestId: fault-proxy-" + client.getPort() + "-" + errorAnswers.incrementAndGet() + "\r\n"
                + "x-amzn-ErrorType: " + errorCode + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "\r\n";
        out.write(response.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** An HTTP head up to and including the blank line; null at the end of the stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; (b = in.read()) != -1; ) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == end.length) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
