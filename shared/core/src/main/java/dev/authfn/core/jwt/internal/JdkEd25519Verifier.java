package dev.authfn.core.jwt.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import dev.authfn.core.keys.internal.Ed25519Jdk;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPublicKey;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies {@code EdDSA} JWS with the JDK's Ed25519, where nimbus's own verifier would need Tink.
 * It understands no {@code crit} header parameter, so any {@code crit} fails verification.
 */
public final class JdkEd25519Verifier implements JWSVerifier {

    /** Asked on every token (by the factory, to reuse this verifier): one set, not one per call. */
    private static final Set<JWSAlgorithm> SUPPORTED = Set.of(JWSAlgorithm.EdDSA);
    private static final int SIGNATURE_BYTES = 64;

    private final EdECPublicKey publicKey;
    private final JCAContext jcaContext = new JCAContext();

    public JdkEd25519Verifier(EdECPublicKey publicKey) {
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) || header.getCriticalParams() != null) {
            return false;
        }
        byte[] signatureBytes = signature.decode();
        if (signatureBytes.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(Ed25519Jdk.ALGORITHM);
            verifier.initVerify(publicKey);
            verifier.update(signingInput);
            return verifier.verify(signatureBytes);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new JOSEException("Ed25519 verification failed", e);
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return SUPPORTED;
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }
}
