package dev.authfn.core.keys;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.util.Objects;
import java.util.Optional;

/**
 * One access-token signing key of the key set: the private JWK (RSA, EC P-256, OKP Ed25519, or
 * oct for HS256) and its status. {@code toString} never shows the key material.
 */
public record JwtKey(JWK jwk, KeyStatus status) {

    public JwtKey {
        Objects.requireNonNull(jwk, "jwk");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(jwk.getKeyID(), "kid");
        Objects.requireNonNull(jwk.getAlgorithm(), "alg");
    }

    public String kid() {
        return jwk.getKeyID();
    }

    /** The one algorithm this key signs and verifies with (its {@code alg}). */
    public JWSAlgorithm algorithm() {
        return JWSAlgorithm.parse(jwk.getAlgorithm().getName());
    }

    /** {@link #algorithm()}'s name, e.g. {@code RS256}, as discovery documents list it. */
    public String algorithmName() {
        return jwk.getAlgorithm().getName();
    }

    public boolean canVerify() {
        return status != KeyStatus.RETIRED;
    }

    /** The part others may see: the public key, or empty for an HS256 secret. */
    public Optional<JWK> publicJwk() {
        return jwk instanceof OctetSequenceKey ? Optional.empty() : Optional.of(jwk.toPublicJWK());
    }

    /** What a verifier needs: the public key, or for HS256 the shared secret itself. */
    public JWK verificationJwk() {
        return publicJwk().orElse(jwk);
    }

    @Override
    public String toString() {
        return "JwtKey[kid=" + kid() + ", alg=" + algorithm() + ", status=" + status + "]";
    }
}
