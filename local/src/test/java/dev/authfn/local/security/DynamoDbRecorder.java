package dev.authfn.local.security;

import dev.authfn.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain-HTTP relay on 127.0.0.1 in front of an emulator's DynamoDB API that records each
 * request's operation ({@code X-Amz-Target}), table and JSON body, in the order they arrive, so a
 * test can see the store work behind an HTTP request to the local API. HTTP/1.1 with keep-alive:
 * one upstream connection per client connection, requests with a {@code Content-Length} body,
 * answers with a {@code Content-Length} or chunked body. Not for TLS (real AWS).
 */
final class DynamoDbRecorder implements AutoCloseable {

    /** One DynamoDB request; {@code seq} orders all requests through the relay. */
    record Call(long seq, long nanoTime, String operation, String table, Map<String, Object> body) {
        @Override
        public String toString() {
            return operation + " " + table;
        }
    }

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final List<Call> calls = new ArrayList<>();
    private final AtomicLong seq = new AtomicLong();

    private DynamoDbRecorder(ServerSocket server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    /** A relay to {@code target}, which must be a plain {@code http} endpoint (an emulator). */
    static DynamoDbRecorder start(URI target) throws IOException {
        if (!"http".equals(target.getScheme()) || target.getHost() == null) {
            throw new IllegalStateException("the DynamoDB recorder relays plain HTTP to an emulator; the run's "
                    + "DynamoDB API is " + target + ". Run the integration tests against moto or LocalStack "
                    + "(unset AUTHFN_TEST_AWS_ENDPOINT and put moto_server on the PATH, or set it to an emulator's URL)");
        }
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        DynamoDbRecorder recorder = new DynamoDbRecorder(server,
                new InetSocketAddress(target.getHost(), target.getPort() == -1 ? 80 : target.getPort()));
        Thread.ofVirtual().name("dynamodb-recorder-accept").start(recorder::acceptLoop);
        return recorder;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** The number of the next request; calls with {@code seq >=} this come later. */
    long mark() {
        return seq.get();
    }

    /** Every call recorded with {@code from <= seq < to}, in order. */
    synchronized List<Call> between(long from, long to) {
        return calls.stream().filter(call -> call.seq() >= from && call.seq() < to).toList();
    }

    synchronized List<Call> since(long from) {
        return between(from, Long.MAX_VALUE);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
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
            Thread.ofVirtual().name("dynamodb-recorder-" + client.getPort()).start(() -> {
                try (client; Socket upstream = new Socket()) {
                    upstream.connect(target, 2_000);
                    open.add(upstream);
                    relay(client, upstream);
                } catch (IOException e) {
                    // a side closed the connection
                } finally {
                    open.remove(client);
                    open.removeIf(Socket::isClosed);
                }
            });
        }
    }

    private void relay(Socket client, Socket upstream) throws IOException {
        InputStream fromClient = client.getInputStream();
        OutputStream toClient = client.getOutputStream();
        InputStream fromUpstream = upstream.getInputStream();
        OutputStream toUpstream = upstream.getOutputStream();
        while (true) {
            String head = readHead(fromClient);
            if (head == null) {
                return;
            }
            if (header(head, "transfer-encoding").isPresent()) {
                throw new IOException("chunked requests are not relayed");
            }
            byte[] body = fromClient.readNBytes(header(head, "content-length").map(Integer::parseInt).orElse(0));
            record(head, body);
            toUpstream.write(head.getBytes(StandardCharsets.US_ASCII));
            toUpstream.write(body);
            toUpstream.flush();
            String answerHead = readHead(fromUpstream);
            if (answerHead == null) {
                return;
            }
            toClient.write(answerHead.getBytes(StandardCharsets.US_ASCII));
            if (header(answerHead, "transfer-encoding").filter(value -> value.toLowerCase(Locale.ROOT).contains("chunked"))
                    .isPresent()) {
                copyChunked(fromUpstream, toClient);
            } else {
                toClient.write(fromUpstream.readNBytes(
                        header(answerHead, "content-length").map(Integer::parseInt).orElse(0)));
            }
            toClient.flush();
            if (header(answerHead, "connection").filter(value -> value.equalsIgnoreCase("close")).isPresent()) {
                return;
            }
        }
    }

    private synchronized void record(String head, byte[] body) {
        String target = header(head, "x-amz-target").orElse("");
        String operation = target.substring(target.indexOf('.') + 1);
        Map<String, Object> json = Json.parseObject(new String(body, StandardCharsets.UTF_8)).orElse(Map.of());
        String table = json.get("TableName") instanceof String name ? name : "";
        calls.add(new Call(seq.getAndIncrement(), System.nanoTime(), operation, table, json));
    }

    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = readLine(in);
            out.write((sizeLine + "\r\n").getBytes(StandardCharsets.US_ASCII));
            int semicolon = sizeLine.indexOf(';');
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            if (size == 0) {
                for (String trailer; !(trailer = readLine(in)).isEmpty(); ) {
                    out.write((trailer + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            out.write(in.readNBytes(size));
            out.write((readLine(in) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        throw new IOException("the stream ended inside a chunked body");
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

    private static Optional<String> header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return Optional.of(line.substring(colon + 1).trim());
            }
        }
        return Optional.empty();
    }
}
