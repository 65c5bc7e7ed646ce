package dev.authfn.core.user;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.user.Usernames.Canonical;
import dev.authfn.core.user.Usernames.Reason;
import dev.authfn.core.user.Usernames.Rejected;
import dev.authfn.core.user.Usernames.Result;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UsernamesTest {

    static Stream<Arguments> equivalentSpellings() {
        return Stream.of(
                Arguments.of("Alice", "alice"),
                Arguments.of("ALICE", "alice"),
                Arguments.of("\uFF21\uFF4C\uFF49\uFF43\uFF45", "alice"), // fullwidth Ａｌｉｃｅ
                Arguments.of("\uFB01nn", "finn"), // ligature ﬁ
                Arguments.of("\u212Aate", "kate"), // Kelvin sign
                Arguments.of("agent\u2466", "agent7"), // circled digit ⑦
                Arguments.of("  bob\u00A0", "bob"), // surrounding space and no-break space trimmed
                Arguments.of("Zo\u00CB", "zo\u00EB"), // Ë precomposed
                Arguments.of("ZOE\u0308", "zo\u00EB"), // E + combining diaeresis composes
                Arguments.of("J\u030C", "\u01F0"), // only the lower-case ǰ is precomposed
                Arguments.of("First.Last+tag@Example.COM", "first.last+tag@example.com"),
                Arguments.of("\u0391\u03BB\u03AD\u03BE\u03B7\u03C2", "\u03B1\u03BB\u03AD\u03BE\u03B7\u03C2"),
                Arguments.of("user_42-x", "user_42-x"));
    }

    @ParameterizedTest
    @MethodSource("equivalentSpellings")
    void canonicalizesEquivalentSpellingsToOneUsername(String raw, String expected) {
        // when
        Result result = Usernames.canonicalize(raw);

        // then
        assertThat(result).isEqualTo(new Canonical(expected));
        assertThat(result.toOptional()).contains(expected);
    }

    @ParameterizedTest
    @MethodSource("equivalentSpellings")
    void canonicalFormIsStable(String raw, String expected) {
        assertThat(Usernames.canonicalize(expected)).isEqualTo(new Canonical(expected));
    }

    static Stream<Arguments> badUsernames() {
        return Stream.of(
                Arguments.of(null, Reason.EMPTY),
                Arguments.of("", Reason.EMPTY),
                Arguments.of(" \u3000 ", Reason.EMPTY),
                Arguments.of("ali\u0000ce", Reason.CONTROL_CHARACTER),
                Arguments.of("alice\u0000", Reason.CONTROL_CHARACTER),
                Arguments.of("alice\r\nadmin", Reason.CONTROL_CHARACTER),
                Arguments.of("alice\n", Reason.CONTROL_CHARACTER),
                Arguments.of("\ralice", Reason.CONTROL_CHARACTER),
                Arguments.of("ali\tce", Reason.CONTROL_CHARACTER),
                Arguments.of("ali\u007Fce", Reason.CONTROL_CHARACTER),
                Arguments.of("ali\u200Dce", Reason.CONTROL_CHARACTER), // zero-width joiner
                Arguments.of("ali\u202Ece", Reason.CONTROL_CHARACTER), // right-to-left override
                Arguments.of("alice smith", Reason.WHITESPACE),
                Arguments.of("alice\u00A0smith", Reason.WHITESPACE),
                Arguments.of("alice\u2003smith", Reason.WHITESPACE),
                Arguments.of("a".repeat(65), Reason.TOO_LONG),
                Arguments.of("\uFF41".repeat(65), Reason.TOO_LONG), // fullwidth, counted after NFKC
                Arguments.of("a".repeat(Usernames.MAX_INPUT_CHARS + 1), Reason.TOO_LONG),
                Arguments.of("a".repeat(1 << 20), Reason.TOO_LONG),
                Arguments.of("alice!", Reason.DISALLOWED_CHARACTER),
                Arguments.of("<script>", Reason.DISALLOWED_CHARACTER),
                Arguments.of("a/b", Reason.DISALLOWED_CHARACTER),
                Arguments.of("o'brien", Reason.DISALLOWED_CHARACTER),
                Arguments.of("alice\uD83D\uDE00", Reason.DISALLOWED_CHARACTER), // emoji
                Arguments.of("a\u0301\u0301", Reason.DISALLOWED_CHARACTER), // mark left over
                Arguments.of("\u0130stanbul", Reason.DISALLOWED_CHARACTER), // İ lower-cases to i + U+0307
                Arguments.of("ali\uD800ce", Reason.DISALLOWED_CHARACTER)); // unpaired surrogate
    }

    @ParameterizedTest
    @MethodSource("badUsernames")
    void rejectsBadUsernamesWithAReason(String raw, Reason reason) {
        // when
        Result result = Usernames.canonicalize(raw);

        // then
        assertThat(result).isEqualTo(new Rejected(reason));
        assertThat(result.toOptional()).isEmpty();
    }

    @Test
    void acceptsExactly64CodePoints() {
        // given: 64 letters outside the BMP, 128 UTF-16 chars
        String mathematicalA = "\uD835\uDC9C"; // 𝒜, NFKC maps it to A
        String gothicAhsa = "\uD800\uDF30"; // 𐌰, a letter that stays as is

        // when / then
        assertThat(Usernames.canonicalize("a".repeat(64))).isEqualTo(new Canonical("a".repeat(64)));
        assertThat(Usernames.canonicalize(gothicAhsa.repeat(64)))
                .isEqualTo(new Canonical(gothicAhsa.repeat(64)));
        assertThat(Usernames.canonicalize(mathematicalA.repeat(64)))
                .isEqualTo(new Canonical("a".repeat(64)));
    }

    @Test
    void rejectionNeverCarriesTheInput() {
        // given
        String hostile = "admin\r\nfake log line";

        // when
        Result result = Usernames.canonicalize(hostile);

        // then
        assertThat(result.toString()).isEqualTo("Rejected[reason=CONTROL_CHARACTER]");
    }

    @Test
    void readsAnInputOfUpToFourTimesTheLongestNameAndStripsItBeforeCounting() {
        // 192 spaces around 64 letters: 256 characters, the most read, that strip to a name
        String padded = " ".repeat(96) + "a".repeat(64) + " ".repeat(96);

        assertThat(padded).hasSize(Usernames.MAX_INPUT_CHARS);
        assertThat(Usernames.canonicalize(padded)).isEqualTo(new Canonical("a".repeat(64)));
        assertThat(Usernames.canonicalize(padded + " ")).isEqualTo(new Rejected(Reason.TOO_LONG));
    }
}
