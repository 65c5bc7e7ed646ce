package dev.authfn.core.mail;

import java.time.Instant;
import java.util.Objects;

/**
 * A mail as {@link DirectoryOutbox} keeps it.
 *
 * @param id the file name without {@code .json}; ids sort in the order the mails were written
 * @param sentAt when the outbox wrote it
 * @param mail what was sent (its {@code toString} shows no body)
 */
public record StoredMail(String id, Instant sentAt, Mail mail) {

    public StoredMail {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(mail, "mail");
    }
}
