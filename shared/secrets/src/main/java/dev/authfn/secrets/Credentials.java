package dev.authfn.secrets;

import java.util.Objects;
import java.util.Optional;

/**
 * AWS credentials that sign a request: an access key id, its secret access key and, for
 * temporary credentials such as a Lambda execution role's, a session token.
 * {@link #toString()} shows the access key id only; the secret key and the token are redacted.
 *
 * @param accessKeyId the access key id; an identifier, not a secret
 * @param secretAccessKey the secret access key
 * @param sessionToken the session token of temporary credentials, empty for long-term keys
 */
public record Credentials(String accessKeyId, String secretAccessKey, Optional<String> sessionToken) {

    public Credentials {
        requireText(accessKeyId, "accessKeyId");
        requireText(secretAccessKey, "secretAccessKey");
        Objects.requireNonNull(sessionToken, "sessionToken");
        sessionToken.ifPresent(token -> requireText(token, "sessionToken"));
    }

    @Override
    public String toString() {
        return "Credentials[accessKeyId=" + accessKeyId
                + ", secretAccessKey=<redacted>, sessionToken="
                + (sessionToken.isPresent() ? "<redacted>" : "<none>") + "]";
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
