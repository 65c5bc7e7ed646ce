package dev.authfn.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import dev.authfn.core.internal.Base64Url;
import dev.authfn.core.json.Json;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.mfa.MfaToken.Issued;
import dev.authfn.core.mfa.MfaToken.Verified;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MfaTokenTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final KeySet KEYS = KeySet.generate(JWSAlgorithm.HS256, CLOCK);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final MfaToken TOKENS = new MfaToken(KEYS, RANDOM);
    /** Mid-second on purpose: the expiry is whole seconds. */
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00.750Z");
    private static final Instant EXPIRES = Instant.parse("2026-12-03T10:05:00Z");
    private static final String ALICE_ID = "4a1f2c9e-2b7d-4e3a-9f0c-6d5e8b7a1c20";
    private static final String BOB_ID = "9b0e3d1c-7a6f-4f2e-8d5c-3b2a1f0e9d8c";

    /** A token as MfaToken writes one, of any payload, MACed under the mfa key of {@code keys}. */
    private static String signed(KeySet keys, String payloadJson) throws Exception {
        String body = Base64Url.encode(payloadJson.getBytes(StandardCharsets.UTF_8));
        byte[] subkey = Hkdf.expand(keys.activeMfaKey().orElseThrow().secret(),
                "authfn/mfa/token/v1".getBytes(StandardCharsets.US_ASCII));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(subkey, "HmacSHA256"));
        return body + '.' + Base64Url.encode(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The payload of a well-formed token of alice's, as a map to change one member of. */
    private static Map<String, Object> payload() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("v", 1L);
        payload.put("kid", KEYS.activeMfaKey().orElseThrow().kid());
        payload.put("sub", ALICE_ID);
        payload.put("name", "alice");
        payload.put("att", Base64Url.encode(new byte[32]));
        payload.put("exp", EXPIRES.getEpochSecond());
        return payload;
    }

    private static Map<String, Object> decodedPayload(String token) {
        String body = token.substring(0, token.indexOf('.'));
        return Json.parseObject(new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8)).orElseThrow();
    }

    private static String sha256(String text) throws Exception {
        return Base64Url.encode(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII)));
    }

    // --- issue and verify ------------------------------------------------------------------------

    @Test
    void verifiesTheTokenItIssuedAsThatUsersAttempt() {
        // when
        Issued issued = TOKENS.issue(ALICE_ID, "alice", NOW);

        // then
        assertThat(issued.expiresAt()).isEqualTo(EXPIRES);
        assertThat(TOKENS.verify(issued.token(), NOW))
                .contains(new Verified(ALICE_ID, "alice", issued.attemptHash(), EXPIRES));
    }

    @Test
    void writesAVersionedPayloadWithKidUserAttemptAndExpiryMacedUnderTheHkdfSubkey() throws Exception {
        Issued issued = TOKENS.issue(ALICE_ID, "alice", NOW);

        Map<String, Object> payload = decodedPayload(issued.token());

        assertThat(payload).containsOnlyKeys("v", "kid", "sub", "name", "att", "exp")
                .containsEntry("v", 1L)
                .containsEntry("kid", KEYS.activeMfaKey().orElseThrow().kid())
                .containsEntry("sub", ALICE_ID)
                .containsEntry("name", "alice")
                .containsEntry("exp", EXPIRES.getEpochSecond());
        String attemptId = (String) payload.get("att");
        assertThat(Base64.getUrlDecoder().decode(attemptId)).hasSize(32);
        assertThat(issued.attemptHash()).isEqualTo(sha256(attemptId)).hasSize(43);
        String body = issued.token().substring(0, issued.token().indexOf('.'));
        assertThat(signed(KEYS, new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8)))
                .isEqualTo(issued.token());
    }

    @Test
    void drawsAFreshAttemptForEveryToken() {
        Issued first = TOKENS.issue(ALICE_ID, "alice", NOW);
        Issued second = TOKENS.issue(ALICE_ID, "alice", NOW);

        assertThat(second.attemptHash()).isNotEqualTo(first.attemptHash());
        assertThat(second.token()).isNotEqualTo(first.token());
        assertThat(decodedPayload(second.token()).get("att")).isNotEqualTo(decodedPayload(first.token()).get("att"));
    }

    @Test
    void carriesAnyUnicodeUsernameExactly() {
        Issued issued = TOKENS.issue(ALICE_ID, "jöe\"\\ 😀", NOW);

        assertThat(TOKENS.verify(issued.token(), NOW)).map(Verified::username).contains("jöe\"\\ 😀");
    }

    @Test
    void neverPrintsTheToken() {
        Issued issued = TOKENS.issue(ALICE_ID, "alice", NOW);

        assertThat(issued.toString()).isEqualTo("Issued[token=<redacted>, attemptHash=" + issued.attemptHash()
                + ", expiresAt=2026-12-03T10:05:00Z]");
    }

    @Test
    void refusesToIssueWithoutAUserOrAnActiveMfaKey() {
        KeySet noActive = KeySet.parse(KEYS.toJson().replace(
                "\"purpose\":\"mfa\",\"status\":\"active\"", "\"purpose\":\"mfa\",\"status\":\"verify-only\""));

        assertThatThrownBy(() -> TOKENS.issue("", "alice", NOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an mfa token needs a user id and a username");
        assertThatThrownBy(() -> TOKENS.issue(ALICE_ID, "", NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MfaToken(noActive, RANDOM).issue(ALICE_ID, "alice", NOW))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the key set has no active mfa key; add one with ./authfn keys rotate mfa");
    }

    @Test
    void issuesTokensUpToExactlyTheLengthLimit() {
        int longest = 0;
        for (int length = 500; length < 720; length++) {
            try {
                longest = Math.max(longest, TOKENS.issue(ALICE_ID, "a".repeat(length), NOW).token().length());
            } catch (IllegalArgumentException tooLong) {
                // past the limit
            }
        }

        assertThat(longest).isEqualTo(MfaToken.MAX_LENGTH);
    }

    @Test
    void refusesToIssueATokenOverTheLengthLimit() {
        assertThatThrownBy(() -> TOKENS.issue(ALICE_ID, "a".repeat(700), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the user id and username make an mfa token over 1024 characters");
    }

    // --- expiry ----------------------------------------------------------------------------------

    @Test
    void isValidUntilJustBeforeItsExpiryAndNotAtIt() {
        String token = TOKENS.issue(ALICE_ID, "alice", NOW).token();

        assertThat(TOKENS.verify(token, EXPIRES.minusNanos(1))).isPresent();
        assertThat(TOKENS.verify(token, EXPIRES)).isEmpty();
        assertThat(TOKENS.verify(token, EXPIRES.plus(Duration.ofDays(1)))).isEmpty();
        assertThat(MfaToken.LIFETIME).isEqualTo(Duration.ofMinutes(5));
    }

    // --- users -----------------------------------------------------------------------------------

    @Test
    void aTokenForOneUserNeverVerifiesAsAnother() {
        // given
        String alices = TOKENS.issue(ALICE_ID, "alice", NOW).token();
        String bobs = TOKENS.issue(BOB_ID, "bob", NOW).token();

        // when: alice's payload under bob's MAC, and the other way round
        String alicePayloadBobMac = alices.substring(0, alices.indexOf('.')) + bobs.substring(bobs.indexOf('.'));
        String bobPayloadAliceMac = bobs.substring(0, bobs.indexOf('.')) + alices.substring(alices.indexOf('.'));

        // then
        assertThat(TOKENS.verify(alices, NOW)).map(Verified::userId).contains(ALICE_ID);
        assertThat(TOKENS.verify(bobs, NOW)).map(Verified::userId).contains(BOB_ID);
        assertThat(TOKENS.verify(alicePayloadBobMac, NOW)).isEmpty();
        assertThat(TOKENS.verify(bobPayloadAliceMac, NOW)).isEmpty();
    }

    @Test
    void aPayloadEditedToAnotherUserFailsTheMac() {
        String alices = TOKENS.issue(ALICE_ID, "alice", NOW).token();
        Map<String, Object> edited = decodedPayload(alices);
        edited.put("sub", BOB_ID);
        edited.put("name", "bob");
        String forged = Base64Url.encode(Json.write(edited).getBytes(StandardCharsets.UTF_8))
                + alices.substring(alices.indexOf('.'));

        assertThat(TOKENS.verify(forged, NOW)).isEmpty();
    }

    // --- tampering -------------------------------------------------------------------------------

    @Test
    void refusesTheTokenWithAnyOneCharacterChanged() {
        String token = TOKENS.issue(ALICE_ID, "alice", NOW).token();

        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            String tampered = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);

            assertThat(TOKENS.verify(tampered, NOW)).as("position %d", i).isEmpty();
        }
    }

    @Test
    void refusesEveryTruncationAndExtension() {
        String token = TOKENS.issue(ALICE_ID, "alice", NOW).token();

        for (int length = 0; length < token.length(); length++) {
            assertThat(TOKENS.verify(token.substring(0, length), NOW)).as("length %d", length).isEmpty();
            assertThat(TOKENS.verify(token.substring(length + 1), NOW)).as("from %d", length + 1).isEmpty();
        }
        assertThat(TOKENS.verify(token + "A", NOW)).isEmpty();
        assertThat(TOKENS.verify(token + ".", NOW)).isEmpty();
        assertThat(TOKENS.verify(token + "." + token.substring(token.indexOf('.') + 1), NOW)).isEmpty();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {".", "..", "a.b", "eyJ9.", ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void refusesWhatIsNoTokenAtAll(String presented) {
        assertThat(TOKENS.verify(presented, NOW)).isEmpty();
    }

    // --- keys ------------------------------------------------------------------------------------

    @Test
    void verifiesWithAVerifyOnlyKeyAfterRotationAndIssuesUnderTheNewOne() {
        String before = TOKENS.issue(ALICE_ID, "alice", NOW).token();
        KeySet rotated = KEYS.rotate(KeyPurpose.MFA, CLOCK);
        MfaToken afterRotation = new MfaToken(rotated, RANDOM);

        String after = afterRotation.issue(ALICE_ID, "alice", NOW).token();

        assertThat(afterRotation.verify(before, NOW)).map(Verified::userId).contains(ALICE_ID);
        assertThat(afterRotation.verify(after, NOW)).map(Verified::userId).contains(ALICE_ID);
        assertThat(decodedPayload(after).get("kid")).isEqualTo(rotated.activeMfaKey().orElseThrow().kid());
        assertThat(TOKENS.verify(after, NOW)).isEmpty();
    }

    @Test
    void refusesATokenOfARetiredOrForeignKey() {
        String token = TOKENS.issue(ALICE_ID, "alice", NOW).token();
        KeySet retired = KEYS.rotate(KeyPurpose.MFA, CLOCK).retire(KEYS.activeMfaKey().orElseThrow().kid());
        KeySet foreign = KeySet.generate(JWSAlgorithm.HS256, CLOCK);

        assertThat(new MfaToken(retired, RANDOM).verify(token, NOW)).isEmpty();
        assertThat(new MfaToken(foreign, RANDOM).verify(token, NOW)).isEmpty();
    }

    @Test
    void isNotMacedWithTheMfaKeyItselfNorTheSecretBoxSubkey() throws Exception {
        // given: alice's payload MACed with the raw mfa key and with the other subkey
        String json = Json.write(payload());
        String body = Base64Url.encode(json.getBytes(StandardCharsets.UTF_8));
        Mac raw = Mac.getInstance("HmacSHA256");
        raw.init(KEYS.activeMfaKey().orElseThrow().secret());
        Mac box = Mac.getInstance("HmacSHA256");
        box.init(new SecretKeySpec(Hkdf.expand(KEYS.activeMfaKey().orElseThrow().secret(),
                "authfn/mfa/totp-secret/v1".getBytes(StandardCharsets.US_ASCII)), "HmacSHA256"));

        // then
        assertThat(TOKENS.verify(signed(KEYS, json), NOW)).isPresent();
        assertThat(TOKENS.verify(body + '.' + Base64Url.encode(raw.doFinal(body.getBytes(StandardCharsets.US_ASCII))),
                NOW)).isEmpty();
        assertThat(TOKENS.verify(body + '.' + Base64Url.encode(box.doFinal(body.getBytes(StandardCharsets.US_ASCII))),
                NOW)).isEmpty();
    }

    // --- the payload, MACed by us and still read strictly ----------------------------------------

    static Stream<Map<String, Object>> payloadsNotToAccept() {
        return Stream.of(
                with("v", 2L), with("v", 0L), with("v", "1"), with("v", 1.5),
                with("kid", "mfa-20250301-000000000000"), with("kid", null),
                with("sub", ""), with("sub", 42L), with("name", ""), with("name", null),
                with("att", Base64Url.encode(new byte[31])), with("att", Base64Url.encode(new byte[33])),
                with("att", "A".repeat(42) + "B"), with("att", "+" + "A".repeat(42)), with("att", 7L),
                with("exp", "1796292300"), with("exp", 1.796292300E9), with("exp", -1L), with("exp", Long.MAX_VALUE),
                with("extra", true), without("v"), without("kid"), without("sub"), without("name"), without("att"),
                without("exp"));
    }

    private static Map<String, Object> with(String member, Object value) {
        Map<String, Object> payload = payload();
        payload.put(member, value);
        return payload;
    }

    private static Map<String, Object> without(String member) {
        Map<String, Object> payload = payload();
        payload.remove(member);
        return payload;
    }

    @ParameterizedTest
    @MethodSource("payloadsNotToAccept")
    void refusesAMacedPayloadOfAnotherShape(Map<String, Object> payload) throws Exception {
        assertThat(TOKENS.verify(signed(KEYS, Json.write(payload)), NOW)).isEmpty();
    }

    @Test
    void acceptsTheWellFormedPayloadTheRefusalsAreMadeFrom() throws Exception {
        assertThat(TOKENS.verify(signed(KEYS, Json.write(payload())), NOW))
                .contains(new Verified(ALICE_ID, "alice", sha256(Base64Url.encode(new byte[32])), EXPIRES));
        assertThat(TOKENS.verify(signed(KEYS, Json.write(with("exp", 0L))), Instant.EPOCH.minusSeconds(1)))
                .map(Verified::expiresAt).contains(Instant.EPOCH);
        long latest = Instant.MAX.getEpochSecond();
        assertThat(TOKENS.verify(signed(KEYS, Json.write(with("exp", latest))), NOW))
                .map(Verified::expiresAt).contains(Instant.ofEpochSecond(latest));
        assertThat(TOKENS.verify(signed(KEYS, Json.write(with("exp", latest + 1))), NOW)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"token\"", "{\"v\":1,\"v\":1}", "not json", ""})
    void refusesAMacedPayloadThatIsNoJsonObject(String payload) throws Exception {
        assertThat(TOKENS.verify(signed(KEYS, payload), NOW)).isEmpty();
    }

    @Test
    void refusesAMacedPayloadThatIsNotUtf8() throws Exception {
        String json = Json.write(payload()).replace("alice", "al\u00ffce");
        byte[] latin1 = json.getBytes(StandardCharsets.ISO_8859_1);
        String body = Base64Url.encode(latin1);
        String valid = signed(KEYS, json);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Hkdf.expand(KEYS.activeMfaKey().orElseThrow().secret(),
                "authfn/mfa/token/v1".getBytes(StandardCharsets.US_ASCII)), "HmacSHA256"));

        String token = body + '.' + Base64Url.encode(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));

        assertThat(TOKENS.verify(valid, NOW)).map(Verified::username).contains("al\u00ffce");
        assertThat(TOKENS.verify(token, NOW)).isEmpty();
    }

    // --- length ----------------------------------------------------------------------------------

    @Test
    void refusesAnythingOverTheLimitUnreadEvenWhenMacedByUs() throws Exception {
        // given: MACed tokens of exactly 1024 characters and of the next length base64url has
        // (the username fills them up)
        String atLimit = null;
        String overLimit = null;
        for (int length = 1; overLimit == null; length++) {
            String token = signed(KEYS, Json.write(with("name", "a".repeat(length))));
            if (token.length() == MfaToken.MAX_LENGTH) {
                atLimit = token;
            } else if (token.length() > MfaToken.MAX_LENGTH) {
                overLimit = token;
            }
        }
        assertThat(overLimit).hasSize(MfaToken.MAX_LENGTH + 2);

        assertThat(TOKENS.verify(atLimit, NOW)).isPresent();
        assertThat(TOKENS.verify(overLimit, NOW)).isEmpty();
        assertThat(TOKENS.verify("A".repeat(1_000_000) + "." + "A".repeat(43), NOW)).isEmpty();
    }
}
