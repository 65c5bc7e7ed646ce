package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.json.Json;
import dev.authfn.core.mail.DirectoryOutbox;
import dev.authfn.core.mail.Mail;
import dev.authfn.core.mail.MailTemplates;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ./authfn mail through {@link Main#run}, over an outbox this test fills. */
class MailCommandTest {

    private static final String NL = System.lineSeparator();
    private static final Instant SENT = Instant.parse("2025-03-01T12:00:00.5Z");
    private static final String VERIFY_TOKEN = "Vq0-Hh8xWm3_rT5uVb7nJg";
    private static final String RESET_TOKEN = "Rr1-Kk8xWm3_rT5uVb7nJh";
    private static final MailTemplates TEMPLATES = new MailTemplates("Example", URI.create("http://127.0.0.1:3000/"));

    @TempDir
    Path temp;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void forgetTheTemplate() {
        System.clearProperty("authfn.template");
    }

    @Test
    void listShowsTimeRecipientSubjectAndIdOldestFirst() {
        Path outbox = temp.resolve("outbox");
        List<String> ids = fill(outbox);

        assertThat(run("mail", "list", "--outbox", outbox.toString())).isZero();

        assertThat(stdout()).isEqualTo(String.format(
                "%-20s  %-30s  %-50s  %s%n%-20s  %-30s  %-50s  %s%n%-20s  %-30s  %-50s  %s%n%-20s  %-30s  %-50s  %s%n"
                        + "3 mail(s)%n",
                "sent", "to", "subject", "id",
                "2025-03-01T12:00:00Z", "alice@example.com", "Confirm your email address for Example", ids.get(0),
                "2025-03-01T12:00:00Z", "bob@example.com", "Reset your Example password", ids.get(1),
                "2025-03-01T12:00:00Z", "alice@example.com", "Sign-up attempt at Example", ids.get(2)));
        assertThat(stderr()).isEmpty();
    }

    @Test
    void listAsJson() {
        Path outbox = temp.resolve("outbox");
        List<String> ids = fill(outbox);

        assertThat(run("mail", "list", "--json", "--outbox", outbox.toString())).isZero();

        Map<String, Object> json = Json.parseObject(stdout()).orElseThrow();
        assertThat(json).isEqualTo(Map.of("mails", List.of(
                Map.of("id", ids.get(0), "sent_at", "2025-03-01T12:00:00.500Z", "to", "alice@example.com",
                        "subject", "Confirm your email address for Example"),
                Map.of("id", ids.get(1), "sent_at", "2025-03-01T12:00:00.500000001Z", "to", "bob@example.com",
                        "subject", "Reset your Example password"),
                Map.of("id", ids.get(2), "sent_at", "2025-03-01T12:00:00.500000002Z", "to", "alice@example.com",
                        "subject", "Sign-up attempt at Example"))));
    }

    @Test
    void anEmptyOrMissingOutboxListsNoMail() {
        assertThat(run("mail", "list", "--outbox", temp.resolve("none").toString())).isZero();

        assertThat(stdout()).isEqualTo(String.format("%-20s  %-30s  %-50s  %s%n", "sent", "to", "subject", "id")
                + "0 mail(s)" + NL);
    }

    @Test
    void theOutboxDefaultsToTheOneBesideTheTemplate() {
        System.setProperty("authfn.template", temp.resolve("template.yaml").toString());
        List<String> ids = fill(temp.resolve(".authfn").resolve("outbox"));

        assertThat(run("mail", "link", "--to", "bob@example.com")).isZero();
        assertThat(stdout()).isEqualTo("http://127.0.0.1:3000/#reset=" + RESET_TOKEN + NL);
        assertThat(run("mail", "list")).isZero();
        assertThat(stdout()).endsWith("3 mail(s)" + NL);
        assertThat(run("mail", "show", ids.get(0), "--link")).isZero();
        assertThat(stdout()).isEqualTo("http://127.0.0.1:3000/#verify=" + VERIFY_TOKEN + NL);
    }

    @Test
    void showPrintsTheHeadersAndTheTextOfTheNewestMail() {
        Path outbox = temp.resolve("outbox");
        List<String> ids = fill(outbox);

        assertThat(run("mail", "show", "--outbox", outbox.toString())).isZero();

        assertThat(stdout()).isEqualTo("id:      " + ids.get(2) + NL
                + "sent:    2025-03-01T12:00:00.500000002Z" + NL
                + "to:      alice@example.com" + NL
                + "subject: Sign-up attempt at Example" + NL
                + NL
                + TEMPLATES.registrationAttempt("alice@example.com").text());
    }

    @Test
    void showByIdOrRecipientAndAsHtmlOrJson() {
        Path outbox = temp.resolve("outbox");
        List<String> ids = fill(outbox);
        Mail verify = TEMPLATES.verifyEmail("alice@example.com", "alice", VERIFY_TOKEN, Duration.ofHours(24));

        assertThat(run("mail", "show", ids.get(0), "--html", "--outbox", outbox.toString())).isZero();
        assertThat(stdout()).endsWith(NL + NL + verify.html()).startsWith("id:      " + ids.get(0) + NL);

        assertThat(run("mail", "show", "--to", "BOB@example.com", "--outbox", outbox.toString())).isZero();
        assertThat(stdout()).startsWith("id:      " + ids.get(1) + NL).contains("#reset=" + RESET_TOKEN);

        assertThat(run("mail", "show", ids.get(0), "--json", "--outbox", outbox.toString())).isZero();
        assertThat(Json.parseObject(stdout()).orElseThrow()).containsExactly(Map.entry("id", ids.get(0)),
                Map.entry("sent_at", "2025-03-01T12:00:00.500Z"), Map.entry("to", "alice@example.com"),
                Map.entry("subject", verify.subject()), Map.entry("text", verify.text()),
                Map.entry("html", verify.html()));
    }

    @Test
    void linkPrintsTheTokenLinkOfTheNewestMailToAnAddress() {
        Path outbox = temp.resolve("outbox");
        fill(outbox);

        assertThat(run("mail", "link", "--to", "alice@example.com", "--outbox", outbox.toString())).isEqualTo(1);
        assertThat(stdout()).isEmpty();
        assertThat(stderr()).matches("authfn: mail \\S+ \\(Sign-up attempt at Example\\) has no verify or reset link"
                + NL);

        assertThat(run("mail", "link", "--to", "bob@example.com", "--outbox", outbox.toString())).isZero();
        assertThat(stdout()).isEqualTo("http://127.0.0.1:3000/#reset=" + RESET_TOKEN + NL);
    }

    @Test
    void aMissingMailIsAFailureAndAConfusedSelectionAUsageError() {
        Path outbox = temp.resolve("outbox");
        List<String> ids = fill(outbox);

        assertThat(run("mail", "show", "20990101T000000.000000000Z-00000000", "--outbox", outbox.toString()))
                .isEqualTo(1);
        assertThat(stderr()).isEqualTo("authfn: no mail 20990101T000000.000000000Z-00000000 in " + outbox + NL);

        assertThat(run("mail", "show", "../../etc/passwd", "--outbox", outbox.toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("authfn: no mail ../../etc/passwd in " + outbox + NL);

        assertThat(run("mail", "link", "--to", "carol@example.com", "--outbox", outbox.toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("authfn: no mail to carol@example.com in " + outbox + NL);

        assertThat(run("mail", "link", "--outbox", temp.resolve("empty").toString())).isEqualTo(1);
        assertThat(stderr()).isEqualTo("authfn: no mail in " + temp.resolve("empty") + NL);

        assertThat(run("mail", "show", ids.get(0), "--to", "bob@example.com", "--outbox", outbox.toString()))
                .isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: give an ID or --to, not both" + NL);

        assertThat(run("mail", "show", "--html", "--link", "--outbox", outbox.toString())).isEqualTo(2);
        assertThat(stderr()).isEqualTo("authfn: Error: --html, --link are mutually exclusive (specify only one)" + NL
                + "See './authfn mail show --help'." + NL);

        assertThat(run("mail")).isEqualTo(2);
        assertThat(stderr()).startsWith("authfn: ./authfn mail needs a subcommand: list, show, link, clear" + NL);
    }

    @Test
    void clearDeletesEveryMail() throws Exception {
        Path outbox = temp.resolve("outbox");
        fill(outbox);

        assertThat(run("mail", "clear", "--outbox", outbox.toString())).isZero();

        assertThat(stdout()).isEqualTo("authfn: deleted 3 mail(s) from " + outbox + NL);
        try (var files = Files.list(outbox)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void findsTheFirstTokenLinkOnly() {
        assertThat(MailCommand.firstTokenLink("see http://127.0.0.1:3000/ then https://app.example.com/a?b=c#reset="
                + RESET_TOKEN + " and http://x.example/#verify=" + VERIFY_TOKEN))
                .contains("https://app.example.com/a?b=c#reset=" + RESET_TOKEN);
        assertThat(MailCommand.firstTokenLink("http://127.0.0.1:3000/#other=abc http://127.0.0.1:3000/")).isEmpty();
    }

    /** Three mails, a nanosecond apart: verify to alice, reset to bob, a sign-up attempt to alice. */
    private static List<String> fill(Path dir) {
        DirectoryOutbox outbox = new DirectoryOutbox(dir, Clock.fixed(SENT, ZoneOffset.UTC));
        outbox.send(TEMPLATES.verifyEmail("alice@example.com", "alice", VERIFY_TOKEN, Duration.ofHours(24)));
        outbox.send(TEMPLATES.resetPassword("bob@example.com", "bob", RESET_TOKEN, Duration.ofMinutes(30)));
        outbox.send(TEMPLATES.registrationAttempt("alice@example.com"));
        return outbox.list().stream().map(mail -> mail.id()).toList();
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        Terminal terminal = new Terminal(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of());
        return Main.run(args, terminal);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
