package dev.authfn.core.cookie;

import static dev.authfn.core.testing.TestKeys.hmac;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.authfn.core.cookie.SessionCookieCodec.Invalid;
import dev.authfn.core.cookie.SessionCookieCodec.Reason;
import dev.authfn.core.cookie.SessionCookieCodec.Result;
import dev.authfn.core.cookie.SessionCookieCodec.Valid;
import dev.authfn.core.internal.HmacSha256;
import dev.authfn.core.keys.HmacKey;
import dev.authfn.core.keys.KeyStatus;
import dev.authfn.core.token.SessionToken;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Coverage-guided fuzzing (Jazzer) of the session cookie envelope, {@link SessionCookieCodec#verify}.
 * Each input is presented twice: as it is, and as a body signed with the cookie key (what only a
 * holder of the key could make), so that the parsing behind the signature check is fuzzed too.
 * Seeds: {@code SessionCookieCodecFuzzTestInputs/<method>/}.
 */
class SessionCookieCodecFuzzTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration LIFETIME = Duration.ofHours(8);
    private static final Duration SKEW = Duration.ofSeconds(60);
    private static final HmacKey KEY = hmac("cookie-fuzz", KeyStatus.ACTIVE);
    private static final SessionCookieCodec CODEC = new SessionCookieCodec(KEY, List.of(KEY), LIFETIME, SKEW);
    private static final HmacSha256 MAC = new HmacSha256(KEY, List.of(KEY));
    private static final String ISSUED = CODEC.sign(SessionToken.generate(new SecureRandom()), NOW);

    /**
     * As presented, only the issued value is valid. Signed with our key, a body is valid only when it
     * is exactly what {@link SessionCookieCodec#sign} writes for the token and time it decodes to
     * (one spelling per session, inside the lifetime), and is never refused for its signature.
     */
    @FuzzTest
    void validOnlyForTheIssuedValueOrACanonicalEnvelopeSignedWithOurKey(@NotNull String input) {
        Result presented = CODEC.verify(input, NOW);
        if (input.equals(ISSUED)) {
            assertThat(presented).isInstanceOf(Valid.class);
        } else {
            assertThat(presented).isInstanceOf(Invalid.class);
        }

        String signed = input + "." + MAC.sign(input);
        switch (CODEC.verify(signed, NOW)) {
            case Valid valid -> {
                assertThat(CODEC.sign(valid.token(), valid.issuedAt())).isEqualTo(signed);
                assertThat(valid.kid()).isEqualTo(KEY.kid());
                assertThat(valid.issuedAt()).isBeforeOrEqualTo(NOW.plus(SKEW)).isAfter(NOW.minus(LIFETIME));
            }
            case Invalid invalid -> assertThat(invalid.reason()).isNotEqualTo(Reason.BAD_SIGNATURE);
        }
    }
}
