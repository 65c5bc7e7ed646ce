package dev.authfn.ses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.json.Json;
import dev.authfn.core.mail.Mail;
import dev.authfn.core.mail.MailTemplates;
import dev.authfn.core.mail.MailUnavailableException;
import dev.authfn.emulator.MotoServer;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * SesMailer against moto's SES v2 over HTTP: the sender identity is created first, as SES needs
 * it verified; what moto then holds is read back from its state dump
 * ({@code GET /moto-api/data.json}, {@code ses} → {@code Message}). Needs {@code moto_server} on
 * the PATH; without it the class fails and says how to get one.
 */
class SesMailerIT {

    private static final String FROM = "no-reply@example.com";
    private static final String TOKEN = "Zq0-Hh8xWm3_rT5uVb7nJg";
    private static final MailTemplates TEMPLATES = new MailTemplates("Example", URI.create("http://127.0.0.1:3000/"));

    private static MotoServer moto;
    private static SesV2Client admin;

    @BeforeAll
    static void startMoto() throws Exception {
        moto = MotoServer.start(motoOnPath());
        admin = SesV2Client.builder().endpointOverride(moto.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .build();
        admin.createEmailIdentity(request -> request.emailIdentity(FROM));
    }

    @AfterAll
    static void stopMoto() {
        if (admin != null) {
            admin.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void sesAcceptsTheMailWithItsTextAndHtmlFromTheVerifiedSender() throws Exception {
        Mail mail = TEMPLATES.verifyEmail("alice@example.com", "alice", TOKEN, Duration.ofHours(24));

        try (SesMailer mailer = SesMailer.fromEnvironment(environment(moto.endpoint(), "Example <" + FROM + ">"))) {
            mailer.send(mail);
        }

        Map<String, Object> sent = onlySentMessageTo("alice@example.com");
        assertThat(sent.get("source")).isEqualTo("Example <" + FROM + ">");
        assertThat(sent.get("subject")).isEqualTo("Confirm your email address for Example");
        // moto keeps the HTML part when there is one; the text part went in the same request.
        assertThat(sent.get("body")).isEqualTo(mail.html());
        assertThat((String) sent.get("body")).contains("http://127.0.0.1:3000/#verify=" + TOKEN);
        assertThat(sent.get("destinations")).isEqualTo(Map.of("ToAddresses", List.of("alice@example.com")));
    }

    @Test
    void sendsUtf8AndAConfigurationSet() throws Exception {
        admin.createConfigurationSet(request -> request.configurationSetName("authfn-mail"));
        Mail mail = new Mail("jose@example.com", "Réinitialiser 🔑", "Texte é", "<p>Texte é 🔑</p>");
        Map<String, String> env = environment(moto.endpoint(), FROM);
        env.put("AUTHFN_SES_CONFIGURATION_SET", "authfn-mail");

        try (SesMailer mailer = SesMailer.fromEnvironment(env)) {
            mailer.send(mail);
        }

        Map<String, Object> sent = onlySentMessageTo("jose@example.com");
        assertThat(sent.get("subject")).isEqualTo("Réinitialiser 🔑");
        assertThat(sent.get("body")).isEqualTo("<p>Texte é 🔑</p>");
    }

    @Test
    void theRequestCarriesBothPartsInUtf8AndTheConfigurationSet() throws Exception {
        // moto keeps only one part of a Simple message, so the request itself is read here.
        AtomicReference<String> body = new AtomicReference<>();
        AtomicReference<String> path = new AtomicReference<>();
        HttpServer ses = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ses.createContext("/", exchange -> {
            path.set(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            body.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"MessageId\":\"m-1\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        ses.start();
        Map<String, String> env = environment(URI.create("http://127.0.0.1:" + ses.getAddress().getPort()),
                "Example <" + FROM + ">");
        env.put("AUTHFN_SES_CONFIGURATION_SET", "authfn-mail");
        Mail mail = new Mail("anna@bücher.example", "Réinitialiser", "Texte é", "<p>Texte é</p>");
        try (SesMailer mailer = SesMailer.fromEnvironment(env)) {
            mailer.send(mail);
        } finally {
            ses.stop(0);
        }

        assertThat(path.get()).isEqualTo("POST /v2/email/outbound-emails");
        assertThat(Json.parseObject(body.get())).contains(Map.of(
                "FromEmailAddress", "Example <" + FROM + ">",
                "Destination", Map.of("ToAddresses", List.of("anna@xn--bcher-kva.example")),
                "ConfigurationSetName", "authfn-mail",
                "Content", Map.of("Simple", Map.of(
                        "Subject", Map.of("Data", "Réinitialiser", "Charset", "UTF-8"),
                        "Body", Map.of("Text", Map.of("Data", "Texte é", "Charset", "UTF-8"),
                                "Html", Map.of("Data", "<p>Texte é</p>", "Charset", "UTF-8"))))));
    }

    @Test
    void anUnverifiedSenderIsMailUnavailableWithoutTheBody() {
        Mail mail = TEMPLATES.resetPassword("bob@example.com", "bob", TOKEN, Duration.ofMinutes(30));

        try (SesMailer mailer = SesMailer.fromEnvironment(environment(moto.endpoint(), "someone@unverified.example"))) {
            assertThatThrownBy(() -> mailer.send(mail))
                    .isInstanceOf(MailUnavailableException.class)
                    .hasMessageMatching("SES SendEmail refused: HTTP 400 MessageRejected, request id \\S+")
                    .satisfies(SesMailerIT::holdsNoPartOfTheBodies);
        }
    }

    @Test
    void aStoppedSesIsMailUnavailableWithinTheCallTimeoutWithoutTheBody() throws Exception {
        Mail mail = TEMPLATES.resetPassword("carol@example.com", "carol", TOKEN, Duration.ofMinutes(30));
        MotoServer stopped = MotoServer.start(motoOnPath());
        URI endpoint = stopped.endpoint();
        stopped.close();

        try (SesMailer mailer = SesMailer.fromEnvironment(environment(endpoint, FROM))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> mailer.send(mail))
                    .isInstanceOf(MailUnavailableException.class)
                    .hasMessage("SES SendEmail did not complete: SdkClientException")
                    .satisfies(SesMailerIT::holdsNoPartOfTheBodies);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }

    /** Neither the message nor any message or frame of the cause chain holds the token or a body line. */
    private static void holdsNoPartOfTheBodies(Throwable thrown) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(TOKEN, "#reset=", "choose a new password", "<p>");
    }

    private static Map<String, Object> onlySentMessageTo(String to) throws Exception {
        HttpResponse<String> dump = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(moto.endpoint().resolve("/moto-api/data.json")).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(dump.statusCode()).isEqualTo(200);
        Map<String, Object> state = Json.parseObject(dump.body()).orElseThrow(
                () -> new AssertionError("moto's /moto-api/data.json is not one JSON object: " + dump.body()));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> messages =
                (List<Map<String, Object>>) ((Map<String, Object>) state.get("ses")).get("Message");
        List<Map<String, Object>> toThisAddress = messages.stream()
                .filter(message -> String.valueOf(message.get("destinations")).contains(to))
                .toList();
        assertThat(toThisAddress).as("moto's messages to " + to + ": " + messages).hasSize(1);
        return toThisAddress.get(0);
    }

    private static Map<String, String> environment(URI endpoint, String from) {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", "test");
        env.put("AWS_SECRET_ACCESS_KEY", "test");
        env.put("AUTHFN_SES_ENDPOINT", endpoint.toString());
        env.put("AUTHFN_MAIL_FROM", from);
        return env;
    }

    private static Path motoOnPath() {
        return MotoServer.findOnPath(System.getenv("PATH")).orElseThrow(() -> new AssertionError(
                "SesMailerIT needs moto's SES v2: put moto_server on the PATH (pip install 'moto[server]>=5')"));
    }
}
