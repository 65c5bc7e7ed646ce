package dev.authfn.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.groups.Tuple.tuple;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.authfn.core.keys.internal.Ed25519Jdk;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeySetTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final KeySet RSA_SET = KeySet.generate(JWSAlgorithm.RS256, CLOCK);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key of the key set JSON: the JWK's members plus purpose and status. */
    private static Map<String, Object> member(JWK jwk, String purpose, String status) {
        Map<String, Object> json = new LinkedHashMap<>(jwk.toJSONObject());
        json.put("purpose", purpose);
        json.put("status", status);
        return json;
    }

    private static String keySetJson(List<Map<String, Object>> keys) {
        return JSONObjectUtils.toJSONString(Map.of("keys", keys));
    }

    private static OctetSequenceKey secret(String kid, int bits) {
        byte[] bytes = new byte[bits / 8];
        RANDOM.nextBytes(bytes);
        return new OctetSequenceKey.Builder(bytes).keyID(kid).build();
    }

    /** Every secret value (d, p, q, dp, dq, qi, k) of every key in a key set JSON. */
    private static List<String> secretValues(String keySetJson) throws Exception {
        List<String> secrets = new ArrayList<>();
        for (Map<String, Object> key : JSONObjectUtils.getJSONObjectArray(JSONObjectUtils.parse(keySetJson), "keys")) {
            for (String member : List.of("d", "p", "q", "dp", "dq", "qi", "k")) {
                if (key.get(member) instanceof String value) {
                    secrets.add(value);
                }
            }
        }
        return secrets;
    }

    // --- parse -----------------------------------------------------------------------------------

    @Test
    void parsesWhatItWrites() throws Exception {
        KeySet parsed = KeySet.parse(RSA_SET.toJson());

        assertThat(JSONObjectUtils.parse(parsed.toJson())).isEqualTo(JSONObjectUtils.parse(RSA_SET.toJson()));
        assertThat(parsed.activeJwtKey().kid()).isEqualTo(RSA_SET.activeJwtKey().kid());
        assertThat(parsed.activeHmac(KeyPurpose.COOKIE).secret()).isEqualTo(RSA_SET.activeHmac(KeyPurpose.COOKIE).secret());
    }

    @Test
    void listsEveryProblemAtOnceWithoutKeyMaterial() throws Exception {
        // given: eleven keys with one or two problems each
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        List<Map<String, Object>> keys = List.of(
                member(new RSAKeyGenerator(2048).keyID("jwt-public").algorithm(JWSAlgorithm.RS256).generate()
                        .toPublicJWK(), "jwt", "active"),
                member(new RSAKeyGenerator(1024, true).keyID("jwt-small").algorithm(JWSAlgorithm.RS256).generate(),
                        "jwt", "verify-only"),
                member(new ECKeyGenerator(Curve.P_384).keyID("jwt-p384").algorithm(JWSAlgorithm.ES256).generate(),
                        "jwt", "verify-only"),
                member(new RSAKey.Builder(rsa).keyID("jwt-mismatch").algorithm(JWSAlgorithm.ES256).build(),
                        "jwt", "verify-only"),
                member(secret("jwt-noalg", 256), "jwt", "active"),
                member(secret("cookie-short", 128), "cookie", "active"),
                member(secret("cookie-2", 256), "cookie", "active"),
                member(new RSAKey.Builder(rsa).keyID("csrf-rsa").build(), "csrf", "verify-only"),
                member(new OctetSequenceKey.Builder(secret("x", 256).toByteArray()).build(), "csrf", "verify-only"),
                member(secret("cookie-2", 256), "session", "paused"),
                Map.of("kid", "not-jwk", "kty", "RSA", "purpose", "jwt", "status", "retired"));
        String json = keySetJson(keys);

        // when
        KeySetException thrown = catchThrowableOfType(KeySetException.class, () -> KeySet.parse(json));

        // then
        assertThat(thrown.problems()).containsExactlyInAnyOrder(
                "keys[8]: kid is missing",
                "key \"cookie-2\": purpose must be one of jwt, cookie, csrf, mfa",
                "key \"cookie-2\": status must be one of active, verify-only, retired",
                "key \"not-jwk\": not a valid JWK",
                "key \"jwt-public\": a jwt key must include its private part",
                "key \"jwt-small\": RSA key has 1024 bits, needs at least 2048",
                "key \"jwt-p384\": EC key must be on curve P-256",
                "key \"jwt-mismatch\": alg ES256 does not fit a RSA key (allowed: PS256, RS256)",
                "key \"jwt-noalg\": alg is missing",
                "key \"cookie-short\": oct key has 128 bits, needs at least 256",
                "key \"csrf-rsa\": a csrf key must be an oct key",
                "kid \"cookie-2\" is used by 2 keys",
                "jwt has 2 active keys, needs exactly 1",
                "cookie has 2 active keys, needs exactly 1",
                "csrf has 0 active keys, needs exactly 1");
        assertThat(thrown.getMessage()).startsWith("invalid key set: ").contains(thrown.problems());
        assertThat(secretValues(json)).isNotEmpty().allSatisfy(secret -> assertThat(thrown.getMessage()).doesNotContain(secret));
    }

    @Test
    void refusesJwtKeyOnWrongCurveOrForEncryption() throws Exception {
        // given: an X25519 key (for key agreement, not signatures) and an RSA key marked for encryption
        OctetKeyPair x25519 = new OctetKeyPair.Builder(Curve.X25519, Base64URL.encode(new byte[32]))
                .d(Base64URL.encode(new byte[32])).keyID("jwt-x25519").algorithm(JWSAlgorithm.EdDSA).build();
        RSAKey encryption = new RSAKeyGenerator(2048).keyID("jwt-enc").algorithm(JWSAlgorithm.RS256)
                .keyUse(KeyUse.ENCRYPTION).generate();
        String json = keySetJson(List.of(
                member(x25519, "jwt", "active"),
                member(encryption, "jwt", "verify-only"),
                member(secret("cookie-1", 256), "cookie", "active"),
                member(new OctetSequenceKey.Builder(secret("csrf-1", 256)).algorithm(JWSAlgorithm.HS512).build(),
                        "csrf", "active")));

        // when / then
        assertThat(catchThrowableOfType(KeySetException.class, () -> KeySet.parse(json)).problems())
                .containsExactlyInAnyOrder(
                        "key \"jwt-x25519\": OKP key must be on curve Ed25519",
                        "key \"jwt-enc\": use must be sig",
                        "key \"csrf-1\": alg of a csrf key must be HS256 or absent");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[]", "{}", "{\"keys\":{}}", "{\"keys\":[1]}"})
    void refusesJsonThatIsNotAKeySet(String json) {
        assertThat(catchThrowableOfType(KeySetException.class, () -> KeySet.parse(json)).problems())
                .containsExactly("not a JSON object with a \"keys\" array of JWK objects");
    }

    @Test
    void refusesNull() {
        assertThatThrownBy(() -> KeySet.parse(null)).isInstanceOf(KeySetException.class);
    }

    // --- generate --------------------------------------------------------------------------------

    static Stream<Arguments> algorithms() {
        return Stream.of(
                Arguments.of(JWSAlgorithm.RS256, KeyType.RSA, 2048),
                Arguments.of(JWSAlgorithm.PS256, KeyType.RSA, 2048),
                Arguments.of(JWSAlgorithm.ES256, KeyType.EC, 256),
                Arguments.of(JWSAlgorithm.EdDSA, KeyType.OKP, 256),
                Arguments.of(JWSAlgorithm.HS256, KeyType.OCT, 256));
    }

    @ParameterizedTest
    @MethodSource("algorithms")
    void generatesOneActiveKeyPerPurpose(JWSAlgorithm algorithm, KeyType keyType, int bits) {
        // when
        KeySet keys = KeySet.generate(algorithm, CLOCK);

        // then
        JwtKey jwt = keys.activeJwtKey();
        assertThat(jwt.algorithm()).isEqualTo(algorithm);
        assertThat(jwt.jwk().getKeyType()).isEqualTo(keyType);
        assertThat(jwt.jwk().size()).isEqualTo(bits);
        assertThat(jwt.jwk().isPrivate()).isTrue();
        assertThat(jwt.jwk().getKeyUse()).isEqualTo(KeyUse.SIGNATURE);
        assertThat(jwt.status()).isEqualTo(KeyStatus.ACTIVE);
        assertThat(jwt.kid()).matches("jwt-20250301-[0-9a-f]{12}");
        assertThat(keys.verifyingJwtKeys()).containsExactly(jwt);
        for (KeyPurpose purpose : List.of(KeyPurpose.COOKIE, KeyPurpose.CSRF, KeyPurpose.MFA)) {
            HmacKey hmac = keys.activeHmac(purpose);
            assertThat(hmac.secret().getEncoded()).hasSize(32);
            assertThat(hmac.kid()).matches(purpose.wireName() + "-20250301-[0-9a-f]{12}");
            assertThat(hmac.status()).isEqualTo(KeyStatus.ACTIVE);
            assertThat(keys.verifyingHmacs(purpose)).containsExactly(hmac);
        }
        assertThat(keys.activeMfaKey()).contains(keys.activeHmac(KeyPurpose.MFA));
        assertThat(List.of(KeyPurpose.COOKIE, KeyPurpose.CSRF, KeyPurpose.MFA))
                .extracting(purpose -> keys.activeHmac(purpose).secret()).doesNotHaveDuplicates();
    }

    @Test
    void generatesOnCurveEd25519WithoutTink() {
        OctetKeyPair okp = (OctetKeyPair) KeySet.generate(JWSAlgorithm.EdDSA, CLOCK).activeJwtKey().jwk();

        assertThat(okp.getCurve()).isEqualTo(Curve.Ed25519);
        assertThat(okp.getDecodedD()).hasSize(32);
        assertThat(okp.getDecodedX()).hasSize(32);
    }

    @Test
    void generatesEcKeyOnP256() {
        ECKey ec = (ECKey) KeySet.generate(JWSAlgorithm.ES256, CLOCK).activeJwtKey().jwk();

        assertThat(ec.getCurve()).isEqualTo(Curve.P_256);
    }

    @Test
    void generatesRs256ByDefault() {
        assertThat(RSA_SET.activeJwtKey().algorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(KeySet.generate(CLOCK).activeJwtKey().algorithm()).isEqualTo(JWSAlgorithm.RS256);
    }

    @ParameterizedTest
    @ValueSource(strings = {"HS512", "RS512", "ES384", "none"})
    void refusesToGenerateForUnsupportedAlgorithm(String algorithm) {
        assertThatThrownBy(() -> KeySet.generate(JWSAlgorithm.parse(algorithm), CLOCK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unsupported JWT algorithm " + algorithm);
    }

    // --- rotate and retire -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"COOKIE", "CSRF", "MFA"})
    void rotatesHmacKeyKeepingThePreviousForVerification(KeyPurpose purpose) {
        // given
        HmacKey previous = RSA_SET.activeHmac(purpose);

        // when
        KeySet rotated = RSA_SET.rotate(purpose, CLOCK);

        // then
        HmacKey fresh = rotated.activeHmac(purpose);
        assertThat(fresh.kid()).isNotEqualTo(previous.kid());
        assertThat(fresh.secret()).isNotEqualTo(previous.secret());
        assertThat(rotated.verifyingHmacs(purpose)).extracting(HmacKey::kid, HmacKey::status).containsExactly(
                tuple(fresh.kid(), KeyStatus.ACTIVE),
                tuple(previous.kid(), KeyStatus.VERIFY_ONLY));
        assertThat(rotated.hmac(purpose, previous.kid())).isPresent();
        assertThat(rotated.activeJwtKey()).isEqualTo(RSA_SET.activeJwtKey());
    }

    @Test
    void rotatesJwtKeyWithTheSameAlgorithm() {
        KeySet rotated = RSA_SET.rotate(KeyPurpose.JWT, CLOCK);

        assertThat(rotated.activeJwtKey().kid()).isNotEqualTo(RSA_SET.activeJwtKey().kid());
        assertThat(rotated.activeJwtKey().algorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(rotated.verifyingJwtKeys()).extracting(JwtKey::kid)
                .containsExactly(rotated.activeJwtKey().kid(), RSA_SET.activeJwtKey().kid());
        assertThat(rotated.activeHmac(KeyPurpose.COOKIE)).isEqualTo(RSA_SET.activeHmac(KeyPurpose.COOKIE));
    }

    @Test
    void rotatesJwtKeyToAnotherAlgorithm() {
        KeySet rotated = RSA_SET.rotateJwt(JWSAlgorithm.ES256, CLOCK);

        assertThat(rotated.verifyingJwtKeys()).extracting(JwtKey::algorithm, JwtKey::status).containsExactly(
                tuple(JWSAlgorithm.ES256, KeyStatus.ACTIVE),
                tuple(JWSAlgorithm.RS256, KeyStatus.VERIFY_ONLY));
    }

    @Test
    void retiredKeyNoLongerVerifiesButStaysInTheJson() throws Exception {
        // given
        String oldKid = RSA_SET.activeHmac(KeyPurpose.COOKIE).kid();

        // when
        KeySet retired = RSA_SET.rotate(KeyPurpose.COOKIE, CLOCK).retire(oldKid);

        // then
        assertThat(retired.hmac(KeyPurpose.COOKIE, oldKid)).isEmpty();
        assertThat(retired.verifyingHmacs(KeyPurpose.COOKIE)).extracting(HmacKey::kid).doesNotContain(oldKid);
        assertThat(KeySet.parse(retired.toJson()).hmac(KeyPurpose.COOKIE, oldKid)).isEmpty();
        assertThat(retired.toJson()).contains("\"retired\"");
    }

    @Test
    void refusesToRetireActiveOrUnknownKey() {
        assertThatThrownBy(() -> RSA_SET.retire(RSA_SET.activeJwtKey().kid()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is active");
        assertThatThrownBy(() -> RSA_SET.retire("jwt-nope")).isInstanceOf(IllegalArgumentException.class);
    }

    // --- the mfa key, which older key sets lack --------------------------------------------------

    /** A key set as deployments made before the second factor have it: jwt, cookie and csrf only. */
    private static String keySetWithoutMfa() throws Exception {
        List<Map<String, Object>> keys = new ArrayList<>();
        for (Map<String, Object> key : JSONObjectUtils.getJSONObjectArray(JSONObjectUtils.parse(RSA_SET.toJson()), "keys")) {
            if (!"mfa".equals(key.get("purpose"))) {
                keys.add(key);
            }
        }
        assertThat(keys).hasSize(3);
        return keySetJson(keys);
    }

    @Test
    void readsAKeySetWithoutAnMfaKeyAndSaysSoAsAValue() throws Exception {
        // when
        KeySet keys = KeySet.parse(keySetWithoutMfa());

        // then
        assertThat(keys.activeMfaKey()).isEmpty();
        assertThat(keys.verifyingHmacs(KeyPurpose.MFA)).isEmpty();
        assertThat(keys.activeHmac(KeyPurpose.COOKIE)).isEqualTo(RSA_SET.activeHmac(KeyPurpose.COOKIE));
        assertThatThrownBy(() -> keys.activeHmac(KeyPurpose.MFA))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the key set has no active mfa key; add one with rotate(MFA)");
    }

    @Test
    void rotatingMfaOnAKeySetWithoutOneAddsTheFirstActiveKey() throws Exception {
        // given
        KeySet before = KeySet.parse(keySetWithoutMfa());

        // when
        KeySet rotated = before.rotate(KeyPurpose.MFA, CLOCK);

        // then
        HmacKey mfa = rotated.activeMfaKey().orElseThrow();
        assertThat(mfa.kid()).matches("mfa-20250301-[0-9a-f]{12}");
        assertThat(mfa.status()).isEqualTo(KeyStatus.ACTIVE);
        assertThat(mfa.secret().getEncoded()).hasSize(32);
        assertThat(rotated.verifyingHmacs(KeyPurpose.MFA)).containsExactly(mfa);
        assertThat(KeySet.parse(rotated.toJson()).activeMfaKey()).contains(mfa);
        assertThat(rotated.activeHmac(KeyPurpose.CSRF)).isEqualTo(before.activeHmac(KeyPurpose.CSRF));
    }

    @Test
    void writesTheMfaKeyAsAnOctKeyLikeTheCookieAndCsrfKeys() throws Exception {
        Map<String, Object> mfa = null;
        Map<String, Object> cookie = null;
        for (Map<String, Object> key : JSONObjectUtils.getJSONObjectArray(JSONObjectUtils.parse(RSA_SET.toJson()), "keys")) {
            if ("mfa".equals(key.get("purpose"))) {
                mfa = key;
            } else if ("cookie".equals(key.get("purpose"))) {
                cookie = key;
            }
        }

        assertThat(mfa).containsOnlyKeys("kty", "kid", "k", "purpose", "status")
                .containsEntry("kty", "oct").containsEntry("status", "active")
                .containsEntry("kid", RSA_SET.activeHmac(KeyPurpose.MFA).kid());
        assertThat(cookie).containsOnlyKeys(mfa.keySet());
    }

    @Test
    void keepsVerifyOnlyMfaKeysWithoutAnActiveOneButNeverCallsThemActive() throws Exception {
        // given: the only mfa key demoted by hand to verify-only
        String json = RSA_SET.toJson().replace(
                "\"purpose\":\"mfa\",\"status\":\"active\"", "\"purpose\":\"mfa\",\"status\":\"verify-only\"");
        assertThat(json).isNotEqualTo(RSA_SET.toJson());

        // when
        KeySet keys = KeySet.parse(json);

        // then
        assertThat(keys.activeMfaKey()).isEmpty();
        assertThat(keys.verifyingHmacs(KeyPurpose.MFA)).extracting(HmacKey::kid, HmacKey::status)
                .containsExactly(tuple(RSA_SET.activeHmac(KeyPurpose.MFA).kid(), KeyStatus.VERIFY_ONLY));
        assertThatThrownBy(() -> keys.activeHmac(KeyPurpose.MFA)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesTwoActiveMfaKeysAndAnMfaKeyThatIsNotAStrongOctKey() throws Exception {
        // given
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        String json = keySetJson(List.of(
                member(new RSAKeyGenerator(2048).keyID("jwt-1").algorithm(JWSAlgorithm.RS256).generate(), "jwt", "active"),
                member(secret("cookie-1", 256), "cookie", "active"),
                member(secret("csrf-1", 256), "csrf", "active"),
                member(secret("mfa-1", 256), "mfa", "active"),
                member(secret("mfa-2", 256), "mfa", "active"),
                member(secret("mfa-short", 128), "mfa", "verify-only"),
                member(new RSAKey.Builder(rsa).keyID("mfa-rsa").build(), "mfa", "retired"),
                member(new OctetSequenceKey.Builder(secret("mfa-hs512", 256)).algorithm(JWSAlgorithm.HS512).build(),
                        "mfa", "retired")));

        // when / then
        assertThat(catchThrowableOfType(KeySetException.class, () -> KeySet.parse(json)).problems())
                .containsExactlyInAnyOrder(
                        "key \"mfa-short\": oct key has 128 bits, needs at least 256",
                        "key \"mfa-rsa\": an mfa key must be an oct key",
                        "key \"mfa-hs512\": alg of an mfa key must be HS256 or absent",
                        "mfa has 2 active keys, needs at most 1");
    }

    @Test
    void stillNeedsExactlyOneActiveJwtCookieAndCsrfKey() throws Exception {
        String json = keySetJson(List.of(
                member(secret("mfa-1", 256), "mfa", "active"),
                member(secret("cookie-1", 256), "cookie", "verify-only")));

        assertThat(catchThrowableOfType(KeySetException.class, () -> KeySet.parse(json)).problems())
                .containsExactly(
                        "jwt has 0 active keys, needs exactly 1",
                        "cookie has 0 active keys, needs exactly 1",
                        "csrf has 0 active keys, needs exactly 1");
    }

    // --- lookups ---------------------------------------------------------------------------------

    @Test
    void findsHmacKeyOnlyUnderItsOwnPurpose() {
        String cookieKid = RSA_SET.activeHmac(KeyPurpose.COOKIE).kid();

        assertThat(RSA_SET.hmac(KeyPurpose.COOKIE, cookieKid)).contains(RSA_SET.activeHmac(KeyPurpose.COOKIE));
        assertThat(RSA_SET.hmac(KeyPurpose.CSRF, cookieKid)).isEmpty();
        assertThat(RSA_SET.hmac(KeyPurpose.COOKIE, "cookie-nope")).isEmpty();
    }

    @Test
    void refusesToTreatJwtKeysAsHmacKeys() {
        assertThatThrownBy(() -> RSA_SET.activeHmac(KeyPurpose.JWT)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- publishing and printing -----------------------------------------------------------------

    @Test
    void publishesPublicPartsOfNonRetiredJwtKeysOnly() throws Exception {
        // given: A retired, B verify-only, C active
        String a = RSA_SET.activeJwtKey().kid();
        KeySet twice = RSA_SET.rotate(KeyPurpose.JWT, CLOCK);
        String b = twice.activeJwtKey().kid();
        KeySet keys = twice.rotate(KeyPurpose.JWT, CLOCK).retire(a);
        String c = keys.activeJwtKey().kid();

        // when
        var published = keys.publicJwks();

        // then
        assertThat(published.getKeys()).extracting(JWK::getKeyID).containsExactlyInAnyOrder(b, c);
        assertThat(published.getKeys()).noneMatch(JWK::isPrivate);
        assertThat(published.getKeys()).allMatch(jwk -> jwk.getKeyType() == KeyType.RSA);
        String publishedJson = JSONObjectUtils.toJSONString(published.toJSONObject(false));
        assertThat(secretValues(keys.toJson())).allSatisfy(secret -> assertThat(publishedJson).doesNotContain(secret));
        assertThat(publishedJson).doesNotContain("\"d\"", "purpose", "status");
    }

    @Test
    void publishesNothingForHs256() {
        assertThat(KeySet.generate(JWSAlgorithm.HS256, CLOCK).publicJwks().getKeys()).isEmpty();
    }

    @Test
    void publishesOnlyTheAsymmetricKeyWhileAnHs256KeyStillVerifies() {
        KeySet keys = KeySet.generate(JWSAlgorithm.HS256, CLOCK).rotateJwt(JWSAlgorithm.EdDSA, CLOCK);

        assertThat(keys.publicJwks().getKeys()).extracting(JWK::getKeyID).containsExactly(keys.activeJwtKey().kid());
    }

    @Test
    void printsKidsPurposesAndStatusesButNoKeyMaterial() throws Exception {
        KeySet keys = RSA_SET.rotate(KeyPurpose.CSRF, CLOCK);

        String printed = keys.toString();

        assertThat(printed).contains(keys.activeJwtKey().kid() + " (jwt, active)",
                keys.activeHmac(KeyPurpose.COOKIE).kid() + " (cookie, active)",
                keys.activeHmac(KeyPurpose.MFA).kid() + " (mfa, active)",
                RSA_SET.activeHmac(KeyPurpose.CSRF).kid() + " (csrf, verify-only)");
        assertThat(secretValues(keys.toJson())).hasSizeGreaterThan(5)
                .allSatisfy(secret -> assertThat(printed).doesNotContain(secret));
    }

    @Test
    void refusesAnEd25519KeyWhosePublicOrPrivatePartIsNot32Bytes() throws Exception {
        // given: x of 31 bytes in one key, d of 31 bytes in the other
        OctetKeyPair good = Ed25519Jdk.generate("jwt-good");
        OctetKeyPair shortX = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(new byte[31]))
                .d(good.getD()).keyID("jwt-short-x").algorithm(JWSAlgorithm.EdDSA).build();
        OctetKeyPair shortD = new OctetKeyPair.Builder(Curve.Ed25519, good.getX())
                .d(Base64URL.encode(new byte[31])).keyID("jwt-short-d").algorithm(JWSAlgorithm.EdDSA).build();
        String json = keySetJson(List.of(
                member(good, "jwt", "active"),
                member(shortX, "jwt", "verify-only"),
                member(shortD, "jwt", "verify-only"),
                member(secret("cookie-1", 256), "cookie", "active"),
                member(secret("csrf-1", 256), "csrf", "active")));

        // when / then
        assertThat(catchThrowableOfType(KeySetException.class, () -> KeySet.parse(json)).problems())
                .containsExactlyInAnyOrder(
                        "key \"jwt-short-x\": Ed25519 key must have 32-byte x and d",
                        "key \"jwt-short-d\": Ed25519 key must have 32-byte x and d");
    }

    @Test
    void answersThePublicKeysAsTheJwksEndpointsJsonObject() {
        KeySet keys = KeySet.generate(JWSAlgorithm.EdDSA, CLOCK);

        Map<String, Object> json = keys.publicJwksJson();

        assertThat(json).isEqualTo(keys.publicJwks().toJSONObject(true));
        assertThat(json).containsOnlyKeys("keys");
        assertThat((List<?>) json.get("keys")).singleElement()
                .satisfies(key -> {
                    Map<?, ?> jwk = (Map<?, ?>) key;
                    assertThat(jwk.get("kid")).isEqualTo(keys.activeJwtKey().kid());
                    assertThat(jwk.get("crv")).isEqualTo("Ed25519");
                    assertThat(jwk.containsKey("d")).isFalse();
                });
    }
}
