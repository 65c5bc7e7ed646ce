package dev.authfn.core.jwt;

import static dev.authfn.core.jwt.TokenForge.AUDIENCE;
import static dev.authfn.core.jwt.TokenForge.CLIENT_ID;
import static dev.authfn.core.jwt.TokenForge.CLOCK;
import static dev.authfn.core.jwt.TokenForge.ISSUER;
import static dev.authfn.core.jwt.TokenForge.NOW;
import static dev.authfn.core.jwt.TokenForge.encode;
import static dev.authfn.core.jwt.TokenForge.header;
import static dev.authfn.core.jwt.TokenForge.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.authfn.core.authz.Amr;
import dev.authfn.core.jwt.AccessTokenResult.Reason;
import dev.authfn.core.jwt.AccessTokenResult.Rejected;
import dev.authfn.core.jwt.AccessTokenResult.Verified;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.keys.KeySet;
import java.text.ParseException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzzing (Jazzer) of the access token verifier, {@link AccessTokenVerifier#verify}.
 * Each input is presented twice: as a compact JWS, and as the claims of a token that our key signs
 * under the header our issuer writes (what only a holder of the key could make), so that nimbus's
 * claims parsing and our claims checks behind the signature are fuzzed too. Seeds:
 * {@code AccessTokenVerifierFuzzTestInputs/<method>/}.
 */
class AccessTokenVerifierFuzzTest {

    /** RS256, the default: measured, an EdDSA key made this target no faster. */
    private static final KeySet KEYS = KeySet.generate(CLOCK);
    private static final JwtKey KEY = KEYS.activeJwtKey();
    private static final AccessTokenVerifier VERIFIER = new AccessTokenVerifier(KEYS, ISSUER, AUDIENCE, CLOCK);
    private static final String ISSUED = new AccessTokenIssuer(KEYS, ISSUER, AUDIENCE, CLIENT_ID, CLOCK)
            .issue("user-1", "alice", "session-1", Set.of("user"), Set.of("posts:create"), Amr.PASSWORD, NOW);
    /** What a token with our header and signature can only be refused for when its claims are at fault. */
    private static final Set<Reason> CLAIMS_REASONS = EnumSet.of(Reason.MALFORMED, Reason.MISSING_CLAIM,
            Reason.EXPIRED, Reason.NOT_YET_VALID, Reason.WRONG_ISSUER, Reason.WRONG_AUDIENCE, Reason.BAD_CLAIM);

    /**
     * As presented, only the issued token verifies. Signed by us, claims verify only when they meet
     * the contract (every required claim, {@code iss} exact, our {@code aud}, {@code exp} not passed,
     * {@code iat} not ahead) and come back as written; otherwise the refusal names the claims, never
     * the header or the signature.
     */
    @FuzzTest
    void verifiesOnlyTheIssuedTokenOrOurSignatureOverClaimsThatMeetTheContract(@NotNull String input) {
        AccessTokenResult presented = VERIFIER.verify(input);
        if (input.equals(ISSUED)) {
            assertThat(presented).isInstanceOf(Verified.class);
        } else {
            assertThat(presented).isInstanceOf(Rejected.class);
        }

        String signed = sign(encode(header(KEY)), encode(input), KEY);
        switch (VERIFIER.verify(signed)) {
            case Verified verified -> assertMeetsTheContract(input, verified.claims());
            case Rejected rejected -> assertThat(rejected.reason()).isIn(
                    signed.length() > AccessTokenVerifier.MAX_TOKEN_CHARS ? Set.of(Reason.TOO_LARGE) : CLAIMS_REASONS);
        }
    }

    private static void assertMeetsTheContract(String claimsJson, AccessTokenClaims verified) {
        Map<String, Object> claims;
        try {
            claims = JSONObjectUtils.parse(claimsJson);
        } catch (ParseException e) {
            throw new AssertionError("verified claims that are not a JSON object", e);
        }
        assertThat(claims).containsKeys(AccessTokenClaimsVerifier.REQUIRED_CLAIMS.toArray(String[]::new));
        assertThat(claims.get("iss")).isEqualTo(ISSUER);
        assertThat(claims.get("aud") instanceof List<?> audiences ? audiences : Collections.singletonList(claims.get("aud")))
                .contains(AUDIENCE);
        assertThat(verified.expiresAt()).isAfter(NOW.minus(AccessTokenVerifier.DEFAULT_CLOCK_SKEW));
        assertThat(verified.issuedAt()).isBeforeOrEqualTo(NOW.plus(AccessTokenVerifier.DEFAULT_CLOCK_SKEW));
        assertThat(verified.subject()).isEqualTo(claims.get("sub"));
        assertThat(verified.sessionId()).isEqualTo(claims.get("sid"));
        assertThat(verified.username()).isEqualTo(claims.get("preferred_username"));
    }
}
