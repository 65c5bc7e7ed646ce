package dev.authfn.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class MailRequestTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void toStringNeverShowsTheSubject() {
        MailRequest request = new MailRequest("id-1", MailRequest.Kind.FORGOT_BY_EMAIL, "alice@example.com", T0);

        assertThat(request.toString()).isEqualTo("MailRequest[id=id-1, kind=FORGOT_BY_EMAIL]");
    }

    @ParameterizedTest
    @EnumSource(MailRequest.Kind.class)
    void everyKindComesBackFromItsWireName(MailRequest.Kind kind) {
        assertThat(MailRequest.Kind.fromWireName(kind.wireName())).isEqualTo(kind);
    }

    @Test
    void wireNamesAreStable() {
        assertThat(MailRequest.Kind.values()).extracting(MailRequest.Kind::wireName).containsExactly(
                "verify-email", "resend-verification", "forgot-username", "forgot-email", "registration-attempt",
                "password-changed");
        assertThatThrownBy(() -> MailRequest.Kind.fromWireName("VERIFY_EMAIL"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown mail request kind");
    }

    @Test
    void refusesNulls() {
        assertThatThrownBy(() -> new MailRequest(null, MailRequest.Kind.VERIFY_EMAIL, "a", T0))
                .isInstanceOf(NullPointerException.class).hasMessage("id");
        assertThatThrownBy(() -> new MailRequest("i", null, "a", T0)).hasMessage("kind");
        assertThatThrownBy(() -> new MailRequest("i", MailRequest.Kind.VERIFY_EMAIL, null, T0)).hasMessage("subject");
        assertThatThrownBy(() -> new MailRequest("i", MailRequest.Kind.VERIFY_EMAIL, "a", null)).hasMessage("createdAt");
    }
}
