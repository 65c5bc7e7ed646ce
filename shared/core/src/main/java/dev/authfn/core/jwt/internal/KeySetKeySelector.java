package dev.authfn.core.jwt.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.KeyConverter;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.keys.internal.Ed25519Jdk;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Selects the verification key for a JWS header from a fixed set of keys, with nimbus's matching
 * rules applied once, at construction, instead of on every token.
 *
 * <p>For each key, {@link JWKMatcher#forJWSHeader} decides (as {@code JWSVerificationKeySelector}
 * would for a header with that key's {@code kid} and {@code alg}) whether the key may verify at
 * all (key type for the algorithm, {@code use} {@code sig} or absent, the curve), and the key is
 * converted to its JDK form (nimbus's {@link KeyConverter}; Ed25519 through the JDK). A header
 * then gets that key only when its {@code kid} names it, its {@code alg} is the key's and it asks
 * for no X.509 thumbprint (our keys carry no certificate, so nimbus would match none). Anything
 * else gets no key, which the access token verifier refuses as an unknown {@code kid}.
 */
public final class KeySetKeySelector implements JWSKeySelector<SecurityContext> {

    /** A key that may verify, converted once. */
    public record Candidate(JWSAlgorithm algorithm, Key key) {
    }

    private final Map<String, Candidate> byKid;
    private final Map<String, List<Key>> keyListByKid;

    /**
     * @throws IllegalArgumentException when a key cannot be converted to a JDK key (the key set's
     *     own checks make this a programming error)
     */
    public KeySetKeySelector(List<JwtKey> verifyingKeys) {
        Map<String, Candidate> candidates = new HashMap<>();
        Map<String, List<Key>> lists = new HashMap<>();
        for (JwtKey key : verifyingKeys) {
            JWSAlgorithm algorithm = key.algorithm();
            JWK jwk = key.verificationJwk();
            JWKMatcher matcher = JWKMatcher.forJWSHeader(new JWSHeader.Builder(algorithm).keyID(key.kid()).build());
            if (matcher == null || !matcher.matches(jwk)) {
                continue;
            }
            Key converted = toJdkKey(jwk);
            candidates.put(key.kid(), new Candidate(algorithm, converted));
            lists.put(key.kid(), List.of(converted));
        }
        this.byKid = Map.copyOf(candidates);
        this.keyListByKid = Map.copyOf(lists);
    }

    /** Every selectable key, by kid. */
    public Map<String, Candidate> candidates() {
        return byKid;
    }

    @Override
    public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) {
        String kid = header.getKeyID();
        Candidate candidate = kid == null ? null : byKid.get(kid);
        if (candidate == null || !candidate.algorithm().equals(header.getAlgorithm())
                || header.getX509CertSHA256Thumbprint() != null) {
            return List.of();
        }
        return keyListByKid.get(kid);
    }

    private static Key toJdkKey(JWK jwk) {
        if (jwk instanceof OctetKeyPair okp) {
            try {
                return Ed25519Jdk.publicKey(okp);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("unusable Ed25519 key " + okp.getKeyID(), e);
            }
        }
        List<Key> converted = KeyConverter.toJavaKeys(List.of(jwk));
        if (converted.size() != 1) {
            throw new IllegalArgumentException("unusable verification key " + jwk.getKeyID(),
                    new JOSEException("nimbus converted it to " + converted.size() + " keys"));
        }
        return converted.get(0);
    }
}
