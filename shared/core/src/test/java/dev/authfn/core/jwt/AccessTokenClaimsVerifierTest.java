package dev.authfn.core.jwt;

import static dev.authfn.core.jwt.TokenForge.AUDIENCE;
import static dev.authfn.core.jwt.TokenForge.CLOCK;
import static dev.authfn.core.jwt.TokenForge.ISSUER;
import static dev.authfn.core.jwt.TokenForge.NOW;
import static dev.authfn.core.jwt.TokenForge.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.authfn.core.jwt.AccessTokenResult.Reason;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each refusal of the claims checks is a {@link ClaimRejection} whose reason says why, whatever its message. */
class AccessTokenClaimsVerifierTest {
    private static final Duration SKEW = AccessTokenVerifier.DEFAULT_CLOCK_SKEW;

    private final AccessTokenClaimsVerifier verifier = new AccessTokenClaimsVerifier(ISSUER, AUDIENCE, SKEW, CLOCK);

    /** The reason {@code claimsVerifier} refuses these claims for; fails if it accepts them. */
    private static Reason refusal(AccessTokenClaimsVerifier claimsVerifier, Map<String, Object> claims)
            throws ParseException {
        JWTClaimsSet parsed = JWTClaimsSet.parse(claims);
        ClaimRejection rejection =
                catchThrowableOfType(ClaimRejection.class, () -> claimsVerifier.verify(parsed, null));
        assertThat(rejection).as("a ClaimRejection").isNotNull();
        return rejection.reason();
    }

    private Reason refusal(Map<String, Object> claims) throws ParseException {
        return refusal(verifier, claims);
    }

    private void assertAccepted(Map<String, Object> claims) throws ParseException {
        JWTClaimsSet parsed = JWTClaimsSet.parse(claims);
        assertDoesNotThrow(() -> verifier.verify(parsed, null));
    }

    private static AccessTokenClaimsVerifier at(long secondsAfterNow) {
        return new AccessTokenClaimsVerifier(ISSUER, AUDIENCE, SKEW,
                Clock.fixed(NOW.plusSeconds(secondsAfterNow), ZoneOffset.UTC));
    }

    @Test
    void acceptsTheClaimsOurIssuerWrites() throws Exception {
        assertAccepted(claims());
    }

    // --- exp, nbf, iat -------------------------------------------------------------------------

    @Test
    void refusesExpPassedByTheSkewOrMoreAsExpired() throws Exception {
        // exp is NOW + 300 s; the skew is 60 s
        assertThat(refusal(at(300 + 61), claims())).isEqualTo(Reason.EXPIRED);
        assertThat(refusal(at(300 + 60), claims())).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void acceptsExpPassedByLessThanTheSkew() {
        AccessTokenClaimsVerifier almost = new AccessTokenClaimsVerifier(ISSUER, AUDIENCE, SKEW,
                Clock.fixed(NOW.plusSeconds(300 + 60).minusMillis(1), ZoneOffset.UTC));

        assertDoesNotThrow(() -> almost.verify(JWTClaimsSet.parse(claims()), null));
    }

    @Test
    void countsTheSkewInWholeSeconds() throws Exception {
        AccessTokenClaimsVerifier halfSecondSkew = new AccessTokenClaimsVerifier(ISSUER, AUDIENCE,
                Duration.ofMillis(500), Clock.fixed(NOW.plusSeconds(300), ZoneOffset.UTC));

        assertThat(refusal(halfSecondSkew, claims())).isEqualTo(Reason.EXPIRED);
    }

    @Test
    void refusesNbfAheadAsNotYetValid() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("nbf", NOW.getEpochSecond() + 300);

        assertThat(refusal(claims)).isEqualTo(Reason.NOT_YET_VALID);
    }

    @Test
    void refusesNbfAheadByExactlyTheSkewAndAcceptsOneWithinIt() throws Exception {
        Map<String, Object> atSkew = claims();
        atSkew.put("nbf", NOW.getEpochSecond() + 60);
        Map<String, Object> withinSkew = claims();
        withinSkew.put("nbf", NOW.getEpochSecond() + 59);

        assertThat(refusal(atSkew)).isEqualTo(Reason.NOT_YET_VALID);
        assertAccepted(withinSkew);
    }

    @Test
    void refusesIatAheadBeyondTheSkewAsNotYetValidAndAcceptsOneAtTheSkew() throws Exception {
        Map<String, Object> ahead = claims();
        ahead.put("iat", NOW.getEpochSecond() + 61);
        Map<String, Object> atSkew = claims();
        atSkew.put("iat", NOW.getEpochSecond() + 60);

        assertThat(refusal(ahead)).isEqualTo(Reason.NOT_YET_VALID);
        assertAccepted(atSkew);
    }

