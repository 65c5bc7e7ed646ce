package dev.authfn.local.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.mail.DirectoryOutbox;
import dev.authfn.core.mail.StoredMail;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The mails a local API's mailer wrote to its mail directory, read with {@link DirectoryOutbox}'s
 * reader. The mail driver delivers every {@code 200 ms}; tests wait for the mails they expect by
 * recipient, so that mails of other tests in the class never count. Nothing here prints a mail's
 * body (it holds tokens): failures name recipients and subjects only.
 */
final class Mails {

    /** Long enough for a few driver rounds on a loaded two-core machine. */
    static final Duration WAIT = Duration.ofSeconds(15);
    static final String SITE = "authfn";
    static final String VERIFY_SUBJECT = "Confirm your email address for " + SITE;
    static final String RESET_SUBJECT = "Reset your " + SITE + " password";
    static final String ATTEMPT_SUBJECT = "Sign-up attempt at " + SITE;
    static final String CHANGED_SUBJECT = "Your " + SITE + " password was changed";

    private final DirectoryOutbox outbox;
    private final String linkBase;

    Mails(Path directory, URI apiBase) {
        this.outbox = new DirectoryOutbox(directory);
        this.linkBase = apiBase + "/";
    }

    /** Every mail to {@code to} so far, oldest first. */
    List<StoredMail> to(String to) {
        return outbox.list().stream().filter(mail -> mail.mail().to().equals(to)).toList();
    }

    /** Every mail so far, oldest first. */
    List<StoredMail> all() {
        return outbox.list();
    }

    /**
     * Waits until {@code to} has received {@code count} mails in all and returns them, oldest
     * first; fails (naming the subjects seen) when they do not come within {@link #WAIT}.
     */
    List<StoredMail> awaitCount(String to, int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<StoredMail> mails = to(to);
        while (mails.size() < count && System.nanoTime() < deadline) {
            sleep();
            mails = to(to);
        }
        assertThat(mails.stream().map(mail -> mail.mail().subject()).toList())
                .as("mails to %s within %s", to, WAIT).hasSize(count);
        return mails;
    }

    /** Waits until the whole directory holds {@code count} mails and returns them, oldest first. */
    List<StoredMail> awaitTotal(int count) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<StoredMail> mails = all();
        while (mails.size() < count && System.nanoTime() < deadline) {
            sleep();
            mails = all();
        }
        assertThat(mails.stream().map(mail -> mail.mail().to() + ": " + mail.mail().subject()).toList())
                .as("mails within %s", WAIT).hasSize(count);
        return mails;
    }

    /**
     * The token in {@code mail}'s link {@code <base>/#<kind>=<token>}: the plain-text body holds
     * the link exactly once and the HTML body links to the same URL.
     */
    String token(StoredMail mail, String kind) {
        Pattern link = Pattern.compile(Pattern.quote(linkBase + "#" + kind + "=") + "([A-Za-z0-9._~-]+)");
        Matcher text = link.matcher(mail.mail().text());
        assertThat(text.find()).as("a %s link to %s in the text of %s", kind, linkBase, mail.mail()).isTrue();
        String token = text.group(1);
        assertThat(text.find()).as("one %s link in the text of %s", kind, mail.mail()).isFalse();
        assertThat(token.length()).as("the token's length (at least 128 bits)").isGreaterThanOrEqualTo(22);
        assertThat(mail.mail().html()).as("the HTML of %s links to the same URL", mail.mail())
                .contains("href=\"" + linkBase + "#" + kind + "=" + token + "\"");
        return token;
    }

    String linkBase() {
        return linkBase;
    }

    private static void sleep() {
        try {
            Thread.sleep(50); // polling the directory the mail driver writes to
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for mail", e);
        }
    }
}
