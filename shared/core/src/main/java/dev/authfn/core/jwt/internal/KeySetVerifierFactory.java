package dev.authfn.core.jwt.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import java.security.Key;
import java.security.interfaces.EdECPublicKey;
import java.util.HashSet;
import java.util.Set;

/** nimbus's verifier factory, plus {@link JdkEd25519Verifier} for EdDSA. */
public final class KeySetVerifierFactory implements JWSVerifierFactory {
    private final DefaultJWSVerifierFactory defaults = new DefaultJWSVerifierFactory();

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        if (JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) && key instanceof EdECPublicKey ed25519) {
            return new JdkEd25519Verifier(ed25519);
        }
        return defaults.createJWSVerifier(header, key);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        Set<JWSAlgorithm> algorithms = new HashSet<>(defaults.supportedJWSAlgorithms());
        algorithms.add(JWSAlgorithm.EdDSA);
        return algorithms;
    }

    @Override
    public JCAContext getJCAContext() {
        return defaults.getJCAContext();
    }
}
