package dev.authfn.core.jwt.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import dev.authfn.core.keys.internal.Ed25519Jdk;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * nimbus's {@link JWSVerificationKeySelector} over a fixed set of verification keys: a key is a
 * candidate only when the header's {@code alg} is allowed, and the key's type, {@code kid},
 * {@code use} and {@code alg} match the header. It also hands out Ed25519 keys as JDK keys, which
 * nimbus's own key conversion skips.
 */
public final class KeySetKeySelector extends JWSVerificationKeySelector<SecurityContext> {

    public KeySetKeySelector(Set<JWSAlgorithm> allowedAlgorithms, JWKSet verificationKeys) {
        super(allowedAlgorithms, new ImmutableJWKSet<>(verificationKeys));
    }

    @Override
    public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
        if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm())) {
            return super.selectJWSKeys(header, context);
        }
        JWKMatcher matcher = createJWKMatcher(header);
        if (!isAllowed(header.getAlgorithm()) || matcher == null) {
            return List.of();
        }
        List<Key> keys = new ArrayList<>();
        for (JWK match : getJWKSource().get(new JWKSelector(matcher), context)) {
            if (match instanceof OctetKeyPair okp) {
                try {
                    keys.add(Ed25519Jdk.publicKey(okp));
                } catch (GeneralSecurityException e) {
                    throw new KeySourceException("unusable Ed25519 key " + okp.getKeyID(), e);
                }
            }
        }
        return keys;
    }
}
