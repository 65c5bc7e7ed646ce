package dev.authfn.core.jwt.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies RS256, RS384 or RS512 JWS (one algorithm per instance) with the JDK's
 * {@link Signature}, set up for the key once per thread and reused: {@code verify} leaves it
 * ready for the next message. nimbus's {@code RSASSAVerifier} looks up and initialises a new
 * {@code Signature} for every token and decodes the signature with its own base64 codec, several
 * times slower than {@link java.util.Base64}; otherwise this does what it does, and like it, it
 * understands no {@code crit} header parameter, so any {@code crit} fails verification.
 */
public final class JdkRsaVerifier implements JWSVerifier {

    /** The smallest RSA modulus accepted, as nimbus's RSASSA verifier and the key set rules demand. */
    public static final int MIN_KEY_BITS = 2048;

    private static final Map<JWSAlgorithm, String> JCA_NAMES = Map.of(
            JWSAlgorithm.RS256, "SHA256withRSA",
            JWSAlgorithm.RS384, "SHA384withRSA",
            JWSAlgorithm.RS512, "SHA512withRSA");

    private final RSAPublicKey publicKey;
    private final JWSAlgorithm algorithm;
    /** Asked on every token (by the factory, to reuse this verifier): one set, not one per call. */
    private final Set<JWSAlgorithm> supported;
    private final String jcaName;
    private final ThreadLocal<Signature> signatures;
    private final JCAContext jcaContext = new JCAContext();

    /**
     * @throws IllegalArgumentException when {@code algorithm} is not RS256, RS384 or RS512, or the
     *     key is shorter than {@value #MIN_KEY_BITS} bits
     * @throws IllegalStateException when the JDK cannot verify it
     */
    public JdkRsaVerifier(RSAPublicKey publicKey, JWSAlgorithm algorithm) {
        this.publicKey = Objects.requireNonNull(publicKey, "publicKey");
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.supported = Set.of(algorithm);
        this.jcaName = JCA_NAMES.get(algorithm);
        if (jcaName == null) {
            throw new IllegalArgumentException("not an RSASSA-PKCS1-v1_5 algorithm: " + algorithm);
        }
        if (publicKey.getModulus().bitLength() < MIN_KEY_BITS) {
            throw new IllegalArgumentException("RSA keys must be at least " + MIN_KEY_BITS + " bits");
        }
        this.signatures = ThreadLocal.withInitial(this::newSignature);
        newSignature(); // fail here, not on the first token
    }

    /** The algorithms an instance can be made for. */
    public static Set<JWSAlgorithm> algorithms() {
        return JCA_NAMES.keySet();
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        if (!algorithm.equals(header.getAlgorithm()) || header.getCriticalParams() != null) {
            return false;
        }
        byte[] signatureBytes;
        try {
            signatureBytes = Base64.getUrlDecoder().decode(signature.toString());
        } catch (IllegalArgumentException notBase64Url) {
            return false;
        }
        Signature verifier = signatures.get();
        try {
            verifier.update(signingInput);
            return verifier.verify(signatureBytes);
        } catch (SignatureException e) {
            signatures.remove(); // its state is not to be trusted: start afresh on the next token
            return false;
        }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
        return supported;
    }

    @Override
    public JCAContext getJCAContext() {
        return jcaContext;
    }

    private Signature newSignature() {
        try {
            Signature signature = Signature.getInstance(jcaName);
            signature.initVerify(publicKey);
            return signature;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(jcaName + " verification is unavailable", e);
        }
    }
}
