package dev.authfn.local.api;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local API's listening socket, in front of the JDK's HTTP server on another loopback port:
 * each request head is checked ({@link RequestHead}) before it is passed on, and a malformed one
 * gets what API Gateway answers, {@code 400 {"message":"Bad Request"}}, instead of the JDK's HTML
 * page naming a Java exception. Bytes are passed on as the client sent them, heads and bodies, so
 * the JDK's server parses the very request that was checked; its responses come back unchanged.
 *
 * <p>One upstream connection per client connection, made at its first good request, so keep-alive
 * and pipelining work as before. A malformed request ends the connection: the responses to the
 * requests before it are sent first, then the 400 with {@code Connection: close}.
 */
final class RequestGate implements AutoCloseable {

    static final byte[] BAD_REQUEST = ("HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: application/json\r\n"
            + "Content-Length: 25\r\n"
            + "Connection: close\r\n"
            + "\r\n"
            + "{\"message\":\"Bad Request\"}").getBytes(StandardCharsets.US_ASCII);

    /** How long a refusal waits for the responses to the connection's earlier requests. */
    private static final Duration EARLIER_RESPONSES_TIMEOUT = Duration.ofSeconds(60);

    private final ServerSocket listener;
    private final PrintStream log;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile InetSocketAddress upstream;

    private RequestGate(ServerSocket listener, PrintStream log) {
        this.listener = listener;
        this.log = log;
    }

    /** Binds 127.0.0.1:{@code port} ({@code 0}: a free port) without accepting yet. */
    static RequestGate bind(int port, int backlog, PrintStream log) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), backlog);
        return new RequestGate(listener, log);
    }

    int port() {
        return listener.getLocalPort();
    }

    InetAddress address() {
        return listener.getInetAddress();
    }

    /** Starts accepting, passing good requests on to {@code server}. */
    void start(InetSocketAddress server) {
        this.upstream = server;
        Thread.ofPlatform().daemon().name("authfn-local-gate").start(this::acceptLoop);
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            log.println("authfn-local: closing the listening socket failed: " + e);
        }
        open.forEach(RequestGate::closeQuietly);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                open.add(client);
                Thread.ofVirtual().name("authfn-local-connection").start(() -> serve(client));
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    log.println("authfn-local: accepting a connection failed: " + e);
                }
            }
        }
    }

    private void serve(Socket client) {
        Connection connection = new Connection(client);
        try {
            connection.run();
        } catch (IOException e) {
            // The client or the server went away mid-request; the server has logged its side.
        } finally {
            connection.close();
            open.remove(client);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** One client connection and, from its first good request on, its connection to the server. */
    private final class Connection {
        private final Socket client;
        private Socket server;
        private OutputStream toServer;
        private Thread responses;
        private volatile boolean refusing;

        Connection(Socket client) {
            this.client = client;
        }

        void run() throws IOException {
            InputStream in = new BufferedInputStream(client.getInputStream());
            while (true) {
                switch (RequestHead.read(in)) {
                    case RequestHead.Head(RequestHead head) -> pass(head, in);
                    case RequestHead.Malformed(String reason) -> {
                        refuse(reason);
                        return;
                    }
                    case RequestHead.TooLarge tooLarge -> {
                        return;
                    }
                    case RequestHead.End end -> {
                        finishResponses();
                        return;
                    }
                }
            }
        }

        private void pass(RequestHead head, InputStream in) throws IOException {
            OutputStream out = toServer();
            out.write(head.bytes());
            // Now, so that a client waiting for "100 Continue" before its body gets it.
            out.flush();
            switch (head.framing()) {
                case RequestHead.Framing.Length(long bytes) -> copy(in, out, bytes);
                case RequestHead.Framing.Chunked chunked -> copyChunked(in, out);
            }
            out.flush();
        }

        /** The responses to earlier requests first, then the 400; the connection ends. */
        private void refuse(String reason) throws IOException {
            finishResponses();
            log.println("authfn-local: refused a malformed request (" + reason + ") with 400");
            OutputStream out = client.getOutputStream();
            out.write(BAD_REQUEST);
            out.flush();
        }

        /** Lets the server finish what it was sent, and waits until its responses have been passed on. */
        private void finishResponses() throws IOException {
            if (server == null) {
                return;
            }
            refusing = true;
            server.shutdownOutput();
            try {
                responses.join(EARLIER_RESPONSES_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the server's responses", e);
            }
        }

        private OutputStream toServer() throws IOException {
            if (server == null) {
                server = new Socket(upstream.getAddress(), upstream.getPort());
                server.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                toServer = new BufferedOutputStream(server.getOutputStream(), 16 * 1024);
                responses = Thread.ofVirtual().name("authfn-local-responses").start(this::passResponses);
            }
            return toServer;
        }

        /**
         * Copies the server's bytes to the client until the server closes. When it closes on its
         * own (idle timeout, {@code Connection: close}, a head over its limits), the client's
         * connection is closed too, as it would have been without the gate.
         */
        private void passResponses() {
            try {
                server.getInputStream().transferTo(client.getOutputStream());
                client.getOutputStream().flush();
            } catch (IOException e) {
                // one side went away
            }
            if (!refusing) {
                closeQuietly(client);
            }
        }

        void close() {
            if (server != null) {
                closeQuietly(server);
            }
            closeQuietly(client);
        }
    }

    private static void copy(InputStream in, OutputStream out, long bytes) throws IOException {
        byte[] buffer = new byte[8192];
        long left = bytes;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException("the client closed the connection inside a body");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    /** Copies a chunked body as sent: each chunk, the last one and the trailer section. */
    private static void copyChunked(InputStream in, OutputStream out) throws IOException {
        while (true) {
            String sizeLine = copyLine(in, out);
            long size = chunkSize(sizeLine);
            if (size == 0) {
                while (!copyLine(in, out).isEmpty()) {
                    // trailer fields
                }
                return;
            }
            copy(in, out, size);
            if (!copyLine(in, out).isEmpty()) {
                throw new IOException("a chunk is longer than its size says");
            }
        }
    }

    private static long chunkSize(String sizeLine) throws IOException {
        int extension = sizeLine.indexOf(';');
        String hex = (extension < 0 ? sizeLine : sizeLine.substring(0, extension)).strip();
        if (hex.isEmpty() || hex.length() > 15) {
            throw new IOException("a chunk size is malformed");
        }
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IOException("a chunk size is malformed", e);
        }
    }

    /** Copies one CRLF-terminated line of at most 4 KiB and answers it without the CRLF. */
    private static String copyLine(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        int b;
        while ((b = in.read()) >= 0) {
            out.write(b);
            if (previous == '\r' && b == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
            if (line.size() > 4096) {
                throw new IOException("a chunk line is too long");
            }
            previous = b;
        }
        throw new IOException("the client closed the connection inside a chunked body");
    }
}
