package dev.authfn.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class StoredTokenTest {

    private static final Instant EXPIRY = Instant.parse("2026-11-26T10:30:00Z");

    @Test
    void expiresAtItsExpiryInstant() {
        StoredToken token = new StoredToken("hash", MailToken.Kind.RESET_PASSWORD, "alice", "id", "a@example.com", 1,
                EXPIRY, false);

        assertThat(token.expiredAt(EXPIRY.minusNanos(1))).isFalse();
        assertThat(token.expiredAt(EXPIRY)).isTrue();
        assertThat(token.expiredAt(EXPIRY.plusSeconds(1))).isTrue();
    }
}
