package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.token.SessionToken;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Why the credentials a restored SnapStart snapshot issues are unique per execution environment
 * (docs/SECURITY.md, "SnapStart and uniqueness"): the generator is created before the snapshot,
 * but it is the operating system's ({@code NativePRNG}), which mixes fresh bytes from
 * {@code /dev/urandom} into every draw, so no state copied with the snapshot decides a value.
 * A DRBG or SHA1PRNG instance, whose whole state lives in the heap, would repeat its sequence in
 * every environment restored from one snapshot: these tests fail if the root is given one.
 */
class SnapStartUniquenessTest {

    @Test
    void theRootDrawsEveryCredentialFromTheOperatingSystemsGenerator() {
        SecureRandom random = Components.fromEnvironment(Map.of()).random();

        assertThat(random.getAlgorithm()).isEqualTo("NativePRNG");
    }

    @Test
    void theDefaultGeneratorElsewhereIsTheSameOne() {
        // AccessTokenIssuer (jti) and UUID.randomUUID (post ids in the example routes) use the JDK's default.
        assertThat(new SecureRandom().getAlgorithm()).isEqualTo("NativePRNG");
    }

    @Test
    void twoGeneratorsStartedFromTheSameHeapStateStillDiverge() {
        // What a restore does to a heap-only generator: two copies with the same state. Seeding
        // NativePRNG (which a snapshot copy amounts to) does not make it repeat: it still mixes
        // in /dev/urandom.
        SecureRandom first = new SecureRandom();
        SecureRandom second = new SecureRandom();
        byte[] seed = new byte[32];
        first.setSeed(seed);
        second.setSeed(seed);

        assertThat(SessionToken.generate(first).id()).isNotEqualTo(SessionToken.generate(second).id());
    }
}
