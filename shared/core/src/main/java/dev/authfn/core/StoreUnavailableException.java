package dev.authfn.core;

/**
 * The session or user store could not answer (unreachable, throttled, 5xx after retries).
 * Callers fail closed: the authorizer denies, login answers 503. The message never holds
 * credentials; it names the operation and the store's error class.
 */
public final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
