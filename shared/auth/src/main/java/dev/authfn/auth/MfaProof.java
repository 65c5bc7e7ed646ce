package dev.authfn.auth;

import java.util.Objects;
import java.util.Optional;

/**
 * What a user sent as their second factor: exactly one of a TOTP code or a recovery code, as
 * typed (checking normalises them). {@code toString} shows neither.
 */
public record MfaProof(Optional<String> code, Optional<String> recoveryCode) {

    public MfaProof {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(recoveryCode, "recoveryCode");
        if (code.isPresent() == recoveryCode.isPresent()) {
            throw new IllegalArgumentException("a proof is a code or a recovery code, exactly one");
        }
    }

    public static MfaProof code(String code) {
        return new MfaProof(Optional.of(code), Optional.empty());
    }

    public static MfaProof recoveryCode(String recoveryCode) {
        return new MfaProof(Optional.empty(), Optional.of(recoveryCode));
    }

    /**
     * The proof in a body's {@code code} and {@code recovery_code} members (null when absent);
     * empty unless exactly one is present.
     */
    public static Optional<MfaProof> of(String code, String recoveryCode) {
        if ((code == null) == (recoveryCode == null)) {
            return Optional.empty();
        }
        return Optional.of(code != null ? code(code) : recoveryCode(recoveryCode));
    }

    @Override
    public String toString() {
        return code.isPresent() ? "MfaProof[code=<redacted>]" : "MfaProof[recoveryCode=<redacted>]";
    }
}
