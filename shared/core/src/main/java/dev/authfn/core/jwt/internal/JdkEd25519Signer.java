package dev.authfn.core.jwt.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import dev.authfn.core.keys.internal.Ed25519Jdk;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.util.Objects;
import java.util.Set;

/** Signs {@code EdDSA} JWS with the JDK's Ed25519, where nimbus's own signer would need Tink. */
public final class JdkEd25519Signer implements JWSSigner {
    private final EdECPrivateKey privateKey;
    private final JCAContext jcaContext = new JCAContext();

    public JdkEd25519Signer(EdECPrivateKey privateKey) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            throw new JOSEException("Ed25519 keys sign EdDSA only");
        }
        try {
            Signature signature = Signature.getInstance(Ed25519Jdk.ALGORITHM);
            signature.initSign(privateKey);
            signature.update(signingInput);
            return Base64URL.encode(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new JOSEException("Ed25519 signing failed", e);
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }
}
