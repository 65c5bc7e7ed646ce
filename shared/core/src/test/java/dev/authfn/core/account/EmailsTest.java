package dev.authfn.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.account.Emails.Normal;
import dev.authfn.core.account.Emails.Reason;
import dev.authfn.core.account.Emails.Rejected;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailsTest {

    static Stream<Arguments> spellingsAndTheirNormalForm() {
        return Stream.of(
                Arguments.of("alice@example.com", "alice@example.com"),
                Arguments.of("Alice.Smith@Example.COM", "Alice.Smith@example.com"), // local part keeps its case
                Arguments.of("\uFF21lice\uFF20\uFF45xample.com", "Alice@example.com"), // fullwidth Ａ, ＠ and ｅ
                Arguments.of("\uFB01nn@example.com", "finn@example.com"), // ligature ﬁ
                Arguments.of("bob@\u212Aelvin.example", "bob@kelvin.example"), // Kelvin sign K, then lower-cased
                Arguments.of("  bob@example.com\t\n", "bob@example.com"), // surrounding whitespace
                Arguments.of("\u3000bob@example.com\u00A0", "bob@example.com"), // ideographic space, no-break space
                Arguments.of("zoe@EXAMPLE.I.COM", "zoe@example.i.com"), // ROOT locale: no dotless i
                Arguments.of("first.last+tag@sub.Example.org", "first.last+tag@sub.example.org"),
                Arguments.of("\u00C4rger@B\u00DCCHER.example", "\u00C4rger@b\u00FCcher.example"),
                Arguments.of("a@b.c", "a@b.c"));
    }

    @ParameterizedTest
    @MethodSource("spellingsAndTheirNormalForm")
    void normalizesNfkcAndTheDomainsCase(String input, String expected) {
        assertThat(Emails.normalize(input)).isEqualTo(new Normal(expected));
        assertThat(Emails.normalize(input).toOptional()).contains(expected);
    }

    @Test
    void twoSpellingsOfOneAddressHaveOneNormalForm() {
        assertThat(Emails.normalize("ALICE@\uFF25XAMPLE.COM")).isEqualTo(Emails.normalize("ALICE@example.com"));
        assertThat(Emails.normalize("ALICE@example.com")).isNotEqualTo(Emails.normalize("alice@example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n", "\u3000"})
    void emptyInputIsEmpty(String input) {
        assertThat(Emails.normalize(input)).isEqualTo(new Rejected(Reason.EMPTY));
    }

    @Test
    void nullIsEmpty() {
        assertThat(Emails.normalize(null)).isEqualTo(new Rejected(Reason.EMPTY));
        assertThat(Emails.normalize(null).toOptional()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "alice", "@example.com", "alice@", "a@b@example.com", "alice@@example.com", "@",
        "alice@example", "alice@.example.com", "alice@example.com.", "alice@example..com", "alice@.",
        "\"alice\"@example.com", "\"al ice\"@example.com", "alice@[192.0.2.1]", "alice@[IPv6:2001:db8::1]",
        "ali ce@example.com", "alice@exa mple.com", "alice\u00A0smith@example.com", "alice\u2003@example.com",
        "alice\u0000@example.com", "alice@example.com\u0007x", "al\u007Fice@example.com", "alice\u0085@example.com",
        "ali\u200Bce@example.com", "alice@exa\u200Dmple.com", "\uFEFFx@example.com", "alice@example.com\u202E.evil",
        "alice\u2028@example.com", "alice@example\u00AD.com",
        "a,b@example.com", "a;b@example.com", "a:b@example.com", "a<b@example.com", "a>b@example.com",
        "a(b)@example.com", "a[b]@example.com", "a\\b@example.com"})
    void refusesWhatIsNotOnePlainAddress(String input) {
        assertThat(Emails.normalize(input)).isEqualTo(new Rejected(Reason.NOT_AN_ADDRESS));
    }

    @Test
    void theLocalPartHasAtMost64CodePoints() {
        String domain = "@example.com";

        assertThat(Emails.normalize("a".repeat(64) + domain)).isEqualTo(new Normal("a".repeat(64) + domain));
        assertThat(Emails.normalize("\uD83D\uDE00".repeat(64) + domain)).isInstanceOf(Normal.class); // 128 chars
        assertThat(Emails.normalize("a".repeat(65) + domain)).isEqualTo(new Rejected(Reason.NOT_AN_ADDRESS));
        assertThat(Emails.normalize("\uD83D\uDE00".repeat(65) + domain)).isEqualTo(new Rejected(Reason.NOT_AN_ADDRESS));
    }

    @Test
    void theDomainHasAtMost253CodePoints() {
        String domain253 = "d".repeat(249) + ".com";
        String domain254 = "d".repeat(250) + ".com";

        // a 253-point domain passes its own limit and so fails only the whole address's
        assertThat(Emails.normalize("a@" + domain253)).isEqualTo(new Rejected(Reason.TOO_LONG));
        assertThat(Emails.normalize("a@" + domain254)).isEqualTo(new Rejected(Reason.NOT_AN_ADDRESS));
    }

    @Test
    void theWholeAddressHasAtMost254CodePoints() {
        String at254 = "a".repeat(64) + "@" + "d".repeat(185) + ".com";
        String at255 = "a".repeat(64) + "@" + "d".repeat(186) + ".com";

        assertThat(at254).hasSize(Emails.MAX_LENGTH);
        assertThat(Emails.normalize(at254)).isEqualTo(new Normal(at254));
        assertThat(Emails.normalize(at255)).isEqualTo(new Rejected(Reason.TOO_LONG));
    }

    @Test
    void theLengthIsCountedAfterNormalizing() {
        // 254 fullwidth letters and surrounding spaces normalise to 254 ASCII characters
        String wide = "  " + "\uFF41".repeat(64) + "@" + "\uFF44".repeat(185) + ".com  ";

        assertThat(Emails.normalize(wide)).isEqualTo(new Normal("a".repeat(64) + "@" + "d".repeat(185) + ".com"));
    }

    @Test
    void hugeInputIsRefusedBeforeAnyWork() {
        String atLimit = " ".repeat(Emails.MAX_INPUT_CHARS - "a@example.com".length()) + "a@example.com";
        String overLimit = " " + atLimit;

        assertThat(atLimit).hasSize(1016);
        assertThat(Emails.normalize(atLimit)).isEqualTo(new Normal("a@example.com"));
        assertThat(Emails.normalize(overLimit)).isEqualTo(new Rejected(Reason.TOO_LONG));
    }

    @Test
    void aRefusalHoldsTheReasonOnly() {
        assertThat(Emails.normalize("secret-name@example").toString()).isEqualTo("Rejected[reason=NOT_AN_ADDRESS]");
    }
}
