package dev.authfn.core.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MailTest {

    @Test
    void toStringShowsTheRecipientAndSubjectButNoBody() {
        Mail mail = new Mail("alice@example.com", "Reset", "token-in-text", "<p>token-in-html</p>");

        assertThat(mail.toString()).isEqualTo("Mail[to=alice@example.com, subject=Reset]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "alice", "alice@", "@example.com", "alice@localhost", "a b@example.com",
        "alice@example.com\r\nBcc: eve@example.com", "Alice <alice@example.com>", "a@b@example.com",
        "alice@example..com", "alice@example.com,eve@example.com", "\"a\"@example.com", "alice@.example.com"})
    void refusesWhatIsNotOneAddress(String to) {
        assertThatThrownBy(() -> new Mail(to, "Subject", "text", "html"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a mail address: ")
                .hasMessageNotContaining("\n").hasMessageNotContaining("\r");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "Reset\r\nBcc: eve@example.com", "Reset\n"})
    void refusesASubjectThatIsNotOneLine(String subject) {
        assertThatThrownBy(() -> new Mail("alice@example.com", subject, "text", "html"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a subject is one non-blank line without control characters");
    }

    @Test
    void everyPartIsRequired() {
        assertThatThrownBy(() -> new Mail(null, "s", "t", "h")).isInstanceOf(NullPointerException.class).hasMessage("to");
        assertThatThrownBy(() -> new Mail("a@example.com", null, "t", "h")).isInstanceOf(NullPointerException.class)
                .hasMessage("subject");
        assertThatThrownBy(() -> new Mail("a@example.com", "s", null, "h")).isInstanceOf(NullPointerException.class)
                .hasMessage("text");
        assertThatThrownBy(() -> new Mail("a@example.com", "s", "t", null)).isInstanceOf(NullPointerException.class)
                .hasMessage("html");
    }
}
