package dev.authfn.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.mfa.SecretBox.Sealed;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class SecretBoxTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
    private static final KeySet KEYS = KeySet.generate(JWSAlgorithm.HS256, CLOCK);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final SecretBox BOX = new SecretBox(KEYS, RANDOM);
    private static final byte[] SECRET = TotpSecret.generate(RANDOM).bytes();
    private static final String ALICE = "4a1f2c9e-2b7d-4e3a-9f0c-6d5e8b7a1c20";
    /** base64url of IV (12 bytes, 16 characters), ciphertext (20 bytes) and tag (16 bytes): 64 characters. */
    private static final int BLOB_LENGTH = 64;

    private static String mfaKid(KeySet keys) {
        return keys.activeMfaKey().orElseThrow().kid();
    }

    // --- round trip ------------------------------------------------------------------------------

    @Test
    void opensWhatItSealedForTheSameUser() {
        Sealed sealed = BOX.seal(SECRET, ALICE);

        assertThat(BOX.open(sealed, ALICE)).hasValueSatisfying(opened -> assertThat(opened).isEqualTo(SECRET));
        assertThat(sealed.kid()).isEqualTo(mfaKid(KEYS));
    }

    @Test
    void writesVersionKidAndBase64UrlOfIvCiphertextAndTagAndReadsItBack() {
        Sealed sealed = BOX.seal(SECRET, ALICE);

        String stored = sealed.encoded();

        assertThat(stored).matches("v1\\." + mfaKid(KEYS) + "\\.[A-Za-z0-9_-]{" + BLOB_LENGTH + "}");
        assertThat(Sealed.parse(stored)).contains(sealed);
        assertThat(BOX.open(Sealed.parse(stored).orElseThrow(), ALICE))
                .hasValueSatisfying(opened -> assertThat(opened).isEqualTo(SECRET));
    }

    /** Pins the format for other implementations: AES-256-GCM under HKDF-Expand(mfa key, info), the IV first. */
    @Test
    void sealsWithAes256GcmUnderTheHkdfSubkeyWithTheUserIdAsAssociatedData() throws Exception {
        // given
        Sealed sealed = BOX.seal(SECRET, ALICE);
        byte[] blob = Base64.getUrlDecoder().decode(sealed.encoded().substring(sealed.encoded().lastIndexOf('.') + 1));
        byte[] subkey = Hkdf.expand(KEYS.activeMfaKey().orElseThrow().secret(),
                "authfn/mfa/totp-secret/v1".getBytes(StandardCharsets.US_ASCII));

        // when: opened by the JDK alone
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(subkey, "AES"),
                new GCMParameterSpec(128, Arrays.copyOf(blob, 12)));
        cipher.updateAAD(ALICE.getBytes(StandardCharsets.UTF_8));
        byte[] opened = cipher.doFinal(blob, 12, blob.length - 12);

        // then
        assertThat(opened).isEqualTo(SECRET);
        assertThat(subkey).hasSize(32).isNotEqualTo(KEYS.activeMfaKey().orElseThrow().secret().getEncoded());
        assertThat(blob).hasSize(12 + SECRET.length + 16);
    }

    @Test
    void drawsAFreshIvForEverySeal() {
        Set<String> seen = new HashSet<>();
        Set<String> ivs = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String stored = BOX.seal(SECRET, ALICE).encoded();
            seen.add(stored);
            ivs.add(stored.substring(stored.lastIndexOf('.') + 1, stored.lastIndexOf('.') + 17));
        }

        assertThat(seen).hasSize(50);
        assertThat(ivs).hasSize(50);
    }

    @Test
    void sealsAndOpensFromEmptyToTheLongestPlaintext() {
        for (byte[] plaintext : new byte[][] {new byte[0], new byte[1], new byte[SecretBox.MAX_PLAINTEXT_BYTES]}) {
            Arrays.fill(plaintext, (byte) 7);
            Sealed sealed = Sealed.parse(BOX.seal(plaintext, ALICE).encoded()).orElseThrow();

            assertThat(BOX.open(sealed, ALICE)).hasValueSatisfying(opened -> assertThat(opened).isEqualTo(plaintext));
        }
    }

    @Test
    void refusesToSealMoreThanTheLongestPlaintext() {
        assertThatThrownBy(() -> BOX.seal(new byte[SecretBox.MAX_PLAINTEXT_BYTES + 1], ALICE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("at most 512 bytes are sealed");
    }

    @Test
    void theLongestSealedFormIsExactlyTheParsersLimit() {
        KeySet longKid = KeySet.parse(KEYS.toJson().replace(mfaKid(KEYS), "m".repeat(64)));
        SecretBox box = new SecretBox(longKid, RANDOM);

        String stored = box.seal(new byte[SecretBox.MAX_PLAINTEXT_BYTES], ALICE).encoded();

        assertThat(stored).hasSize(Sealed.MAX_LENGTH);
        assertThat(Sealed.parse(stored)).isPresent();
        assertThat(Sealed.parse(stored + "A")).isEmpty();
    }

    // --- rotation --------------------------------------------------------------------------------

    @Test
    void opensWhatAKeyNowVerifyOnlySealedAndSealsUnderTheNewOne() {
        // given: sealed, then the mfa key rotated
        Sealed sealedBefore = BOX.seal(SECRET, ALICE);
        KeySet rotated = KEYS.rotate(KeyPurpose.MFA, CLOCK);
        SecretBox afterRotation = new SecretBox(rotated, RANDOM);

        // when
        Optional<byte[]> opened = afterRotation.open(Sealed.parse(sealedBefore.encoded()).orElseThrow(), ALICE);
        Sealed sealedAfter = afterRotation.seal(SECRET, ALICE);

        // then
        assertThat(opened).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(SECRET));
        assertThat(sealedAfter.kid()).isEqualTo(mfaKid(rotated)).isNotEqualTo(sealedBefore.kid());
        assertThat(afterRotation.open(sealedAfter, ALICE)).isPresent();
        assertThat(BOX.open(sealedAfter, ALICE)).isEmpty();
    }

    @Test
    void noLongerOpensWhatARetiredKeySealed() {
        Sealed sealed = BOX.seal(SECRET, ALICE);
        KeySet retired = KEYS.rotate(KeyPurpose.MFA, CLOCK).retire(sealed.kid());

        assertThat(new SecretBox(retired, RANDOM).open(sealed, ALICE)).isEmpty();
    }

    @Test
    void opensWithAVerifyOnlyKeyButSealsNothingWhenNoMfaKeyIsActive() {
        // given: the only mfa key demoted to verify-only
        Sealed sealed = BOX.seal(SECRET, ALICE);
        KeySet noActive = KeySet.parse(KEYS.toJson().replace(
                "\"purpose\":\"mfa\",\"status\":\"active\"", "\"purpose\":\"mfa\",\"status\":\"verify-only\""));
        SecretBox box = new SecretBox(noActive, RANDOM);

        assertThat(box.open(sealed, ALICE)).isPresent();
        assertThatThrownBy(() -> box.seal(SECRET, ALICE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the key set has no active mfa key; add one with ./authfn keys rotate mfa");
    }

    @Test
    void refusesAnMfaKidThatCouldNotStandInTheSealedForm() {
        KeySet dotted = KeySet.parse(KEYS.toJson().replace(mfaKid(KEYS), "mfa.1"));
        KeySet tooLong = KeySet.parse(KEYS.toJson().replace(mfaKid(KEYS), "m".repeat(65)));

        assertThatThrownBy(() -> new SecretBox(dotted, RANDOM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mfa key id mfa.1 must be 1-64 characters of [A-Za-z0-9_-]");
        assertThatThrownBy(() -> new SecretBox(tooLong, RANDOM)).isInstanceOf(IllegalArgumentException.class);
    }

    // --- tampering -------------------------------------------------------------------------------

    @Test
    void doesNotOpenAfterAnyCharacterOfIvCiphertextOrTagChanged() {
        String stored = BOX.seal(SECRET, ALICE).encoded();
        int blob = stored.lastIndexOf('.') + 1;

        for (int i = blob; i < stored.length(); i++) {
            char c = stored.charAt(i);
            String tampered = stored.substring(0, i) + (c == 'A' ? 'B' : 'A') + stored.substring(i + 1);

            Optional<Sealed> parsed = Sealed.parse(tampered);
            assertThat(parsed).as("position %d", i).isPresent();
            assertThat(BOX.open(parsed.get(), ALICE)).as("position %d", i).isEmpty();
        }
    }

    @Test
    void doesNotOpenUnderAnotherKidOrVersion() {
        // given: a key set with a second, verify-only mfa key
        KeySet rotated = KEYS.rotate(KeyPurpose.MFA, CLOCK);
        SecretBox box = new SecretBox(rotated, RANDOM);
        Sealed sealed = box.seal(SECRET, ALICE);
        String stored = sealed.encoded();

        // when: the kid swapped for the other real one, an unknown one, the version changed
        String otherKid = stored.replace(mfaKid(rotated), mfaKid(KEYS));
        String unknownKid = stored.replace(mfaKid(rotated), "mfa-20250301-000000000000");

        // then
        assertThat(box.open(Sealed.parse(otherKid).orElseThrow(), ALICE)).isEmpty();
        assertThat(box.open(Sealed.parse(unknownKid).orElseThrow(), ALICE)).isEmpty();
        assertThat(Sealed.parse("v2" + stored.substring(2))).isEmpty();
        assertThat(Sealed.parse("V1" + stored.substring(2))).isEmpty();
    }

    @Test
    void doesNotOpenUnderAnotherKeySetEvenWithTheSameKid() {
        Sealed sealed = BOX.seal(SECRET, ALICE);
        KeySet other = KeySet.generate(JWSAlgorithm.HS256, CLOCK);
        KeySet sameKidOtherKey = KeySet.parse(other.toJson().replace(mfaKid(other), sealed.kid()));

        assertThat(new SecretBox(other, RANDOM).open(sealed, ALICE)).isEmpty();
        assertThat(new SecretBox(sameKidOtherKey, RANDOM).open(sealed, ALICE)).isEmpty();
    }

    @Test
    void doesNotOpenForAnotherUser() {
        Sealed sealed = BOX.seal(SECRET, ALICE);

        assertThat(BOX.open(sealed, "4a1f2c9e-2b7d-4e3a-9f0c-6d5e8b7a1c21")).isEmpty();
        assertThat(BOX.open(sealed, "")).isEmpty();
        assertThat(BOX.open(sealed, ALICE + " ")).isEmpty();
        assertThat(BOX.open(sealed, null)).isEmpty();
        assertThat(BOX.open(null, ALICE)).isEmpty();
    }

    @Test
    void bindsTheAssociatedDataAsUtf8() {
        Sealed sealed = BOX.seal(SECRET, "jöe");

        assertThat(BOX.open(sealed, "jöe")).isPresent();
        assertThat(BOX.open(sealed, new String("jöe".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)))
                .isEmpty();
    }

    // --- parsing ---------------------------------------------------------------------------------

    /** 28 bytes, IV and tag of an empty plaintext: the shortest blob, 38 characters. */
    private static final String SHORTEST_BLOB = "A".repeat(38);

    static Stream<String> notTheStorageForm() {
        String blob = SHORTEST_BLOB;
        return Stream.of(
                "v1", "v1.", "v1..", "v1.mfa-1", "v1.mfa-1.", "v1.." + blob,
                "v1.mfa-1." + "A".repeat(36), // 27 bytes: one short of IV and tag
                "v1.mfa-1." + blob + "==", // padded
                "v1.mfa-1." + "A".repeat(36) + "+/", // standard base64
                "v1.mfa-1." + blob + " ", " v1.mfa-1." + blob, "v1.mfa-1. " + blob,
                "v1.mfa-1." + "A".repeat(37) + "B", // unused low bits set: a second spelling of the bytes
                "v1.mfa-1." + "A".repeat(41), // a length no bytes have
                "v1.mfa.1." + blob, "v1.mfa/1." + blob, "v1.mfä." + blob, "v1.mfa-1." + blob + ".AAAA",
                "v1." + "k".repeat(65) + "." + blob,
                "v0.mfa-1." + blob, "v2.mfa-1." + blob, "V1.mfa-1." + blob, "x1.mfa-1." + blob,
                "v1.mfa-1." + "A".repeat(Sealed.MAX_LENGTH));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @MethodSource("notTheStorageForm")
    void parsesNothingButTheStorageForm(String stored) {
        assertThat(Sealed.parse(stored)).isEmpty();
    }

    @Test
    void parsesTheShortestBlobAndKidsOfOneToSixtyFourCharacters() {
        assertThat(Sealed.parse("v1.mfa-1." + SHORTEST_BLOB)).map(Sealed::kid).contains("mfa-1");
        assertThat(Sealed.parse("v1.k." + SHORTEST_BLOB)).map(Sealed::kid).contains("k");
        assertThat(Sealed.parse("v1." + "k".repeat(64) + "." + SHORTEST_BLOB)).isPresent();
        assertThat(Sealed.parse("v1.mfa-1." + SHORTEST_BLOB).orElseThrow().encoded())
                .isEqualTo("v1.mfa-1." + SHORTEST_BLOB);
    }

    @Test
    void printsOnlyTheKidAndComparesByContent() {
        Sealed sealed = BOX.seal(SECRET, ALICE);
        Sealed again = Sealed.parse(sealed.encoded()).orElseThrow();
        Sealed other = BOX.seal(SECRET, ALICE);

        assertThat(sealed.toString()).isEqualTo("Sealed[kid=" + sealed.kid() + "]");
        assertThat(again).isEqualTo(sealed).hasSameHashCodeAs(sealed).isNotEqualTo(other);
        assertThat(sealed).isNotEqualTo(sealed.encoded());
        Sealed kidA = Sealed.parse("v1.a." + SHORTEST_BLOB).orElseThrow();
        Sealed kidB = Sealed.parse("v1.b." + SHORTEST_BLOB).orElseThrow();
        Sealed kidAOtherBytes = Sealed.parse("v1.a." + "B" + SHORTEST_BLOB.substring(1)).orElseThrow();
        assertThat(kidA).isNotEqualTo(kidB).isNotEqualTo(kidAOtherBytes);
        assertThat(kidA.hashCode()).isNotEqualTo(kidB.hashCode()).isNotEqualTo(kidAOtherBytes.hashCode());
    }
}
