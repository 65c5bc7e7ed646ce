package dev.authfn.bench;

import dev.authfn.auth.RequestAuthenticator;
import dev.authfn.auth.VerifiedTokenCache;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Target 2: the authorizer's decision for a bearer token it verified before (stateless mode, so
 * the repeated-token cache serves it), in microseconds, next to a bare RS256 verification of the
 * same token for scale. The token is a real login's, so the stateful variant finds its session.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RepeatedTokenBenchmark {

    static final int HITS_PER_SAMPLE = 16;

    private RequestAuthenticator authenticator;
    private RequestAuthenticator statefulAuthenticator;
    private RequestAuthenticator.Request request;
    private PublicKey publicKey;
    private byte[] signingInput;
    private byte[] signature;

    @Setup
    public void setUp() throws Exception {
        Fixture fixture = new Fixture();
        fixture.world.addUser("bench", "correct horse battery", Set.of("user"), Set.of("posts:create"));
        String token = fixture.world.login("bench", "correct horse battery").accessToken();
        request = Fixture.bearerGet(token);
        authenticator = fixture.authenticator(true, new VerifiedTokenCache(VerifiedTokenCache.DEFAULT_MAX_ENTRIES));
        statefulAuthenticator =
                fixture.authenticator(false, new VerifiedTokenCache(VerifiedTokenCache.DEFAULT_MAX_ENTRIES));
        publicKey = fixture.publicKey();
        signingInput = Fixture.signingInput(token);
        signature = Fixture.signature(token);
        if (!(authenticator.authorize(request) instanceof RequestAuthenticator.Allow)
                || !(statefulAuthenticator.authorize(request) instanceof RequestAuthenticator.Allow) || !baseline()) {
            throw new IllegalStateException("fixture token does not verify");
        }
    }

    /** Baseline: a bare RS256 verification of the token. */
    @Benchmark
    public boolean baseline() throws Exception {
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(publicKey);
        rs256.update(signingInput);
        return rs256.verify(signature);
    }

    /** Subject: the decision for the same token again, stateless bearer tokens. */
    @Benchmark
    public RequestAuthenticator.Decision decision() {
        return authenticator.authorize(request);
    }

    /** For reference: the same with stateful bearer tokens, so the (in-memory) session is still read. */
    @Benchmark
    public RequestAuthenticator.Decision decisionStateful() {
        return statefulAuthenticator.authorize(request);
    }

    /**
     * Baseline and subject alternately, each timed (see {@link PairedTimes}); the cache hit is
     * timed {@value #HITS_PER_SAMPLE} at a time, so the clock reads do not count.
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void paired(PairedTimes times, Blackhole blackhole) throws Exception {
        long start = System.nanoTime();
        blackhole.consume(baseline());
        long between = System.nanoTime();
        for (int i = 0; i < HITS_PER_SAMPLE; i++) {
            blackhole.consume(authenticator.authorize(request));
        }
        long end = System.nanoTime();
        times.record(between - start, (end - between) / HITS_PER_SAMPLE);
    }
}
