package dev.authfn.core.jwt;

import static dev.authfn.core.jwt.TokenForge.AUDIENCE;
import static dev.authfn.core.jwt.TokenForge.CLOCK;
import static dev.authfn.core.jwt.TokenForge.ISSUER;
import static dev.authfn.core.jwt.TokenForge.claims;
import static dev.authfn.core.jwt.TokenForge.header;
import static dev.authfn.core.jwt.TokenForge.sign;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.authfn.core.jwt.AccessTokenResult.Reason;
import dev.authfn.core.jwt.AccessTokenResult.Rejected;
import dev.authfn.core.jwt.AccessTokenResult.Verified;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.keys.KeySet;
import java.text.ParseException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reasons come from the type of what was thrown, never from its message: ours carry the reason,
 * nimbus's own are told apart by class alone.
 */
class AccessTokenVerifierReasonTest {
    private static final KeySet KEYS = KeySet.generate(JWSAlgorithm.RS256, CLOCK);
    private static final JwtKey OUR_KEY = KEYS.activeJwtKey();

    private final AccessTokenVerifier verifier = new AccessTokenVerifier(KEYS, ISSUER, AUDIENCE, CLOCK);

    // --- our typed rejections ------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Reason.class)
    void readsTheReasonOfEachOfOurRejections(Reason reason) {
        assertThat(AccessTokenVerifier.reasonFor(new ClaimRejection(reason, "detail"))).isEqualTo(reason);
        assertThat(AccessTokenVerifier.reasonFor(new HeaderRejection(reason, "detail"))).isEqualTo(reason);
        assertThat(AccessTokenVerifier.reasonFor(new KeyRejection(reason, "detail"))).isEqualTo(reason);
    }

    @Test
    void ignoresTheMessageOfOurRejections() {
        // nimbus's words for other reasons change nothing
        assertThat(AccessTokenVerifier.reasonFor(new ClaimRejection(Reason.EXPIRED, "JWT iss claim value rejected")))
                .isEqualTo(Reason.EXPIRED);
        assertThat(AccessTokenVerifier.reasonFor(new HeaderRejection(Reason.WRONG_TYP, "no matching key(s) found")))
                .isEqualTo(Reason.WRONG_TYP);
        assertThat(AccessTokenVerifier.reasonFor(new KeyRejection(Reason.UNKNOWN_KID, "typ (type) not allowed")))
                .isEqualTo(Reason.UNKNOWN_KID);
    }

    // --- nimbus's own exceptions -----------------------------------------------------------------

    static Stream<Exception> nimbusClaimsRefusalsInItsOwnWords() {
        return Stream.of(
                new ExpiredJWTException("Expired JWT"),
                new BadJWTException("JWT before use time"),
                new BadJWTException("JWT missing required claims: [sub]"),
                new BadJWTException("JWT missing required aud claim"),
                new BadJWTException("JWT aud claim rejected"),
                new BadJWTException("JWT iss claim value rejected"),
                new BadJWTException("JWT issued in the future"));
    }

    @ParameterizedTest
    @MethodSource("nimbusClaimsRefusalsInItsOwnWords")
    void treatsAClaimsRefusalNotOursAsBadClaimWhateverItSays(Exception nimbusWords) {
        assertThat(AccessTokenVerifier.reasonFor(nimbusWords)).isEqualTo(Reason.BAD_CLAIM);
    }

    static Stream<Exception> nimbusHeaderRefusalsInItsOwnWords() {
        return Stream.of(
                new BadJOSEException("JOSE header typ (type) JWT not allowed"),
                new BadJOSEException("Required JOSE header typ (type) parameter is missing"),
                new BadJOSEException("Signed JWT rejected: Another algorithm expected, or no matching key(s) found"));
    }

    @ParameterizedTest
    @MethodSource("nimbusHeaderRefusalsInItsOwnWords")
    void treatsAJoseRefusalNotOursAsMalformedWhateverItSays(Exception nimbusWords) {
        assertThat(AccessTokenVerifier.reasonFor(nimbusWords)).isEqualTo(Reason.MALFORMED);
    }

    @Test
    void mapsNimbusExceptionsByTypeAlone() {
        assertThat(AccessTokenVerifier.reasonFor(new BadJWSException("anything"))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(AccessTokenVerifier.reasonFor(new BadJWTException("anything", new ParseException("x", 0))))
                .isEqualTo(Reason.MALFORMED);
        assertThat(AccessTokenVerifier.reasonFor(new JOSEException("anything"))).isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(AccessTokenVerifier.reasonFor(new KeySourceException("no matching key")))
                .isEqualTo(Reason.BAD_SIGNATURE);
        assertThat(AccessTokenVerifier.reasonFor(new ParseException("anything", 0))).isEqualTo(Reason.MALFORMED);
        assertThat(AccessTokenVerifier.reasonFor(new IllegalStateException("anything"))).isEqualTo(Reason.MALFORMED);
    }

    // --- through the processor ---------------------------------------------------------------------

    @Test
    void refusesAHeaderAskingForACertificateThumbprintAsUnknownKid() {
        // screening passes it (our kid, our alg); only the key selector finds no key for it
        Map<String, Object> header = header(OUR_KEY);
        header.put("x5t#S256", "AAAA");

        assertThat(verifier.verify(sign(header, claims(), OUR_KEY))).isEqualTo(new Rejected(Reason.UNKNOWN_KID));
    }

    @Test
    void checksTypBeforeTheKey() {
        Map<String, Object> header = header(OUR_KEY);
        header.put("x5t#S256", "AAAA");
        header.put("typ", "JWT");

        assertThat(verifier.verify(sign(header, claims(), OUR_KEY))).isEqualTo(new Rejected(Reason.WRONG_TYP));
    }

    @Test
    void checksTheSignatureBeforeTheClaims() {
        Map<String, Object> expiredAndForeign = claims();
        expiredAndForeign.put("exp", 1);
        expiredAndForeign.put("iss", "https://evil.example");
        String token = sign(header(OUR_KEY), expiredAndForeign, KeySet.generate(JWSAlgorithm.RS256, CLOCK)
                .activeJwtKey());

        assertThat(verifier.verify(token)).isEqualTo(new Rejected(Reason.BAD_SIGNATURE));
    }

    @Test
    void acceptsTypAtJwtInUpperCase() {
        Map<String, Object> header = header(OUR_KEY);
        header.put("typ", "AT+JWT");

        assertThat(verifier.verify(sign(header, claims(), OUR_KEY))).isInstanceOf(Verified.class);
    }
}
