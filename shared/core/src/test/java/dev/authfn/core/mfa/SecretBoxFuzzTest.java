package dev.authfn.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.nimbusds.jose.JWSAlgorithm;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.mfa.SecretBox.Sealed;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Coverage-guided fuzzing (Jazzer) of the sealed TOTP secret as read from storage,
 * {@link Sealed#parse} and {@link SecretBox#open}. Each input is parsed as a stored value, and
 * used as the associated data (the user id) of a secret sealed for it. The mfa key's kid is fixed,
 * {@code mfa-fuzz}, so that seeds can name it. Seeds: {@code SecretBoxFuzzTestInputs/<method>/}.
 */
class SecretBoxFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);
    private static final KeySet GENERATED = KeySet.generate(JWSAlgorithm.HS256, CLOCK);
    private static final KeySet KEYS =
            KeySet.parse(GENERATED.toJson().replace(GENERATED.activeMfaKey().orElseThrow().kid(), "mfa-fuzz"));
    private static final SecretBox BOX = new SecretBox(KEYS, new SecureRandom());
    private static final byte[] SECRET = TotpSecret.generate(new SecureRandom()).bytes();
    private static final String USER = "user-1";
    private static final String SEALED = BOX.seal(SECRET, USER).encoded();

    /**
     * A stored value parses only in its one spelling, and opens only when it is the sealed one;
     * a secret sealed for any associated data opens for exactly that data. Nothing throws.
     */
    @FuzzTest
    void parsesOnlyTheStorageFormAndOpensOnlyWhatWeSealedForThatUser(@NotNull String input) {
        Optional<Sealed> parsed = Sealed.parse(input);
        parsed.ifPresent(sealed -> {
            assertThat(sealed.encoded()).isEqualTo(input);
            assertThat(input.length()).isLessThanOrEqualTo(Sealed.MAX_LENGTH);
        });
        assertThat(parsed.flatMap(sealed -> BOX.open(sealed, USER)).isPresent()).isEqualTo(input.equals(SEALED));

        Sealed forInput = BOX.seal(SECRET, input);
        assertThat(BOX.open(forInput, input)).hasValueSatisfying(opened -> assertThat(opened).isEqualTo(SECRET));
        assertThat(BOX.open(forInput, USER).isPresent()).isEqualTo(input.equals(USER));
        assertThat(BOX.open(Sealed.parse(SEALED).orElseThrow(), input).isPresent()).isEqualTo(input.equals(USER));
    }
}
