package dev.authfn.core.mail;

/**
 * Sends one mail: Amazon SES in the mailer function ({@code dev.authfn.ses.SesMailer}), a
 * directory locally ({@link DirectoryOutbox}).
 */
public interface Mailer {

    /**
     * Hands {@code mail} to the service that delivers it; returns once the service took it.
     *
     * @throws MailUnavailableException when it did not take it (unreachable, refused, throttled);
     *     its message never holds the mail's bodies
     */
    void send(Mail mail);
}
