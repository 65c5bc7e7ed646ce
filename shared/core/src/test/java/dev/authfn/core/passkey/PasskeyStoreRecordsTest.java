package dev.authfn.core.passkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The port's records refuse what no store should keep. */
class PasskeyStoreRecordsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final PasskeyStore.Registrant ALICE = new PasskeyStore.Registrant("alice", "u-alice", "sid", "handle");

    @Test
    void aRegistrationChallengeAndOnlyOneNamesItsRegistrant() {
        assertThat(new PasskeyStore.Challenge("h", PasskeyStore.Ceremony.REGISTRATION, Optional.of(ALICE), NOW)
                .registrant()).contains(ALICE);
        assertThat(new PasskeyStore.Challenge("h", PasskeyStore.Ceremony.AUTHENTICATION, Optional.empty(), NOW)
                .registrant()).isEmpty();
        assertThatThrownBy(() -> new PasskeyStore.Challenge("h", PasskeyStore.Ceremony.REGISTRATION, Optional.empty(), NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasskeyStore.Challenge("h", PasskeyStore.Ceremony.AUTHENTICATION, Optional.of(ALICE),
                NOW)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasskeyStore.Challenge(" ", PasskeyStore.Ceremony.AUTHENTICATION, Optional.empty(),
                NOW)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPasskeyHasAnIdANonNegativeCounterAndItsOwnTransports() {
        List<String> transports = new ArrayList<>(List.of("internal"));
        Passkey passkey = passkey("cred", 0, transports);
        transports.add("usb");

        assertThat(passkey.transports()).containsExactly("internal");
        assertThat(passkey.signCount()).isZero();
        assertThatThrownBy(() -> passkey("", 0, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> passkey("cred", -1, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static Passkey passkey(String id, long counter, List<String> transports) {
        return new Passkey(id, "alice", "u-alice", "handle", "key", counter, "00000000-0000-0000-0000-000000000000",
                transports, false, false, "Passkey", NOW, Optional.empty(), false);
    }
}
