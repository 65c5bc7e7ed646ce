package dev.authfn.core.jwt;

import static dev.authfn.core.jwt.TokenForge.AUDIENCE;
import static dev.authfn.core.jwt.TokenForge.CLIENT_ID;
import static dev.authfn.core.jwt.TokenForge.CLOCK;
import static dev.authfn.core.jwt.TokenForge.ISSUER;
import static dev.authfn.core.jwt.TokenForge.NOW;
import static dev.authfn.core.jwt.TokenForge.claims;
import static dev.authfn.core.jwt.TokenForge.encode;
import static dev.authfn.core.jwt.TokenForge.header;
import static dev.authfn.core.jwt.TokenForge.part;
import static dev.authfn.core.jwt.TokenForge.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.authfn.core.authz.Amr;
import dev.authfn.core.jwt.AccessTokenResult.Reason;
import dev.authfn.core.jwt.AccessTokenResult.Rejected;
import dev.authfn.core.jwt.AccessTokenResult.Verified;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessTokenVerifierTest {
    private static final String BASE64URL_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final List<JWSAlgorithm> ALGORITHMS = List.of(
            JWSAlgorithm.RS256, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.EdDSA, JWSAlgorithm.HS256);

    private static final String ISSUER_WITH_SLASH = ISSUER + "/";

    private static final KeySet KEYS = KeySet.generate(JWSAlgorithm.RS256, CLOCK);
    private static final KeySet EC_KEYS = KeySet.generate(JWSAlgorithm.ES256, CLOCK);
    private static final KeySet FOREIGN_KEYS = KeySet.generate(JWSAlgorithm.RS256, CLOCK);
    private static final JwtKey OUR_KEY = KEYS.activeJwtKey();

    private final AccessTokenVerifier verifier = new AccessTokenVerifier(KEYS, ISSUER, AUDIENCE, CLOCK);
    private final AccessTokenIssuer issuer = new AccessTokenIssuer(KEYS, ISSUER, AUDIENCE, CLIENT_ID, CLOCK);

    private String issued() {
        return issuer.issue("user-1", "alice", "session-1", Set.of("user"), Set.of("posts:read"), Amr.PASSWORD, NOW);
    }

    private static String signedByUs(Map<String, Object> header, Map<String, Object> claims) {
        return sign(header, claims, OUR_KEY);
    }

    private static Rejected rejected(Reason reason) {
        return new Rejected(reason);
    }

    // --- round trips ---------------------------------------------------------------------------

    static Stream<JWSAlgorithm> algorithms() {
        return ALGORITHMS.stream();
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void verifiesTokenItsIssuerSigned(JWSAlgorithm algorithm) {
        // given
        KeySet keys = KeySet.generate(algorithm, CLOCK);
        AccessTokenIssuer issuerForAlg = new AccessTokenIssuer(keys, ISSUER, AUDIENCE, CLIENT_ID, CLOCK);
        String token = issuerForAlg.issue("user-1", "alice", "session-1", Set.of("user", "admin"),
                Set.of("posts:read", "posts:create"), Amr.PASSWORD, NOW);

        // when
        AccessTokenResult result = new AccessTokenVerifier(keys, ISSUER, AUDIENCE, CLOCK).verify(token);

        // then
        String jti = (String) part(token, 1).get("jti");
        assertThat(result).isEqualTo(new Verified(new AccessTokenClaims("user-1", "alice", "session-1",
                Set.of("user", "admin"), Set.of("posts:read", "posts:create"), CLIENT_ID, jti, NOW,
                NOW.plus(AccessTokenIssuer.DEFAULT_LIFETIME))));
    }

    @Test
    void verifiesTokenWhoseAudienceListIncludesOurs() {
        Map<String, Object> claims = claims();
        claims.put("aud", List.of("https://other.example.com", AUDIENCE));

        assertThat(verifier.verify(signedByUs(header(OUR_KEY), claims))).isInstanceOf(Verified.class);
    }

    // --- size and shape ------------------------------------------------------------------------

    @Test
    void refusesOneMegabyteTokenQuicklyAsTooLarge() {
        // given
        String claimsPart = encode("{\"sub\":\"" + "a".repeat(1024 * 1024) + "\"}");
        String token = encode(header(OUR_KEY)) + "." + claimsPart + ".c2ln";

        // when
        AccessTokenResult result = assertTimeout(Duration.ofSeconds(1), () -> verifier.verify(token));

        // then
        assertThat(result).isEqualTo(rejected(Reason.TOO_LARGE));
    }

    @Test
    void refusesSixteenKilobyteHeaderAsTooLarge() {
        Map<String, Object> header = header(OUR_KEY);
        header.put("pad", "x".repeat(16 * 1024));

        assertThat(verifier.verify(signedByUs(header, claims()))).isEqualTo(rejected(Reason.TOO_LARGE));
    }

    @Test
    void refusesHundredThousandNestedArraysWithoutStackOverflow() {
        // given
        int depth = 100_000;
        String claimsPart = encode("{\"sub\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
        String token = sign(encode(header(OUR_KEY)), claimsPart, OUR_KEY);

        // when
        AccessTokenResult result = assertDoesNotThrow(() -> verifier.verify(token));

        // then
        assertThat(result).isEqualTo(rejected(Reason.TOO_LARGE));
    }

    @Test
    void refusesDeepNestingThatFitsTheSizeCapAsMalformed() {
        // given: signed by our key, so only the nesting is wrong
        int depth = 2_000;
        String claimsPart = encode("{\"sub\":" + "[".repeat(depth) + "]".repeat(depth) + "}");
        String nestedClaims = sign(encode(header(OUR_KEY)), claimsPart, OUR_KEY);
        String nestedHeader = encode("{\"alg\":\"RS256\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}")
                + "." + encode(claims()) + ".c2ln";
        assertThat(nestedClaims.length()).isLessThanOrEqualTo(AccessTokenVerifier.MAX_TOKEN_CHARS);
        assertThat(nestedHeader.length()).isLessThanOrEqualTo(AccessTokenVerifier.MAX_TOKEN_CHARS);

        // when / then
        assertThat(assertDoesNotThrow(() -> verifier.verify(nestedClaims))).isEqualTo(rejected(Reason.MALFORMED));
        assertThat(assertDoesNotThrow(() -> verifier.verify(nestedHeader))).isEqualTo(rejected(Reason.MALFORMED));
    }

    @Test
    void readsATokenOfExactlyTheMaximumLengthAndNoLonger() {
        String longest = "a".repeat(AccessTokenVerifier.MAX_TOKEN_CHARS);

        assertThat(verifier.verify(longest)).isEqualTo(rejected(Reason.MALFORMED));
        assertThat(verifier.verify(longest + "a")).isEqualTo(rejected(Reason.TOO_LARGE));
    }

    @Test
    void takesFivePartsForAJweEvenWhenTheFirstIsEmpty() {
        assertThat(verifier.verify(".b.c.d.e")).isEqualTo(rejected(Reason.ENCRYPTED));
        assertThat(verifier.verify("a.b.c.d.e")).isEqualTo(rejected(Reason.ENCRYPTED));
    }

    @Test
    void refusesJweAsEncrypted() throws Exception {
        // given: a JWE encrypted to our own public key
        EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
                JWTClaimsSet.parse(claims()));
        jwe.encrypt(new RSAEncrypter((RSAKey) OUR_KEY.publicJwk().orElseThrow()));

        // when / then
        assertThat(verifier.verify(jwe.serialize())).isEqualTo(rejected(Reason.ENCRYPTED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "a.b", "a.b.c.d", ".", "..", "...", "a..b", "eyJ.eyJ.", "\u0000.\u0000.\u0000",
            "a.b.c.d.e.f", "e30.e30.", "W10.e30.", "bnVsbA.e30.", "e30=.e30.", "e3 0.e30.", "e30.e30.+/+/"})
    void refusesGarbageAsMalformed(String garbage) {
        assertThat(verifier.verify(garbage)).isEqualTo(rejected(Reason.MALFORMED));
    }

    @Test
    void refusesBlankIssuerOrAudienceAtInit() {
        assertThatThrownBy(() -> new AccessTokenVerifier(KEYS, " ", AUDIENCE, CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccessTokenVerifier(KEYS, ISSUER, null, CLOCK))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesNullAsMalformed() {
        assertThat(verifier.verify(null)).isEqualTo(rejected(Reason.MALFORMED));
    }

    @Test
    void refusesHeaderWithoutAlgAsMalformed() {
        Map<String, Object> header = header(OUR_KEY);
        header.remove("alg");
        String token = encode(header) + "." + encode(claims()) + ".c2ln";

        assertThat(verifier.verify(token)).isEqualTo(rejected(Reason.MALFORMED));
    }

    @Test
    void refusesClaimsThatAreNotJsonAsMalformed() {
        String token = sign(encode(header(OUR_KEY)), encode("not json"), OUR_KEY);

        assertThat(verifier.verify(token)).isEqualTo(rejected(Reason.MALFORMED));
    }

    @Test
    void refusesNonCanonicalBase64UrlThatDecodesToTheSameSignature() {
        // given: a last character differing only in bits the decoder drops
        String token = issued();
        char last = token.charAt(token.length() - 1);
        char twin = BASE64URL_ALPHABET.charAt(BASE64URL_ALPHABET.indexOf(last) ^ 1);
        String twinToken = token.substring(0, token.length() - 1) + twin;
        String signature = token.substring(token.lastIndexOf('.') + 1);
        String twinSignature = twinToken.substring(twinToken.lastIndexOf('.') + 1);
        assertThat(new Base64URL(twinSignature).decode()).isEqualTo(new Base64URL(signature).decode());

        // when / then
        assertThat(verifier.verify(twinToken)).isEqualTo(rejected(Reason.MALFORMED));
    }

    @Test
    void refusesAHeaderSpelledNonCanonicallyEvenWhenTheSignatureCoversThatSpelling() {
        // given: a header whose last character differs only in bits nimbus's decoder drops, signed
        // by our key over exactly that text (so only the screen can tell)
        Map<String, Object> header = header(OUR_KEY);
        header.put("pad", "");
        while (encode(header).length() % 4 == 0) {
            header.put("pad", header.get("pad") + "x");
        }
        String canonical = encode(header);
        char last = canonical.charAt(canonical.length() - 1);
        String twin = canonical.substring(0, canonical.length() - 1)
                + BASE64URL_ALPHABET.charAt(BASE64URL_ALPHABET.indexOf(last) ^ 1);
        assertThat(new Base64URL(twin).decode()).isEqualTo(new Base64URL(canonical).decode());

        // when / then
        assertThat(verifier.verify(sign(canonical, encode(claims()), OUR_KEY))).isInstanceOf(Verified.class);
        assertThat(verifier.verify(sign(twin, encode(claims()), OUR_KEY))).isEqualTo(rejected(Reason.MALFORMED));
    }

    // --- header ----------------------------------------------------------------------------------

    static Stream<String> noneInEveryLetterCase() {
        List<String> spellings = new ArrayList<>();
        for (int mask = 0; mask < 16; mask++) {
            StringBuilder spelling = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                char c = "none".charAt(i);
                spelling.append((mask & (1 << i)) != 0 ? Character.toUpperCase(c) : c);
            }
            spellings.add(spelling.toString());
        }
        return spellings.stream();
    }

    @ParameterizedTest
    @MethodSource("noneInEveryLetterCase")
    void refusesAlgNoneInAnyLetterCaseWithSignatureStripped(String none) {
        Map<String, Object> header = header(OUR_KEY);
        header.put("alg", none);
        String token = encode(header) + "." + encode(claims()) + ".";

        assertThat(verifier.verify(token)).isEqualTo(rejected(Reason.ALG_NONE));
    }

    @ParameterizedTest
    @MethodSource("noneInEveryLetterCase")
    void refusesAlgNoneInAnyLetterCaseWithSignatureKept(String none) {
        String valid = issued();
        Map<String, Object> header = part(valid, 0);
        header.put("alg", none);
        String token = encode(header) + valid.substring(valid.indexOf('.'));

        assertThat(verifier.verify(token)).isEqualTo(rejected(Reason.ALG_NONE));
    }

    @Test
    void refusesHs256KeyedWithOurRsaPublicKeyAsAlgNotAllowed() throws Exception {
        // given: the classic algorithm confusion, HMAC keyed with the published RSA key
        byte[] publicKeyBytes = ((AsymmetricJWK) OUR_KEY.publicJwk().orElseThrow()).toPublicKey().getEncoded();
        Map<String, Object> header = header(OUR_KEY);
        header.put("alg", "HS256");
        String token = sign(encode(header), encode(claims()), new MACSigner(publicKeyBytes));

        // when / then
        assertThat(verifier.verify(token)).isEqualTo(rejected(Reason.ALG_NOT_ALLOWED));
    }

    @Test
    void refusesHs256KeyedWithOurEcPublicKeyAsAlgNotAllowed() throws Exception {
        // given
        JwtKey ecKey = EC_KEYS.activeJwtKey();
        byte[] publicKeyBytes = ((AsymmetricJWK) ecKey.publicJwk().orElseThrow()).toPublicKey().getEncoded();
        Map<String, Object> header = header(ecKey);
        header.put("alg", "HS256");
        String token = sign(encode(header), encode(claims()), new MACSigner(publicKeyBytes));

        // when
        AccessTokenResult result = new AccessTokenVerifier(EC_KEYS, ISSUER, AUDIENCE, CLOCK).verify(token);

        // then
        assertThat(result).isEqualTo(rejected(Reason.ALG_NOT_ALLOWED));
    }

    @Test
    void refusesAlgorithmConfusionWhileAnHs256KeyStillVerifies() throws Exception {
        // given: moving from HS256 to RS256, the old secret is still verify-only, so HS256 is allowed
        KeySet mixed = KeySet.generate(JWSAlgorithm.HS256, CLOCK).rotateJwt(JWSAlgorithm.RS256, CLOCK);
        AccessTokenVerifier mixedVerifier = new AccessTokenVerifier(mixed, ISSUER, AUDIENCE, CLOCK);
        JwtKey rsaKey = mixed.activeJwtKey();
        JwtKey hmacKey = mixed.verifyingJwtKeys().get(1);
        byte[] publicKeyBytes = ((AsymmetricJWK) rsaKey.publicJwk().orElseThrow()).toPublicKey().getEncoded();
        Map<String, Object> namingRsaKey = header(rsaKey);
        namingRsaKey.put("alg", "HS256");
        Map<String, Object> namingHmacKey = header(hmacKey);

        // when
        AccessTokenResult viaRsaKid = mixedVerifier.verify(
                sign(encode(namingRsaKey), encode(claims()), new MACSigner(publicKeyBytes)));
        AccessTokenResult viaHmacKid = mixedVerifier.verify(
                sign(encode(namingHmacKey), encode(claims()), new MACSigner(publicKeyBytes)));

        // then
        assertThat(viaRsaKid).isEqualTo(rejected(Reason.ALG_NOT_ALLOWED));
        assertThat(viaHmacKid).isEqualTo(rejected(Reason.BAD_SIGNATURE));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS256", "RS512", "ES256", "PS256", "EdDSA", "rs256", "XYZ"})
    void refusesAlgorithmOutsideTheAllowlist(String alg) {
        Map<String, Object> header = header(OUR_KEY);
        header.put("alg", alg);
        String token = encode(header) + "." + encode(claims()) + ".c2ln";

        assertThat(verifier.verify(token)).isEqualTo(rejected(Reason.ALG_NOT_ALLOWED));
    }

    static Stream<Arguments> keyReferences() {
        JwtKey attackerKey = FOREIGN_KEYS.activeJwtKey();
        return Stream.of(
                Arguments.of("jku", (Object) "http://127.0.0.1:%d/jwks.json"),
                Arguments.of("x5u", (Object) "http://127.0.0.1:%d/cert.pem"),
                Arguments.of("jwk", attackerKey.publicJwk().orElseThrow().toJSONObject()),
                Arguments.of("x5c", List.of(Base64URL.encode("not a real certificate").toString())));
    }

    @ParameterizedTest
    @MethodSource("keyReferences")
    void refusesKeyInHeaderWithoutFetchingAnything(String member, Object value) throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            // given: an attacker's token pointing at a listener we watch, signed by the attacker's key
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.configureBlocking(false);
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            JwtKey attackerKey = FOREIGN_KEYS.activeJwtKey();
            Map<String, Object> header = header(attackerKey);
            header.put(member, value instanceof String url ? url.formatted(port) : value);
            String token = sign(header, claims(), attackerKey);

            // when
            AccessTokenResult result = verifier.verify(token);

            // then: a fetch would have been made synchronously, so it would be waiting now
            assertThat(result).isEqualTo(rejected(Reason.KEY_IN_HEADER));
            assertThat(listener.accept()).isNull();
        }
    }

    @Test
    void refusesUnknownCriticalHeader() {
        Map<String, Object> header = header(OUR_KEY);
        header.put("crit", List.of("urn:example:unknown"));
        header.put("urn:example:unknown", true);

        assertThat(verifier.verify(signedByUs(header, claims()))).isEqualTo(rejected(Reason.CRITICAL_HEADER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "jwt", "application/jwt", "at+jwt ", "application/at+jwt"})
    void refusesTypOtherThanAtJwt(String typ) {
        Map<String, Object> header = header(OUR_KEY);
        header.put("typ", typ);

        assertThat(verifier.verify(signedByUs(header, claims()))).isEqualTo(rejected(Reason.WRONG_TYP));
    }

    @Test
    void refusesMissingTyp() {
        Map<String, Object> header = header(OUR_KEY);
        header.remove("typ");

        assertThat(verifier.verify(signedByUs(header, claims()))).isEqualTo(rejected(Reason.WRONG_TYP));
    }

    @Test
    void refusesUnknownKid() {
        Map<String, Object> header = header(OUR_KEY);
        header.put("kid", "jwt-20250301-000000000000");

        assertThat(verifier.verify(signedByUs(header, claims()))).isEqualTo(rejected(Reason.UNKNOWN_KID));
    }

    @Test
    void refusesMissingKid() {
        Map<String, Object> header = header(OUR_KEY);
        header.remove("kid");

        assertThat(verifier.verify(signedByUs(header, claims()))).isEqualTo(rejected(Reason.UNKNOWN_KID));
    }

    // --- signature -------------------------------------------------------------------------------

    @Test
    void refusesTokenWithOneSignatureBitFlipped() {
        // given
        String token = issued();
        int dot = token.lastIndexOf('.');
        byte[] signature = new Base64URL(token.substring(dot + 1)).decode();
        signature[10] ^= 0x01;

        // when
        AccessTokenResult result = verifier.verify(token.substring(0, dot + 1) + Base64URL.encode(signature));

        // then
        assertThat(result).isEqualTo(rejected(Reason.BAD_SIGNATURE));
    }

    @Test
    void refusesClaimsEditedUnderTheOriginalSignature() {
        // given
        String token = issued();
        String[] parts = token.split("\\.");
        Map<String, Object> claims = part(token, 1);
        claims.put("roles", List.of("admin"));

        // when
        AccessTokenResult result = verifier.verify(parts[0] + "." + encode(claims) + "." + parts[2]);

        // then
        assertThat(result).isEqualTo(rejected(Reason.BAD_SIGNATURE));
    }

    @Test
    void refusesTokenSignedWithAnotherKeyUnderOurKid() {
        String token = sign(header(OUR_KEY), claims(), FOREIGN_KEYS.activeJwtKey());

        assertThat(verifier.verify(token)).isEqualTo(rejected(Reason.BAD_SIGNATURE));
    }

    @Test
    void refusesTokenWithSignatureStrippedAsMalformed() {
        String token = issued();

        assertThat(verifier.verify(token.substring(0, token.lastIndexOf('.') + 1)))
                .isEqualTo(rejected(Reason.MALFORMED));
    }

    @Test
    void verifiesTokenOfVerifyOnlyKeyAfterRotation() {
        // given
        String token = issued();
        KeySet rotated = KEYS.rotate(KeyPurpose.JWT, CLOCK);

        // when
        AccessTokenResult result = new AccessTokenVerifier(rotated, ISSUER, AUDIENCE, CLOCK).verify(token);

        // then
        assertThat(result).isInstanceOf(Verified.class);
    }

    @Test
    void refusesTokenOfRetiredKeyAsUnknownKid() {
        // given
        String token = issued();
        KeySet retired = KEYS.rotate(KeyPurpose.JWT, CLOCK).retire(OUR_KEY.kid());

        // when
        AccessTokenResult result = new AccessTokenVerifier(retired, ISSUER, AUDIENCE, CLOCK).verify(token);

        // then
        assertThat(result).isEqualTo(rejected(Reason.UNKNOWN_KID));
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void neverVerifiesTokenWithAnySingleCharacterChanged(JWSAlgorithm algorithm) {
        // given
        KeySet keys = KeySet.generate(algorithm, CLOCK);
        AccessTokenVerifier verifierForAlg = new AccessTokenVerifier(keys, ISSUER, AUDIENCE, CLOCK);
        String token = new AccessTokenIssuer(keys, ISSUER, AUDIENCE, CLIENT_ID, CLOCK)
                .issue("user-1", "alice", "session-1", Set.of("user"), Set.of("posts:read"), Amr.PASSWORD, NOW);
        assertThat(verifierForAlg.verify(token)).isInstanceOf(Verified.class);

        // when: at every position, each base64url character one bit away (six per position; the
        // low bits are those a lenient decoder drops at the end of a part)
        List<String> verifiedMutants = new ArrayList<>();
        for (int i = 0; i < token.length(); i++) {
            int value = BASE64URL_ALPHABET.indexOf(token.charAt(i));
            if (value < 0) {
                continue; // a dot
            }
            for (int bit = 0; bit < 6; bit++) {
                char substitute = BASE64URL_ALPHABET.charAt(value ^ (1 << bit));
                String mutant = token.substring(0, i) + substitute + token.substring(i + 1);
                if (verifierForAlg.verify(mutant) instanceof Verified) {
                    verifiedMutants.add(i + ":" + substitute);
                }
            }
        }

        // then
        assertThat(verifiedMutants).isEmpty();
    }

    // --- claims ----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"iss", "aud", "sub", "exp", "iat", "jti", "client_id", "sid", "preferred_username"})
    void refusesTokenMissingRequiredClaim(String claim) {
        Map<String, Object> claims = claims();
        claims.remove(claim);

        assertThat(verifier.verify(signedByUs(header(OUR_KEY), claims))).isEqualTo(rejected(Reason.MISSING_CLAIM));
    }

    @Test
    void refusesTokenWithoutExpAsMissingClaim() {
        Map<String, Object> claims = claims();
        claims.remove("exp");

        assertThat(verifier.verify(signedByUs(header(OUR_KEY), claims))).isEqualTo(rejected(Reason.MISSING_CLAIM));
    }

    @Test
    void refusesTokenWithoutAudAsMissingClaim() {
        Map<String, Object> claims = claims();
        claims.remove("aud");

        assertThat(verifier.verify(signedByUs(header(OUR_KEY), claims))).isEqualTo(rejected(Reason.MISSING_CLAIM));
    }

    @Test
    void refusesForeignAudience() {
        Map<String, Object> claims = claims();
        claims.put("aud", "https://other.example.com");

        assertThat(verifier.verify(signedByUs(header(OUR_KEY), claims))).isEqualTo(rejected(Reason.WRONG_AUDIENCE));
    }

    @ParameterizedTest
    @ValueSource(strings = {ISSUER_WITH_SLASH, "https://AUTH.example.com", "http://auth.example.com", "https://evil.example"})
    void refusesIssuerThatIsNotExactlyOurs(String iss) {
        Map<String, Object> claims = claims();
        claims.put("iss", iss);

        assertThat(verifier.verify(signedByUs(header(OUR_KEY), claims))).isEqualTo(rejected(Reason.WRONG_ISSUER));
    }

    @Test
    void refusesTokenExpiredBeyondTheClockSkew() {
        // given: issued at NOW for five minutes; 61 s past exp
        Clock later = Clock.fixed(NOW.plusSeconds(300 + 61), ZoneOffset.UTC);

        // when
        AccessTokenResult result = new AccessTokenVerifier(KEYS, ISSUER, AUDIENCE, later).verify(issued());

        // then
        assertThat(result).isEqualTo(rejected(Reason.EXPIRED));
    }

    @Test
    void verifiesTokenExpiredWithinTheClockSkew() {
        // given: 59 s past exp, with the default 60 s skew
        Clock later = Clock.fixed(NOW.plusSeconds(300 + 59), ZoneOffset.UTC);

        // when
        AccessTokenResult result = new AccessTokenVerifier(KEYS, ISSUER, AUDIENCE, later).verify(issued());

        // then
        assertThat(result).isInstanceOf(Verified.class);
    }

    @Test
    void honoursConfiguredClockSkew() {
        Clock later = Clock.fixed(NOW.plusSeconds(300 + 5), ZoneOffset.UTC);

        AccessTokenResult result =
                new AccessTokenVerifier(KEYS, ISSUER, AUDIENCE, Duration.ZERO, later).verify(issued());

        assertThat(result).isEqualTo(rejected(Reason.EXPIRED));
    }

    @Test
    void refusesTokenNotYetValid() {
        Map<String, Object> claims = claims();
        claims.put("nbf", NOW.getEpochSecond() + 300);

        assertThat(verifier.verify(signedByUs(header(OUR_KEY), claims))).isEqualTo(rejected(Reason.NOT_YET_VALID));
    }

    @Test
    void refusesTokenIssuedInTheFutureBeyondTheSkewAndAcceptsOneWithinIt() {
        Map<String, Object> ahead = claims();
        ahead.put("iat", NOW.getEpochSecond() + 61);
        Map<String, Object> withinSkew = claims();
        withinSkew.put("iat", NOW.getEpochSecond() + 60);

        assertThat(verifier.verify(signedByUs(header(OUR_KEY), ahead))).isEqualTo(rejected(Reason.NOT_YET_VALID));
        assertThat(verifier.verify(signedByUs(header(OUR_KEY), withinSkew)))
                .isInstanceOf(AccessTokenResult.Verified.class);
    }

    @Test
    void refusesRegisteredClaimOfWrongTypeAsMalformed() {
        Map<String, Object> claims = claims();
        claims.put("exp", "tomorrow");

        assertThat(verifier.verify(signedByUs(header(OUR_KEY), claims))).isEqualTo(rejected(Reason.MALFORMED));
    }

    @ParameterizedTest
    @MethodSource("badRoles")
    void refusesUnusableRolesAsBadClaim(Object roles) {
        Map<String, Object> claims = claims();
        claims.put("roles", roles);

        assertThat(verifier.verify(signedByUs(header(OUR_KEY), claims))).isEqualTo(rejected(Reason.BAD_CLAIM));
    }

    static Stream<Object> badRoles() {
        return Stream.of("admin", List.of(1, 2), Map.of("admin", true));
    }

    /** Tokens issued before {@code amr}, {@code auth_time} and {@code acr} existed stay valid until they expire. */
    @Test
    void verifiesATokenWithoutAmrAsAPasswordSessionAuthenticatedAtIat() {
        Map<String, Object> claims = claims();
        claims.remove("amr");
        claims.remove("auth_time");
        claims.remove("acr");

        AccessTokenClaims read = ((Verified) verifier.verify(signedByUs(header(OUR_KEY), claims))).claims();

        assertThat(read.amr()).containsExactly("pwd");
        assertThat(read.authTime()).isEqualTo(NOW);
        assertThat(read.acr()).isEqualTo("urn:authfn:acr:sfa");
    }

    @Test
    void readsAmrAndAuthTimeAndDerivesAcrNeverTrustingAnAcrClaim() {
        Map<String, Object> claims = claims();
        claims.put("amr", List.of("pwd", "otp", "mfa"));
        claims.put("auth_time", NOW.getEpochSecond() - 60);
        Map<String, Object> lying = claims();
        lying.put("acr", "urn:authfn:acr:mfa");

        AccessTokenClaims read = ((Verified) verifier.verify(signedByUs(header(OUR_KEY), claims))).claims();
        AccessTokenClaims liar = ((Verified) verifier.verify(signedByUs(header(OUR_KEY), lying))).claims();

        assertThat(read.amr()).containsExactly("pwd", "otp", "mfa");
        assertThat(read.authTime()).isEqualTo(NOW.minusSeconds(60));
        assertThat(read.acr()).isEqualTo("urn:authfn:acr:mfa");
        assertThat(liar.acr()).as("acr follows amr, not the claim").isEqualTo("urn:authfn:acr:sfa");
    }

    @ParameterizedTest
    @MethodSource("badAuthentication")
    void refusesUnusableAmrOrAuthTimeAsBadClaim(String claim, Object value) {
        Map<String, Object> claims = claims();
        claims.put(claim, value);

        assertThat(verifier.verify(signedByUs(header(OUR_KEY), claims))).isEqualTo(rejected(Reason.BAD_CLAIM));
    }

    static Stream<Arguments> badAuthentication() {
        return Stream.of(Arguments.of("amr", "pwd"), Arguments.of("amr", List.of()), Arguments.of("amr", List.of(1)),
                Arguments.of("amr", List.of("pwd otp")), Arguments.of("auth_time", "yesterday"),
                Arguments.of("auth_time", List.of(1)));
    }
}
