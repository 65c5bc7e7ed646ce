package dev.authfn.core.jwt;

import com.nimbusds.jose.KeySourceException;
import dev.authfn.core.jwt.AccessTokenResult.Reason;
import java.util.Objects;

/**
 * No key for the header, as found by {@link AccessTokenKeySelector}. A {@link KeySourceException}
 * only because that is the one checked exception a key selector may throw: the key source did not
 * fail, the token named no key of ours. The message is for people, the verifier reads
 * {@link #reason()}.
 */
final class KeyRejection extends KeySourceException implements TokenRejection {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    KeyRejection(Reason reason, String detail) {
        super("access token key rejected (" + reason + "): " + detail);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Reason reason() {
        return reason;
    }
}
