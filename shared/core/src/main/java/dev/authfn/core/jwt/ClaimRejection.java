package dev.authfn.core.jwt;

import com.nimbusds.jwt.proc.BadJWTException;
import dev.authfn.core.jwt.AccessTokenResult.Reason;
import java.util.Objects;

/**
 * Claims refused by {@link AccessTokenClaimsVerifier}. A {@link BadJWTException} because that is
 * what a claims verifier may throw; the message is for people, the verifier reads {@link #reason()}.
 */
final class ClaimRejection extends BadJWTException implements TokenRejection {
    private static final long serialVersionUID = 1L;

    private final Reason reason;

    ClaimRejection(Reason reason, String detail) {
        super("access token claims rejected (" + reason + "): " + detail);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Reason reason() {
        return reason;
    }
}