    @Test
    void leavesATimeThatIsNullToTheClaimsRecord() throws Exception {
        // present, so not missing; AccessTokenClaims refuses it as a bad claim
        Map<String, Object> claims = claims();
        claims.put("exp", null);

        assertAccepted(claims);
    }

    // --- iss -----------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {ISSUER + "/", "https://AUTH.example.com", "http://auth.example.com", "https://evil.example", ""})
    void refusesIssuerThatIsNotExactlyOursAsWrongIssuer(String iss) throws Exception {
        Map<String, Object> claims = claims();
        claims.put("iss", iss);

        assertThat(refusal(claims)).isEqualTo(Reason.WRONG_ISSUER);
    }

    @Test
    void refusesNullIssuerAsWrongIssuer() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("iss", null);

        assertThat(refusal(claims)).isEqualTo(Reason.WRONG_ISSUER);
    }

    // --- aud -----------------------------------------------------------------------------------

    @Test
    void refusesForeignAudienceAsWrongAudience() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("aud", List.of("https://other.example.com", AUDIENCE + "/"));

        assertThat(refusal(claims)).isEqualTo(Reason.WRONG_AUDIENCE);
    }

    @Test
    void acceptsAudienceListThatIncludesOurs() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("aud", List.of("https://other.example.com", AUDIENCE));

        assertAccepted(claims);
    }

    @Test
    void refusesEmptyAudienceListOrNullAsMissingClaim() throws Exception {
        Map<String, Object> emptyList = claims();
        emptyList.put("aud", List.of());
        Map<String, Object> nullAudience = claims();
        nullAudience.put("aud", null);

        assertThat(refusal(emptyList)).isEqualTo(Reason.MISSING_CLAIM);
        assertThat(refusal(nullAudience)).isEqualTo(Reason.MISSING_CLAIM);
    }

    @Test
    void refusesEmptyStringAudienceAsWrongAudience() throws Exception {
        Map<String, Object> claims = claims();
        claims.put("aud", "");

        assertThat(refusal(claims)).isEqualTo(Reason.WRONG_AUDIENCE);
    }

    @Test
    void refusesNullAmongTheAudiencesBeforeOursAsMalformed() throws Exception {
        Map<String, Object> before = claims();
        before.put("aud", Arrays.asList(null, AUDIENCE));
        Map<String, Object> after = claims();
        after.put("aud", Arrays.asList(AUDIENCE, null));

        assertThat(refusal(before)).isEqualTo(Reason.MALFORMED);
        assertAccepted(after);
    }

    // --- required claims -----------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"iss", "aud", "sub", "exp", "iat", "jti", "client_id", "sid", "preferred_username"})
    void refusesEachMissingRequiredClaimAsMissingClaim(String claim) throws Exception {
        Map<String, Object> claims = claims();
        claims.remove(claim);

        assertThat(refusal(claims)).isEqualTo(Reason.MISSING_CLAIM);
    }

    @Test
    void requiresExactlyTheClaimsEveryAccessTokenCarries() {
        assertThat(AccessTokenClaimsVerifier.REQUIRED_CLAIMS).containsExactlyInAnyOrder(
                "iss", "aud", "sub", "exp", "iat", "jti", "client_id", "sid", "preferred_username");
    }

    @Test
    void acceptsTokenWithoutTheOptionalClaims() throws Exception {
        Map<String, Object> claims = claims();
        claims.remove("roles");
        claims.remove("scope");

        assertAccepted(claims);
    }

    // --- order ---------------------------------------------------------------------------------

    @Test
    void checksAudienceThenPresenceThenIssuerThenTimes() throws Exception {
        // given: claims wrong in every way at once, then fixed one check at a time
        Map<String, Object> claims = claims();
        claims.put("aud", "https://other.example.com");
        claims.remove("sub");
        claims.put("iss", "https://evil.example");
        claims.put("nbf", NOW.getEpochSecond() + 600);
        AccessTokenClaimsVerifier late = at(3600);

        // when / then
        assertThat(refusal(late, claims)).isEqualTo(Reason.WRONG_AUDIENCE);
        claims.put("aud", AUDIENCE);
        assertThat(refusal(late, claims)).isEqualTo(Reason.MISSING_CLAIM);
        claims.put("sub", "user-1");
        assertThat(refusal(late, claims)).isEqualTo(Reason.WRONG_ISSUER);
        claims.put("iss", ISSUER);
        assertThat(refusal(late, claims)).isEqualTo(Reason.EXPIRED);
        assertThat(refusal(claims)).isEqualTo(Reason.NOT_YET_VALID);
    }
}
