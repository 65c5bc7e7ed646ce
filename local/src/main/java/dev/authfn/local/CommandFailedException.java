package dev.authfn.local;

/** The command ran and was refused (no such user, the name is taken): one line on stderr, exit status 1. */
final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }
}
