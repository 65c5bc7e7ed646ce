package dev.authfn.local.runtime;

/** A handler class named in the template cannot be hosted: missing, not a RequestHandler, or no usable constructor. */
public final class HandlerLoadException extends RuntimeException {

    public HandlerLoadException(String message) {
        super(message);
    }

    public HandlerLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
