package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.authz.Amr;
import dev.authfn.core.jwt.AccessTokenClaims;
import dev.authfn.core.jwt.AccessTokenIssuer;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.jwt.AccessTokenResult.Reason;
import dev.authfn.core.jwt.AccessTokenVerifier;
import dev.authfn.core.keys.KeySet;
import dev.authfn.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final String ISSUER = "https://auth.example.com";
    private static final String AUDIENCE = "authfn-api";

    private final MutableClock clock = new MutableClock(T0);
    private final KeySet keys = KeySet.generate(clock);
    private final AccessTokenIssuer issuer =
            new AccessTokenIssuer(keys, ISSUER, AUDIENCE, "authfn", LIFETIME, clock);
    private final AccessTokenVerifier verifier = new AccessTokenVerifier(keys, ISSUER, AUDIENCE, clock);
    private final List<String> verified = new ArrayList<>();
    private final Function<String, AccessTokenResult> counting = token -> {
        verified.add(token);
        return verifier.verify(token);
    };

    private String token(int n) {
        return issuer.issue("u-" + n, "user" + n, "session-" + n, Set.of("user"), Set.of(), Amr.PASSWORD,
                clock.instant());
    }

    @Test
    void servesARepeatedTokenWithoutVerifyingItAgain() {
        VerifiedTokenCache cache = new VerifiedTokenCache(8);
        String token = token(1);

        AccessTokenResult first = cache.verify(token, verifier, counting, T0);
        AccessTokenResult second = cache.verify(token, verifier, counting, T0.plusSeconds(30));

        assertThat(first).isInstanceOf(AccessTokenResult.Verified.class);
        assertThat(second).isSameAs(first);
        assertThat(verified).containsExactly(token);
    }

    @Test
    void servesUntilJustBeforeExpAndVerifiesAfreshAtExp() {
        VerifiedTokenCache cache = new VerifiedTokenCache(8);
        String token = token(1);
        Instant exp = claims(cache.verify(token, verifier, counting, T0)).expiresAt();

        cache.verify(token, verifier, counting, exp.minusNanos(1));
        clock.set(exp);
        AccessTokenResult atExp = cache.verify(token, verifier, counting, exp);

        assertThat(verified).hasSize(2);
        assertThat(atExp).isInstanceOf(AccessTokenResult.Verified.class); // the verifier's 60 s skew
        assertThat(cache.size()).isZero(); // ... but the cache does not take it back
    }

    @Test
    void neverServesATokenPastExpEvenWhenTheVerifierIsNotAsked() {
        VerifiedTokenCache cache = new VerifiedTokenCache(8);
        String token = token(1);
        Instant exp = claims(cache.verify(token, verifier, counting, T0)).expiresAt();

        clock.set(exp.plus(Duration.ofMinutes(2)));
        AccessTokenResult late = cache.verify(token, verifier, counting, clock.instant());

        assertThat(late).isEqualTo(new AccessTokenResult.Rejected(Reason.EXPIRED));
        assertThat(verified).hasSize(2);
    }

    @Test
    void doesNotRememberATokenVerifiedWithinTheClockSkewAfterExp() {
        VerifiedTokenCache cache = new VerifiedTokenCache(8);
        String token = token(1);
        clock.set(T0.plus(LIFETIME).plusSeconds(30));

        AccessTokenResult result = cache.verify(token, verifier, counting, clock.instant());

        assertThat(result).isInstanceOf(AccessTokenResult.Verified.class);
        assertThat(cache.size()).isZero();
    }

    @Test
    void verifiesAgainForAnotherVerifier() {
        VerifiedTokenCache cache = new VerifiedTokenCache(8);
        String token = token(1);
        AccessTokenVerifier afterRotation = new AccessTokenVerifier(keys, ISSUER, AUDIENCE, clock);

        cache.verify(token, verifier, counting, T0);
        cache.verify(token, afterRotation, counting, T0);

        assertThat(verified).containsExactly(token, token);
    }

    @Test
    void doesNotRememberRefusedTokens() {
        VerifiedTokenCache cache = new VerifiedTokenCache(8);

        AccessTokenResult first = cache.verify("not-a-jwt", verifier, counting, T0);
        cache.verify("not-a-jwt", verifier, counting, T0);

        assertThat(first).isEqualTo(new AccessTokenResult.Rejected(Reason.MALFORMED));
        assertThat(verified).hasSize(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void holdsNoMoreThanItsBoundAndDropsTheLeastRecentlyUsed() {
        VerifiedTokenCache cache = new VerifiedTokenCache(3);
        List<String> tokens = List.of(token(0), token(1), token(2), token(3), token(4), token(5));
        cache.verify(tokens.get(0), verifier, counting, T0);
        for (String token : tokens.subList(1, tokens.size())) {
            cache.verify(token, verifier, counting, T0);
            cache.verify(tokens.get(0), verifier, counting, T0); // keeps the first one in use
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
        verified.clear();

        cache.verify(tokens.get(0), verifier, counting, T0);
        cache.verify(tokens.get(5), verifier, counting, T0);
        cache.verify(tokens.get(4), verifier, counting, T0);
        cache.verify(tokens.get(3), verifier, counting, T0);

        assertThat(verified).containsExactly(tokens.get(3));
        assertThat(cache.size()).isEqualTo(3);
    }

    @Test
    void verifiesEveryTokenWhenDisabled() {
        VerifiedTokenCache cache = VerifiedTokenCache.disabled();
        String token = token(1);

        cache.verify(token, verifier, counting, T0);
        cache.verify(token, verifier, counting, T0);

        assertThat(verified).hasSize(2);
        assertThat(cache.size()).isZero();
    }

    @Test
    void verifiesWithTheGivenVerifier() {
        VerifiedTokenCache cache = new VerifiedTokenCache(8);

        AccessTokenResult result = cache.verify(token(1), verifier, T0);

        assertThat(claims(result).subject()).isEqualTo("u-1");
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void refusesANegativeBound() {
        assertThatThrownBy(() -> new VerifiedTokenCache(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    private static AccessTokenClaims claims(AccessTokenResult result) {
        return ((AccessTokenResult.Verified) result).claims();
    }

    @Test
    void holdsAsManyTokensAsItWasToldAndADisabledOneNone() {
        assertThat(new VerifiedTokenCache(8).maxEntries()).isEqualTo(8);
        assertThat(VerifiedTokenCache.disabled().maxEntries()).isZero();
    }
}
