package dev.authfn.core.jwt;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import dev.authfn.core.jwt.AccessTokenResult.Reason;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The claims checks of an access token, run by nimbus's processor once the signature verified.
 * In this order, the first failure deciding the reason: our audience in {@code aud}, every
 * {@linkplain #REQUIRED_CLAIMS required claim} present, {@code iss} exactly ours, {@code exp} not
 * passed and {@code nbf} reached (both within the clock skew), and {@code iat} not ahead of now by
 * more than the skew. We never issue a token of the last kind, so one is forged with a stolen key
 * or minted by a badly wrong clock.
 *
 * <p>Each refusal is a {@link ClaimRejection} carrying its reason, so no reason depends on the
 * wording of a message. Times are compared in milliseconds, the precision the claims are read in.
 * The values of the other claims are {@link AccessTokenClaims}'s to check.
 */
final class AccessTokenClaimsVerifier implements JWTClaimsSetVerifier<SecurityContext> {

    /** Present in every access token we issue; a JSON {@code null} counts as present here. */
    static final Set<String> REQUIRED_CLAIMS = Set.of(
            JWTClaimNames.ISSUER, JWTClaimNames.AUDIENCE, JWTClaimNames.SUBJECT,
            JWTClaimNames.EXPIRATION_TIME, JWTClaimNames.ISSUED_AT, JWTClaimNames.JWT_ID,
            AccessTokenClaims.CLIENT_ID, AccessTokenClaims.SESSION_ID, AccessTokenClaims.USERNAME);

    private final String issuer;
    private final String audience;
    private final long clockSkewMillis;
    private final Clock clock;

    /**
     * @param clockSkew counted in whole seconds, the unit of {@code exp}, {@code nbf} and
     *     {@code iat}
     * @throws ArithmeticException when the skew is more seconds than an {@code int} holds
     */
    AccessTokenClaimsVerifier(String issuer, String audience, Duration clockSkew, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.audience = Objects.requireNonNull(audience, "audience");
        this.clockSkewMillis = Math.toIntExact(clockSkew.toSeconds()) * 1000L;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void verify(JWTClaimsSet claims, SecurityContext context) throws ClaimRejection {
        requireOurAudience(claims.getAudience());
        requirePresent(claims.getClaims().keySet());
        if (!issuer.equals(claims.getClaim(JWTClaimNames.ISSUER))) {
            throw new ClaimRejection(Reason.WRONG_ISSUER, "iss is not exactly ours");
        }
        requireCurrent(claims, clock.instant().toEpochMilli());
    }

    /**
     * One of the audiences must be exactly ours. An {@code aud} that is absent, {@code null} or
     * {@code []} is a missing claim; {@code ""} is an audience, just not ours. A {@code null} among the audiences before ours
     * is no audience value at all, so the claims are malformed.
     */
    private void requireOurAudience(List<String> audiences) throws ClaimRejection {
        if (audiences == null || audiences.isEmpty()) {
            throw new ClaimRejection(Reason.MISSING_CLAIM, "no aud");
        }
        for (String candidate : audiences) {
            if (candidate == null) {
                throw new ClaimRejection(Reason.MALFORMED, "null in aud");
            }
            if (candidate.equals(audience)) {
                return;
            }
        }
        throw new ClaimRejection(Reason.WRONG_AUDIENCE, "aud does not contain ours");
    }

    private static void requirePresent(Set<String> present) throws ClaimRejection {
        if (!present.containsAll(REQUIRED_CLAIMS)) {
            SortedSet<String> missing = new TreeSet<>(REQUIRED_CLAIMS);
            missing.removeAll(present);
            throw new ClaimRejection(Reason.MISSING_CLAIM, "missing " + missing);
        }
    }

    /**
     * Expired once now is the skew or more past {@code exp}; not yet valid while now is the skew or
     * more short of {@code nbf}, or more than the skew short of {@code iat}. A time present as
     * {@code null} is not checked here; {@link AccessTokenClaims} refuses a token without
     * {@code exp} or {@code iat}.
     */
    private void requireCurrent(JWTClaimsSet claims, long nowMillis) throws ClaimRejection {
        Date expiresAt = claims.getExpirationTime();
        if (expiresAt != null && expiresAt.getTime() + clockSkewMillis <= nowMillis) {
            throw new ClaimRejection(Reason.EXPIRED, "exp passed");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.getTime() - clockSkewMillis >= nowMillis) {
            throw new ClaimRejection(Reason.NOT_YET_VALID, "nbf ahead");
        }
        Date issuedAt = claims.getIssueTime();
        if (issuedAt != null && issuedAt.getTime() > nowMillis + clockSkewMillis) {
            throw new ClaimRejection(Reason.NOT_YET_VALID, "iat ahead");
        }
    }
}
