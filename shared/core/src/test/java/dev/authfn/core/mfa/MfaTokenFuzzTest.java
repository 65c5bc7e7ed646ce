package dev.authfn.core.mfa;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.nimbusds.jose.JWSAlgorithm;
import dev.authfn.core.internal.Base64Url;
import dev.authfn.core.json.Json;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.mfa.MfaToken.Verified;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Coverage-guided fuzzing (Jazzer) of {@link MfaToken#verify}. Each input is presented twice: as
 * a token, and as the payload of a token MACed under our mfa subkey (what only a holder of the key
 * could make), so that the strict reading of the payload behind the MAC is fuzzed too. The mfa
 * key's kid is fixed, {@code mfa-fuzz}, so that seeds can name it. Seeds:
 * {@code MfaTokenFuzzTestInputs/<method>/}.
 */
class MfaTokenFuzzTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);
    private static final KeySet KEYS = withMfaKid(KeySet.generate(JWSAlgorithm.HS256, CLOCK), "mfa-fuzz");
    private static final MfaToken TOKENS = new MfaToken(KEYS, new SecureRandom());
    private static final Instant NOW = CLOCK.instant();
    private static final String ISSUED = TOKENS.issue("user-1", "alice", NOW).token();

    private static KeySet withMfaKid(KeySet keys, String kid) {
        return KeySet.parse(keys.toJson().replace(keys.activeMfaKey().orElseThrow().kid(), kid));
    }

    /**
     * As presented, only the issued token verifies. MACed by us, a payload verifies only when it is
     * a JSON object of exactly the six members, version 1, our kid, and an expiry after now, and
     * it comes back as written. Nothing throws.
     */
    @FuzzTest
    void verifiesOnlyTheIssuedTokenOrOurMacOverAPayloadThatMeetsTheContract(@NotNull String input) {
        assertThat(TOKENS.verify(input, NOW).isPresent()).isEqualTo(input.equals(ISSUED));

        String signed = macedByUs(input);
        Optional<Verified> verified = TOKENS.verify(signed, NOW);
        if (verified.isPresent()) {
            assertThat(signed.length()).isLessThanOrEqualTo(MfaToken.MAX_LENGTH);
            Map<String, Object> payload = Json.parseObject(input).orElseThrow();
            assertThat(payload).containsOnlyKeys("v", "kid", "sub", "name", "att", "exp")
                    .containsEntry("v", 1L).containsEntry("kid", "mfa-fuzz")
                    .containsEntry("sub", verified.get().userId()).containsEntry("name", verified.get().username());
            assertThat(verified.get().userId()).isNotEmpty();
            assertThat(verified.get().username()).isNotEmpty();
            assertThat(verified.get().attemptHash()).isEqualTo(MfaToken.attemptHash((String) payload.get("att")));
            assertThat(verified.get().expiresAt()).isAfter(NOW)
                    .isEqualTo(Instant.ofEpochSecond((Long) payload.get("exp")));
        }
    }

    private static String macedByUs(String payload) {
        String body = Base64Url.encode(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Hkdf.expand(KEYS.activeMfaKey().orElseThrow().secret(),
                    MfaToken.INFO.getBytes(StandardCharsets.US_ASCII)), "HmacSHA256"));
            return body + '.' + Base64Url.encode(mac.doFinal(body.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
