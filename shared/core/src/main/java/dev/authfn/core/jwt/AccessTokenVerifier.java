package dev.authfn.core.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.authfn.core.jwt.AccessTokenResult.Reason;
import dev.authfn.core.jwt.AccessTokenResult.Rejected;
import dev.authfn.core.jwt.AccessTokenResult.Verified;
import dev.authfn.core.internal.Base64Url;
import dev.authfn.core.jwt.internal.KeySetKeySelector;
import dev.authfn.core.jwt.internal.KeySetVerifierFactory;
import dev.authfn.core.jwt.internal.ScreenedSignedJwt;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.core.keys.KeySet;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies access tokens against the key set's active and verify-only JWT keys. Built once at init
 * (the nimbus processor inside is reused); {@link #verify} never throws and never makes a network
 * request.
 *
 * <p>Order of checks: size (before any parsing), shape (three canonical base64url parts; five
 * means JWE), the unverified header ({@code jku}/{@code x5u}/{@code jwk}/{@code x5c}, {@code alg:
 * none} in any case, {@code crit}, {@code alg} against the allowlist of our keys' algorithms and
 * the {@code alg} of the key its {@code kid} names), then nimbus's {@link DefaultJWTProcessor}
 * with our checks plugged in: {@code typ} exactly {@code at+jwt} ({@link AccessTokenTypeVerifier}),
 * a key of ours for the header ({@link AccessTokenKeySelector}), the signature, then the claims
 * ({@link AccessTokenClaimsVerifier}): our audience in {@code aud}, the required claims present,
 * {@code iss} exact, {@code exp}/{@code nbf} within the clock skew and {@code iat} not ahead of it.
 *
 * <p>Our checks throw a {@link TokenRejection} carrying its reason; what nimbus itself throws is
 * told apart by exception type only, never by message, so no reason depends on nimbus's wording.
 */
public final class AccessTokenVerifier {
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    /** Tokens longer than this are refused unparsed; an RS256 access token is about 1 KB. */
    public static final int MAX_TOKEN_CHARS = 8 * 1024;

    private static final Set<String> KEY_REFERENCES = Set.of("jku", "x5u", "jwk", "x5c");

    private final Map<String, JWSAlgorithm> algorithmByKid;
    private final Set<String> allowedAlgorithms;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public AccessTokenVerifier(KeySet keys, String issuer, String audience, Clock clock) {
        this(keys, issuer, audience, DEFAULT_CLOCK_SKEW, clock);
    }

    /**
     * Builds the processor once: the verification keys are matched and converted to JDK keys, and
     * their nimbus verifiers made, here rather than for every token.
     */
    public AccessTokenVerifier(KeySet keys, String issuer, String audience, Duration clockSkew, Clock clock) {
        if (issuer == null || issuer.isBlank() || audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("issuer and audience must not be blank");
        }
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clockSkew must not be negative");
        }
        // Loops, not streams: this runs in every cold start, where each lambda costs a class.
        Map<String, JWSAlgorithm> algorithms = new HashMap<>();
        Set<String> algorithmNames = new HashSet<>();
        for (JwtKey key : keys.verifyingJwtKeys()) {
            algorithms.put(key.kid(), key.algorithm());
            algorithmNames.add(key.algorithm().getName());
        }
        this.algorithmByKid = Map.copyOf(algorithms);
        this.allowedAlgorithms = Set.copyOf(algorithmNames);
        KeySetKeySelector keySelector = new KeySetKeySelector(keys.verifyingJwtKeys());

        processor.setJWSTypeVerifier(new AccessTokenTypeVerifier());
        processor.setJWSKeySelector(new AccessTokenKeySelector(keySelector));
        processor.setJWSVerifierFactory(new KeySetVerifierFactory(keySelector.candidates().values()));
        processor.setJWTClaimsSetVerifier(new AccessTokenClaimsVerifier(issuer, audience, clockSkew, clock));
    }

    /** Verifies a presented token; any input, {@code null} included, gives a result, never an exception. */
    public AccessTokenResult verify(String presentedToken) {
        try {
            Optional<Reason> refusal = screen(presentedToken);
            if (refusal.isPresent()) {
                return new Rejected(refusal.get());
            }
            // screen() found exactly two dots and nothing but base64url around them.
            int headerEnd = presentedToken.indexOf('.');
            int claimsEnd = presentedToken.indexOf('.', headerEnd + 1);
            SignedJWT unverified = new ScreenedSignedJwt(
                    presentedToken.substring(0, headerEnd),
                    presentedToken.substring(headerEnd + 1, claimsEnd),
                    presentedToken.substring(claimsEnd + 1));
            JWTClaimsSet verifiedClaims = processor.process(unverified, null);
            return toResult(verifiedClaims);
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            return new Rejected(reasonFor(e));
        }
    }

    /** Checks size, shape and the still unverified header before nimbus sees the token. */
    private Optional<Reason> screen(String presentedToken) throws ParseException {
        if (presentedToken == null) {
            return Optional.of(Reason.MALFORMED);
        }
        if (presentedToken.length() > MAX_TOKEN_CHARS) {
            return Optional.of(Reason.TOO_LARGE);
        }
        int headerEnd = presentedToken.indexOf('.');
        int claimsEnd = headerEnd < 0 ? -1 : presentedToken.indexOf('.', headerEnd + 1);
        if (claimsEnd < 0 || presentedToken.indexOf('.', claimsEnd + 1) >= 0) {
            return Optional.of(countDots(presentedToken) == 4 ? Reason.ENCRYPTED : Reason.MALFORMED);
        }
        // Canonical: no two strings decode to the same bytes (nimbus's decoder skips stray
        // characters and ignores trailing bits).
        if (!Base64Url.isCanonical(presentedToken, 0, headerEnd)
                || !Base64Url.isCanonical(presentedToken, headerEnd + 1, claimsEnd)
                || !Base64Url.isCanonical(presentedToken, claimsEnd + 1, presentedToken.length())) {
            return Optional.of(Reason.MALFORMED);
        }
        Map<String, Object> unverifiedHeader = JSONObjectUtils.parse(new String(
                Base64.getUrlDecoder().decode(presentedToken.substring(0, headerEnd)), StandardCharsets.UTF_8));
        for (String member : unverifiedHeader.keySet()) {
            if (KEY_REFERENCES.contains(member)) {
                return Optional.of(Reason.KEY_IN_HEADER);
            }
        }
        if (!(unverifiedHeader.get("alg") instanceof String alg)) {
            return Optional.of(Reason.MALFORMED);
        }
        if (alg.equalsIgnoreCase("none")) {
            return Optional.of(Reason.ALG_NONE);
        }
        if (unverifiedHeader.containsKey("crit")) {
            return Optional.of(Reason.CRITICAL_HEADER);
        }
        if (!allowedAlgorithms.contains(alg)) {
            return Optional.of(Reason.ALG_NOT_ALLOWED);
        }
        if (!(unverifiedHeader.get("kid") instanceof String kid) || !algorithmByKid.containsKey(kid)) {
            return Optional.of(Reason.UNKNOWN_KID);
        }
        if (!algorithmByKid.get(kid).getName().equals(alg)) {
            return Optional.of(Reason.ALG_NOT_ALLOWED);
        }
        return Optional.empty();
    }

    private static int countDots(String s) {
        int dots = 0;
        for (int i = s.indexOf('.'); i >= 0; i = s.indexOf('.', i + 1)) {
            dots++;
        }
        return dots;
    }

    private static AccessTokenResult toResult(JWTClaimsSet verifiedClaims) {
        try {
            return new Verified(AccessTokenClaims.fromJwtClaims(verifiedClaims));
        } catch (ParseException | RuntimeException e) {
            return new Rejected(Reason.BAD_CLAIM);
        }
    }

    /**
     * The one place where an exception becomes a reason (package-private for tests). Our own
     * checks carry theirs; for what nimbus throws, the type alone decides: a signature that does
     * not verify, or cannot be checked, is a bad signature; claims that do not parse, and any
     * other refusal of the JOSE object, are malformed.
     */
    static Reason reasonFor(Exception e) {
        return switch (e) {
            case TokenRejection ours -> ours.reason();
            case BadJWSException invalidSignature -> Reason.BAD_SIGNATURE;
            case BadJWTException badClaims when badClaims.getCause() instanceof ParseException -> Reason.MALFORMED;
            case BadJWTException badClaims -> Reason.BAD_CLAIM;
            case BadJOSEException other -> Reason.MALFORMED;
            case JOSEException cryptoFailure -> Reason.BAD_SIGNATURE;
            default -> Reason.MALFORMED; // ParseException and any RuntimeException from parsing
        };
    }
}
