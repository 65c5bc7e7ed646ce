package dev.authfn.core.mail;

/**
 * A mail could not be handed over: the mail service did not answer, refused the mail or the
 * sender, or the outbox could not be written. The message names the operation and the service's
 * error code, never a mail's body (which holds a token).
 */
public final class MailUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MailUnavailableException(String message) {
        super(message);
    }

    public MailUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
