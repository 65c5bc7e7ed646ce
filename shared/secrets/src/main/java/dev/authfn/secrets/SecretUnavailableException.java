package dev.authfn.secrets;

/**
 * Secrets Manager did not give a secret's value: the endpoint was unreachable or too slow, it
 * answered with an error, or its answer held no {@code SecretString}. Callers fail closed: at init
 * the function does not start; on a refresh it keeps the key set it has.
 *
 * <p>The message names the secret id, the HTTP status and the AWS error type (for example
 * {@code ResourceNotFoundException}); it never holds credentials, a signature or a secret value.
 */
public final class SecretUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SecretUnavailableException(String message) {
        super(message);
    }

    public SecretUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
