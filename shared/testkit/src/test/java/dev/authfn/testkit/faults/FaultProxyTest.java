package dev.authfn.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.authfn.testkit.faults.FaultProxy.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy in front of a JDK HTTP server on loopback that answers {@code ok} and counts what reached it. */
class FaultProxyTest {

    private static final String REQUEST = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}";

    private final AtomicInteger reachedTarget = new AtomicInteger();
    private HttpServer target;
    private FaultProxy proxy;

    @BeforeEach
    void start() throws IOException {
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/", exchange -> {
            reachedTarget.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
            exchange.close();
        });
        target.start();
        proxy = FaultProxy.start(URI.create("http://127.0.0.1:" + target.getAddress().getPort()));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        target.stop(0);
    }

    @Test
    void passesRequestsAndAnswersThrough() throws IOException {
        try (Socket socket = connect(Duration.ofSeconds(5))) {
            send(socket, REQUEST);
            assertThat(readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("\r\n\r\nok");
        }
        assertThat(reachedTarget).hasValue(1);
    }

    @Test
    void holdsTheAnswerBackByTheLatencyWhileTheRequestReachesTheTarget() throws IOException {
        proxy.set(Fault.latency(Duration.ofMillis(300)));
        try (Socket socket = connect(Duration.ofMillis(150))) {
            send(socket, REQUEST);
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            socket.setSoTimeout(5_000);
            assertThat(readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 200 ");
        }
        assertThat(reachedTarget).hasValue(1);
    }

    @Test
    void resetsTheConnectionOnceTheClientHasSent() throws IOException {
        proxy.set(Fault.reset());
        try (Socket socket = connect(Duration.ofSeconds(5))) {
            send(socket, REQUEST);
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
        assertThat(reachedTarget).hasValue(0);
    }

    @Test
    void halfOpenReadsButNeverAnswers() throws IOException {
        proxy.set(Fault.halfOpen());
        try (Socket socket = connect(Duration.ofMillis(300))) {
            send(socket, REQUEST);
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(reachedTarget).hasValue(0);
    }

    @Test
    void answersEveryRequestOnAConnectionWithDynamoDbsThrottlingError() throws IOException {
        proxy.set(Fault.dynamoDbThrottling());
        try (Socket socket = connect(Duration.ofSeconds(5))) {
            for (int i = 0; i < 2; i++) {
                send(socket, REQUEST);
                String answer = readAnswer(socket.getInputStream());
                assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n")
                        .contains("Content-Type: application/x-amz-json-1.0\r\n", "x-amzn-ErrorType: ThrottlingException\r\n")
                        .endsWith("\r\n\r\n{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\","
                                + "\"message\":\"Rate of requests exceeds the allowed throughput.\"}");
            }
        }
        assertThat(proxy.errorAnswers()).isEqualTo(2);
        assertThat(reachedTarget).hasValue(0);
    }

    @Test
    void afterRequestsPassesTheFirstOnesThenAnswersTheError() throws IOException {
        proxy.set(Fault.afterRequests(1, Fault.dynamoDbProvisionedThroughputExceeded()));
        try (Socket first = connect(Duration.ofSeconds(5))) {
            send(first, REQUEST);
            assertThat(readAnswer(first.getInputStream())).startsWith("HTTP/1.1 200 ").endsWith("ok");
        }
        try (Socket second = connect(Duration.ofSeconds(5))) {
            send(second, REQUEST);
            assertThat(readAnswer(second.getInputStream())).startsWith("HTTP/1.1 400 ")
                    .contains("ProvisionedThroughputExceededException");
        }
        assertThat(reachedTarget).hasValue(1);
        assertThat(proxy.errorAnswers()).isEqualTo(1);
    }

    @Test
    void settingAFaultClosesTheOpenConnections() throws IOException {
        proxy.set(Fault.halfOpen());
        try (Socket socket = connect(Duration.ofSeconds(5))) {
            while (proxy.connectionsAccepted() == 0) {
                Thread.onSpinWait(); // until the proxy holds the connection
            }
            proxy.set(Fault.pass());
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    private Socket connect(Duration readTimeout) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.uri().getPort());
        socket.setSoTimeout((int) readTimeout.toMillis());
        return socket;
    }

    private static void send(Socket socket, String request) throws IOException {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
    }

    /** One HTTP answer: its head and its Content-Length body. */
    private static String readAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("the stream ended inside a head: " + head);
            }
            head.append((char) b);
        }
        int length = head.toString().lines()
                .filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:"))
                .map(line -> Integer.parseInt(line.substring(line.indexOf(':') + 1).trim()))
                .findFirst().orElse(0);
        return head + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }
}
