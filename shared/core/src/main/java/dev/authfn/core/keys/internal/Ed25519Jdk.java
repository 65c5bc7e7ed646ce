package dev.authfn.core.keys.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;

/**
 * Ed25519 with the JDK's own provider. nimbus generates, signs and verifies Ed25519 only through
 * Google Tink, which authfn does not ship; this class converts between nimbus
 * {@link OctetKeyPair} JWKs and JDK keys instead. Raw keys follow RFC 8032 section 5.1.5: the
 * private key is the 32-byte seed, the public key the 32-byte little-endian encoding of y with
 * the parity of x in the top bit.
 */
public final class Ed25519Jdk {
    public static final String ALGORITHM = "Ed25519";
    public static final int KEY_BYTES = 32;

    private Ed25519Jdk() {}

    /** A fresh Ed25519 key pair as a private JWK with {@code alg: EdDSA, use: sig}. */
    public static OctetKeyPair generate(String kid) throws GeneralSecurityException {
        KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        byte[] x = encodePoint(((EdECPublicKey) pair.getPublic()).getPoint());
        byte[] d = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow(
                () -> new GeneralSecurityException("the JDK did not expose the Ed25519 seed"));
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x))
                .d(Base64URL.encode(d))
                .keyID(kid)
                .algorithm(JWSAlgorithm.EdDSA)
                .keyUse(KeyUse.SIGNATURE)
                .build();
    }

    public static EdECPublicKey publicKey(OctetKeyPair jwk) throws GeneralSecurityException {
        requireEd25519(jwk);
        EdECPoint point = decodePoint(jwk.getDecodedX());
        return (EdECPublicKey) KeyFactory.getInstance(ALGORITHM)
                .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    }

    public static EdECPrivateKey privateKey(OctetKeyPair jwk) throws GeneralSecurityException {
        requireEd25519(jwk);
        if (!jwk.isPrivate() || jwk.getDecodedD().length != KEY_BYTES) {
            throw new GeneralSecurityException("not a private Ed25519 key");
        }
        return (EdECPrivateKey) KeyFactory.getInstance(ALGORITHM)
                .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, jwk.getDecodedD()));
    }

    private static void requireEd25519(OctetKeyPair jwk) throws GeneralSecurityException {
        if (!Curve.Ed25519.equals(jwk.getCurve()) || jwk.getDecodedX().length != KEY_BYTES) {
            throw new GeneralSecurityException("not an Ed25519 key");
        }
    }

    static byte[] encodePoint(EdECPoint point) {
        byte[] bigEndian = point.getY().toByteArray();
        byte[] littleEndian = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES && i < bigEndian.length; i++) {
            littleEndian[i] = bigEndian[bigEndian.length - 1 - i];
        }
        if (point.isXOdd()) {
            littleEndian[KEY_BYTES - 1] |= (byte) 0x80;
        }
        return littleEndian;
    }

    static EdECPoint decodePoint(byte[] littleEndian) {
        byte[] bigEndian = new byte[KEY_BYTES];
        for (int i = 0; i < KEY_BYTES; i++) {
            bigEndian[i] = littleEndian[KEY_BYTES - 1 - i];
        }
        boolean xOdd = (bigEndian[0] & 0x80) != 0;
        bigEndian[0] &= 0x7f;
        return new EdECPoint(xOdd, new BigInteger(1, bigEndian));
    }
}
