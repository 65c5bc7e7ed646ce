package dev.authfn.core.mail;

import java.util.Objects;

/**
 * One mail to one recipient: a subject, a plain-text body and an HTML body of the same content.
 * The bodies of authfn's mails hold single-use tokens, so {@link #toString()} shows the
 * recipient and the subject only; log nothing else of a mail.
 *
 * @param to the recipient's address
 * @param subject one line, no token in it
 * @param text the plain-text body
 * @param html the HTML body, a whole document
 */
public record Mail(String to, String subject, String text, String html) {

    public Mail {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(html, "html");
        if (!MailAddresses.isAddress(to)) {
            throw new IllegalArgumentException("not a mail address: " + MailAddresses.printable(to));
        }
        if (subject.isBlank() || MailAddresses.hasControlCharacter(subject)) {
            throw new IllegalArgumentException("a subject is one non-blank line without control characters");
        }
    }

    @Override
    public String toString() {
        return "Mail[to=" + to + ", subject=" + subject + "]";
    }
}
