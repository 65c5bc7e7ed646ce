package dev.authfn.core.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"alice@example.com", "a.b+tag@mail.example.co.uk", "o'neil@example.com",
        "jösé@bücher.example", "x@a.b"})
    void takesOrdinaryAddresses(String address) {
        assertThat(MailAddresses.isAddress(address)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "a@b", "a@b.", "a@.b", "a@@b.c", "a@b..c", "<a@b.c>", "a@b.c>", "a b@c.d",
        "a@b.c\n", "a\u0000@b.c", "a@b.c;d@e.f", "a(b)@c.d", "a[b]@c.d", "a\\b@c.d", "a:b@c.d", "a@b.c\t"})
    void refusesEverythingElse(String address) {
        assertThat(MailAddresses.isAddress(address)).isFalse();
    }

    @Test
    void boundsTheLocalPartAndTheWhole() {
        assertThat(MailAddresses.isAddress("a".repeat(64) + "@example.com")).isTrue();
        assertThat(MailAddresses.isAddress("a".repeat(65) + "@example.com")).isFalse();
        assertThat(MailAddresses.isAddress("a@" + "d".repeat(248) + ".com")).isTrue();
        assertThat(("a@" + "d".repeat(248) + ".com").length()).isEqualTo(254);
        assertThat(MailAddresses.isAddress("a@" + "d".repeat(249) + ".com")).isFalse();
        assertThat(MailAddresses.isAddress(null)).isFalse();
    }

    @Test
    void printableReplacesControlCharactersAndShortens() {
        assertThat(MailAddresses.printable("a\r\nb")).isEqualTo("a??b");
        assertThat(MailAddresses.printable("x".repeat(64))).isEqualTo("x".repeat(64));
        assertThat(MailAddresses.printable("x".repeat(65))).isEqualTo("x".repeat(64) + "…");
    }

    @Test
    void findsControlCharacters() {
        assertThat(MailAddresses.hasControlCharacter("plain text é")).isFalse();
        assertThat(MailAddresses.hasControlCharacter("tab\there")).isTrue();
        assertThat(MailAddresses.hasControlCharacter("del\u007f")).isTrue();
    }
}
