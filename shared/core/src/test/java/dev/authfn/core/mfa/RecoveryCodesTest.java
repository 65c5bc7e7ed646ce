package dev.authfn.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.mfa.RecoveryCodes.Generated;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RecoveryCodesTest {

    private static final String FORMAT = "[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]{5}-[a-z2-7]";

    /** A stand-in CSPRNG that fills each request with the next byte value of a list, repeated. */
    private static final class Counting extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final int[] values;
        private int next;

        Counting(int... values) {
            this.values = values;
        }

        @Override
        public void nextBytes(byte[] bytes) {
            Arrays.fill(bytes, (byte) values[next++ % values.length]);
        }

        int draws() {
            return next;
        }
    }

    @Test
    void generatesTenDistinctCodesInGroupsOfFiveWithTheirHashes() {
        // when
        Generated generated = RecoveryCodes.generate(new SecureRandom());

        // then
        assertThat(generated.codes()).hasSize(10).doesNotHaveDuplicates().allSatisfy(code -> assertThat(code).matches(FORMAT));
        assertThat(generated.hashes()).containsExactlyInAnyOrderElementsOf(generated.codes().stream()
                .map(code -> RecoveryCodes.hash(RecoveryCodes.normalize(code).orElseThrow())).toList());
    }

    @Test
    void writesEachCodeAsTheLowerCaseBase32OfItsSixteenBytes() {
        // given: bytes 0x00 (all 'a') and 0xff (25 '7's, then the last 3 bits 111 padded to 11100: '4')
        Generated generated = RecoveryCodes.generate(new Counting(0x00, 0xff, 1, 2, 3, 4, 5, 6, 7, 8));

        assertThat(generated.codes().subList(0, 2)).containsExactly(
                "aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-a",
                "77777-77777-77777-77777-77777-4");
        assertThat(generated.codes().get(2)).isEqualTo("aeaqc-aibae-aqcai-baeaq-caiba-e");
    }

    @Test
    void drawsAgainWhenACodeRepeats() {
        Counting random = new Counting(0, 0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 9);

        Generated generated = RecoveryCodes.generate(random);

        assertThat(generated.codes()).hasSize(10).doesNotHaveDuplicates();
        assertThat(generated.hashes()).hasSize(10);
        assertThat(random.draws()).isEqualTo(12);
    }

    @Test
    void hashesTheNormalisedCodeWithSha256() {
        // base64url(SHA-256("a" x 26)), computed outside Java
        assertThat(RecoveryCodes.hash("a".repeat(26))).isEqualTo("mXbVSaJRFdq0420MH7jzHLB9qH3YMnWXc2DrfcCeiN4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-a", "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A",
        "aaaaaaaaaaaaaaaaaaaaaaaaaa", "aaaaa aaaaa aaaaa aaaaa aaaaa a", " aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-a ",
        "aAaAa-AaAaA--aaaaa - aaaaa-aaaaa-a", "a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a-a"})
    void normalisesSpacesHyphensAndCase(String typed) {
        assertThat(RecoveryCodes.normalize(typed)).contains("a".repeat(26));
    }

    @Test
    void normalisesEveryBase32Character() {
        assertThat(RecoveryCodes.normalize("ABCDEFGHIJKLMNOPQRSTUVWXYZ")).contains("abcdefghijklmnopqrstuvwxyz");
        assertThat(RecoveryCodes.normalize("234567" + "a".repeat(20))).contains("234567" + "a".repeat(20));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"aaaaa-aaaaa-aaaaa-aaaaa-aaaaa", "aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-aa",
        "aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-0", "aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-1", "aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-8",
        "aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-9", "aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-=", "aaaaa_aaaaa_aaaaa_aaaaa_aaaaa_a",
        "aaaaa\taaaaa-aaaaa-aaaaa-aaaaa-a", "aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-ａ", "aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-\u212a",
        "aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-\u0130", "aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-\u00e1", "--------------------------",
        "aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-a\u0000", "aaaaa–aaaaa–aaaaa–aaaaa–aaaaa–a"})
    void refusesAnythingButTwentySixBase32Characters(String typed) {
        assertThat(RecoveryCodes.normalize(typed)).isEmpty();
    }

    @Test
    void refusesOverLongInputUnread() {
        assertThat(RecoveryCodes.normalize(" ".repeat(104 - 26) + "a".repeat(26))).contains("a".repeat(26));
        assertThat(RecoveryCodes.normalize(" ".repeat(105 - 26) + "a".repeat(26))).isEmpty();
    }

    @Test
    void refusesToHashACodeThatIsNotNormalised() {
        for (String code : List.of("aaaaa-aaaaa-aaaaa-aaaaa-aaaaa-a", "A".repeat(26), "a".repeat(25))) {
            assertThatThrownBy(() -> RecoveryCodes.hash(code))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("not a normalised recovery code");
        }
    }

    @Test
    void aTypedCodeMatchesItsStoredHashAndNoOther() {
        Generated generated = RecoveryCodes.generate(new SecureRandom());
        String typed = generated.codes().get(3).toUpperCase().replace("-", " ");

        Optional<String> hash = RecoveryCodes.normalize(typed).map(RecoveryCodes::hash);

        assertThat(hash).isPresent();
        assertThat(generated.hashes()).contains(hash.get());
        assertThat(RecoveryCodes.generate(new SecureRandom()).hashes()).doesNotContain(hash.get());
    }

    @Test
    void neverPrintsTheCodesOrTheirHashes() {
        Generated generated = RecoveryCodes.generate(new SecureRandom());

        assertThat(generated.toString()).isEqualTo("RecoveryCodes.Generated[10 codes, <redacted>]");
    }

    @Test
    void holdsImmutableCopies() {
        Generated generated = RecoveryCodes.generate(new SecureRandom());

        assertThatThrownBy(() -> generated.codes().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> generated.hashes().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
