package dev.authfn.local.runtime;

/**
 * A handler threw, or its constructor did (an init error, which Lambda also reports on the
 * invocation). The cause is the handler's own exception; the message names the function.
 */
public final class InvocationException extends Exception {

    InvocationException(String message, Throwable cause) {
        super(message, cause);
    }
}
