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
import java.security.interfaces.RSAPublicKey;
import java.util.Collection;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/**
 * nimbus's verifier factory, plus {@link JdkEd25519Verifier} for EdDSA and {@link JdkRsaVerifier}
 * for RS256/RS384/RS512 (PS256 stays with nimbus's own), with the verifier for each
 * of the key set's keys made once, at construction, and handed out again for that key (these
 * verifiers are thread-safe). Any other key gets a new verifier.
 */
public final class KeySetVerifierFactory implements JWSVerifierFactory {
    private final DefaultJWSVerifierFactory defaults = new DefaultJWSVerifierFactory();
    private final Map<Key, JWSVerifier> prepared;
    private final Set<JWSAlgorithm> supported;

    /**
     * @throws IllegalArgumentException when nimbus has no verifier for a candidate's key and
     *     algorithm
     */
    public KeySetVerifierFactory(Collection<KeySetKeySelector.Candidate> candidates) {
        Map<Key, JWSVerifier> verifiers = new IdentityHashMap<>();
        for (KeySetKeySelector.Candidate candidate : candidates) {
            try {
                verifiers.put(candidate.key(), create(new JWSHeader(candidate.algorithm()), candidate.key()));
            } catch (JOSEException e) {
                throw new IllegalArgumentException("no verifier for a " + candidate.algorithm() + " key", e);
            }
        }
        this.prepared = verifiers; // never changed after construction: safe to read from any thread
        Set<JWSAlgorithm> algorithms = new HashSet<>(defaults.supportedJWSAlgorithms());
        algorithms.add(JWSAlgorithm.EdDSA);
        this.supported = Set.copyOf(algorithms);
    }

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
        JWSVerifier verifier = prepared.get(key);
        if (verifier != null && verifier.supportedJWSAlgorithms().contains(header.getAlgorithm())) {
            return verifier;
        }
        return create(header, key);
    }

    private JWSVerifier create(JWSHeader header, Key key) throws JOSEException {
        if (JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) && key instanceof EdECPublicKey ed25519) {
            return new JdkEd25519Verifier(ed25519);
        }
        if (JdkRsaVerifier.algorithms().contains(header.getAlgorithm()) && key instanceof RSAPublicKey rsa) {
            try {
                return new JdkRsaVerifier(rsa, header.getAlgorithm());
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new JOSEException("unusable RSA key for " + header.getAlgorithm(), e);
            }
        }
        return defaults.createJWSVerifier(header, key);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return supported;
    }

    @Override
    public JCAContext getJCAContext() {
        return defaults.getJCAContext();
    }
}
