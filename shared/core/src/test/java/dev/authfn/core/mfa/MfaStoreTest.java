package dev.authfn.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The values the second-factor port hands over. */
class MfaStoreTest {

    private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void aFactorNeverPrintsItsSealedSecret() {
        MfaStore.TotpFactor factor = new MfaStore.TotpFactor("u-1", "k1.c2VjcmV0", true, 42, 9, T0);

        assertThat(factor.toString()).isEqualTo("TotpFactor[userId=u-1, sealedSecret=<redacted>, confirmed=true,"
                + " lastStep=42, recoveryCodesLeft=9, enrolledAt=2026-12-03T10:00:00Z]");
    }

    @Test
    void aFactorNeedsItsUserSecretAndTime() {
        assertThatThrownBy(() -> new MfaStore.TotpFactor(null, "s", false, 0, 0, T0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MfaStore.TotpFactor("u", null, false, 0, 0, T0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MfaStore.TotpFactor("u", "s", false, 0, 0, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void anAttemptNeedsAHashAndAnExpiry() {
        assertThatThrownBy(() -> new MfaStore.Attempt(" ", T0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MfaStore.Attempt(null, T0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new MfaStore.Attempt("h", null)).isInstanceOf(NullPointerException.class);
        assertThat(new MfaStore.Attempt("h", T0).expiresAt()).isEqualTo(T0);
    }
}
