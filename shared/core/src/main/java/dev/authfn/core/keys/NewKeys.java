package dev.authfn.core.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.authfn.core.keys.internal.Ed25519Jdk;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Makes fresh keys and key ids for generated and rotated key sets. */
final class NewKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);
    private static final int KID_RANDOM_BYTES = 6;

    private NewKeys() {}

    /** A kid such as {@code jwt-20250301-9f0c2a7be41d}: purpose, UTC day of creation, 48 random bits. */
    static String kid(KeyPurpose purpose, Clock clock) {
        byte[] suffix = new byte[KID_RANDOM_BYTES];
        RANDOM.nextBytes(suffix);
        return purpose.wireName() + "-" + DAY.format(clock.instant()) + "-" + HexFormat.of().formatHex(suffix);
    }

    /** A private signing key for {@code algorithm} with {@code alg} and {@code use: sig} set. */
    static JWK jwt(JWSAlgorithm algorithm, String kid) {
        try {
            if (JWSAlgorithm.RS256.equals(algorithm) || JWSAlgorithm.PS256.equals(algorithm)) {
                return new RSAKeyGenerator(KeySetRules.MIN_RSA_BITS)
                        .keyID(kid).algorithm(algorithm).keyUse(KeyUse.SIGNATURE).generate();
            }
            if (JWSAlgorithm.ES256.equals(algorithm)) {
                return new ECKeyGenerator(Curve.P_256)
                        .keyID(kid).algorithm(algorithm).keyUse(KeyUse.SIGNATURE).generate();
            }
            if (JWSAlgorithm.EdDSA.equals(algorithm)) {
                return Ed25519Jdk.generate(kid);
            }
            if (JWSAlgorithm.HS256.equals(algorithm)) {
                return secret(kid, algorithm);
            }
        } catch (JOSEException | GeneralSecurityException e) {
            throw new IllegalStateException("could not generate a " + algorithm + " key", e);
        }
        throw new IllegalArgumentException(
                "unsupported JWT algorithm " + algorithm + "; use RS256, PS256, ES256, EdDSA or HS256");
    }

    /** A 256-bit HMAC key from {@link SecureRandom}, for cookies, CSRF tokens or the mfa key. */
    static JWK hmac(String kid) {
        return secret(kid, null);
    }

    private static OctetSequenceKey secret(String kid, JWSAlgorithm algorithm) {
        byte[] secret = new byte[KeySetRules.MIN_SECRET_BITS / 8];
        RANDOM.nextBytes(secret);
        OctetSequenceKey.Builder builder = new OctetSequenceKey.Builder(secret).keyID(kid);
        if (algorithm != null) {
            builder.algorithm(algorithm).keyUse(KeyUse.SIGNATURE);
        }
        return builder.build();
    }
}
