package dev.authfn.core.jwt.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.keys.internal.Ed25519Jdk;
import java.security.GeneralSecurityException;

/** The JWS signer for a key of the key set. */
public final class JwsSigners {
    private JwsSigners() {}

    public static JWSSigner forKey(JwtKey key) throws JOSEException {
        try {
            return switch (key.jwk()) {
                case RSAKey rsa -> new RSASSASigner(rsa);
                case ECKey ec -> new ECDSASigner(ec);
                case OctetSequenceKey secret -> new MACSigner(secret);
                case OctetKeyPair okp -> new JdkEd25519Signer(Ed25519Jdk.privateKey(okp));
                default -> throw new JOSEException("no signer for kty " + key.jwk().getKeyType());
            };
        } catch (GeneralSecurityException e) {
            throw new JOSEException("unusable Ed25519 key " + key.kid(), e);
        }
    }
}
