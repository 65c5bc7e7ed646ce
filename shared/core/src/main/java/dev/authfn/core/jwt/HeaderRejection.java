package dev.authfn.core.jwt;

import com.nimbusds.jose.proc.BadJOSEException;
import dev.authfn.core.jwt.AccessTokenResult.Reason;
import java.util.Objects;

/**
 * A header refused by {@link AccessTokenTypeVerifier}. A {@link BadJOSEException} because that is
 * what a type verifier may throw; the message is for people, the verifier reads {@link #reason()}.
 */
final class HeaderRejection extends BadJOSEException implements TokenRejection {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    HeaderRejection(Reason reason, String detail) {
        super("access token header rejected (" + reason + "): " + detail);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Reason reason() {
        return reason;
    }
}
