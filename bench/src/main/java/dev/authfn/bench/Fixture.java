package dev.authfn.bench;

import com.nimbusds.jose.JWSAlgorithm;
import dev.authfn.core.authz.Amr;
import dev.authfn.auth.RequestAuthenticator;
import dev.authfn.auth.VerifiedTokenCache;
import dev.authfn.core.keys.JwtKey;
import dev.authfn.testkit.lambda.World;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * What the warm-path benchmarks share: a {@link World} (fresh key set, RS256 unless told, in-memory stores, a
 * clock standing at {@link World#T0}) and access tokens it issued, each also taken apart into the
 * signing input and signature bytes a bare {@code java.security.Signature} verification needs.
 */
final class Fixture {

    static final String ROUTE = "GET /protected";

    final World world;

    /** RS256 access tokens, the default. */
    Fixture() {
        this(JWSAlgorithm.RS256);
    }

    Fixture(JWSAlgorithm jwtAlgorithm) {
        world = new World(jwtAlgorithm);
    }

    /** {@code count} distinct tokens (distinct {@code sid}, {@code jti} and signature); count is a power of two. */
    List<String> tokens(int count) {
        if (Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("count must be a power of two");
        }
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(i -> world.codecs.get().issuer().issue(
                        "user-" + i, "user" + i, "session-" + i, Set.of("user"), Set.of("posts:create"), Amr.PASSWORD,
                        world.clock.instant()))
                .toList();
    }

    /** The world's authorizer logic, with the given token cache. */
    RequestAuthenticator authenticator(boolean statelessBearer, VerifiedTokenCache tokenCache) {
        return world.components(java.util.Map.of("AUTHFN_STATELESS_BEARER", Boolean.toString(statelessBearer)))
                .authenticator(tokenCache);
    }

    /** The RSA public key that verifies the world's tokens. */
    PublicKey publicKey() throws Exception {
        JwtKey key = world.keys.activeJwtKey();
        return key.jwk().toRSAKey().toRSAPublicKey();
    }

    static byte[] signingInput(String token) {
        return token.substring(0, token.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] signature(String token) {
        return Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
    }

    static RequestAuthenticator.Request bearerGet(String token) {
        return RequestAuthenticator.Request.builder().method("GET").routeKey(ROUTE)
                .authorization("Bearer " + token).selfOrigin("https://" + World.HOST).build();
    }

    static RequestAuthenticator.Request cookieGet(String cookieHeaderValue) {
        return RequestAuthenticator.Request.builder().method("GET").routeKey(ROUTE)
                .cookies(List.of(cookieHeaderValue)).selfOrigin("https://" + World.HOST).build();
    }
}
