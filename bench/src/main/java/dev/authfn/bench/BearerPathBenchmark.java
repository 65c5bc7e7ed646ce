package dev.authfn.bench;

import dev.authfn.auth.RequestAuthenticator;
import dev.authfn.auth.VerifiedTokenCache;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.jwt.AccessTokenVerifier;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;
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
 * Target 1: the authorizer's decision for a bearer token it has not seen before (stateless mode,
 * the repeated-token cache off) against a bare {@code Signature} RS256 verification of the same
 * token. Each op takes the next of {@value #TOKENS} distinct tokens, in both the baseline and the
 * subject, so neither profits from a repeated input.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class BearerPathBenchmark {

    static final int TOKENS = 256;

    private List<RequestAuthenticator.Request> requests;
    private List<String> tokens;
    private byte[][] signingInputs;
    private byte[][] signatures;
    private PublicKey publicKey;
    private Signature reusedSignature;
    private RequestAuthenticator authenticator;
    private AccessTokenVerifier verifier;
    private int next;

    @Setup
    public void setUp() throws Exception {
        Fixture fixture = new Fixture();
        tokens = fixture.tokens(TOKENS);
        requests = tokens.stream().map(Fixture::bearerGet).toList();
        signingInputs = tokens.stream().map(Fixture::signingInput).toArray(byte[][]::new);
        signatures = tokens.stream().map(Fixture::signature).toArray(byte[][]::new);
        publicKey = fixture.publicKey();
        reusedSignature = Signature.getInstance("SHA256withRSA");
        reusedSignature.initVerify(publicKey);
        authenticator = fixture.authenticator(true, VerifiedTokenCache.disabled());
        verifier = fixture.world.codecs.get().verifier();
        for (int i = 0; i < TOKENS; i++) {
            if (!(authenticator.authorize(requests.get(i)) instanceof RequestAuthenticator.Allow)
                    || !baseline()) {
                throw new IllegalStateException("fixture token " + i + " does not verify");
            }
        }
    }

    private int nextIndex() {
        next = (next + 1) & (TOKENS - 1);
        return next;
    }

    /** Baseline: what any RS256 verification must do, from the decoded signing input and signature. */
    @Benchmark
    public boolean baseline() throws Exception {
        int i = nextIndex();
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(publicKey);
        rs256.update(signingInputs[i]);
        return rs256.verify(signatures[i]);
    }

    /** Stricter baseline, for reference: the same with one {@code Signature} initialised once. */
    @Benchmark
    public boolean baselineReusedSignature() throws Exception {
        int i = nextIndex();
        reusedSignature.update(signingInputs[i]);
        return reusedSignature.verify(signatures[i]);
    }

    /** Breakdown: {@link AccessTokenVerifier} alone (screening, nimbus, claims). */
    @Benchmark
    public AccessTokenResult verifier() {
        return verifier.verify(tokens.get(nextIndex()));
    }

    /** Subject: the authorizer's whole decision, route policy included. */
    @Benchmark
    public RequestAuthenticator.Decision decision() {
        return authenticator.authorize(requests.get(nextIndex()));
    }

    /**
     * Baseline and subject alternately, on the same token, each timed: the ratio that the noise
     * of a shared machine does not move (see {@link PairedTimes}).
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void paired(PairedTimes times, Blackhole blackhole) throws Exception {
        int i = nextIndex();
        long start = System.nanoTime();
        Signature rs256 = Signature.getInstance("SHA256withRSA");
        rs256.initVerify(publicKey);
        rs256.update(signingInputs[i]);
        blackhole.consume(rs256.verify(signatures[i]));
        long between = System.nanoTime();
        blackhole.consume(authenticator.authorize(requests.get(i)));
        long end = System.nanoTime();
        times.record(between - start, end - between);
    }
}
