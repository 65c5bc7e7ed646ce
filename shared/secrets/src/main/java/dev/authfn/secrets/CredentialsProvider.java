package dev.authfn.secrets;

import java.util.Objects;

/**
 * Where the credentials that sign a request come from. {@link SecretsManagerReader} asks for them
 * on every request, so an implementation that fetches them caches them itself and refreshes them
 * before they expire ({@link ContainerCredentials}).
 */
@FunctionalInterface
public interface CredentialsProvider {

    /**
     * The credentials to sign the next request with.
     *
     * @throws SecretUnavailableException if they cannot be had now; the message holds no secret
     */
    Credentials resolve();

    /** Always the same credentials: long-term keys, or temporary ones given by the environment. */
    static CredentialsProvider of(Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        return () -> credentials;
    }
}
