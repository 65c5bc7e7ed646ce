package dev.authfn.local;

/**
 * A command line that parses but does not fit what it names (a template parameter the template
 * lacks, an unreadable key file, a refused password): exit status 2, like a parse error.
 */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
