package dev.authfn.bench;

import dev.authfn.auth.LoginService;
import dev.authfn.auth.RequestAuthenticator;
import dev.authfn.core.keys.KeyPurpose;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Target 3: the authorizer's decision for a session cookie on a GET, with the in-memory session
 * store in place of DynamoDB, against one raw HMAC-SHA256 of the cookie value under the cookie
 * key (a {@link Mac} initialised once). The clock stands still, so the idle expiry is never slid:
 * the measure is the per-request work, the once-a-minute write excluded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CookiePathBenchmark {

    static final int OPS_PER_SAMPLE = 16;

    private Mac mac;
    private byte[] cookieValue;
    private RequestAuthenticator authenticator;
    private RequestAuthenticator.Request request;

    @Setup
    public void setUp() throws Exception {
        Fixture fixture = new Fixture();
        fixture.world.addUser("bench", "correct horse battery", Set.of("user"), Set.of("posts:create"));
        LoginService.LoggedIn loggedIn = fixture.world.login("bench", "correct horse battery");
        String value = loggedIn.sessionCookie();
        cookieValue = value.getBytes(StandardCharsets.US_ASCII);
        mac = Mac.getInstance("HmacSHA256");
        mac.init(fixture.world.keys.activeHmac(KeyPurpose.COOKIE).secret());
        authenticator = fixture.world.authenticator(false);
        request = Fixture.cookieGet(fixture.world.cookies.sessionName() + "=" + value);
        if (!(authenticator.authorize(request) instanceof RequestAuthenticator.Allow)) {
            throw new IllegalStateException("fixture cookie is not accepted");
        }
    }

    /** Baseline: one HMAC-SHA256 over the whole cookie value. */
    @Benchmark
    public byte[] baseline() {
        return mac.doFinal(cookieValue);
    }

    /** Subject: the whole cookie decision, session read and route policy included. */
    @Benchmark
    public RequestAuthenticator.Decision decision() {
        return authenticator.authorize(request);
    }

    /**
     * Baseline and subject alternately, {@value #OPS_PER_SAMPLE} of each per clock read, each
     * timed (see {@link PairedTimes}).
     */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void paired(PairedTimes times, Blackhole blackhole) {
        long start = System.nanoTime();
        for (int i = 0; i < OPS_PER_SAMPLE; i++) {
            blackhole.consume(mac.doFinal(cookieValue));
        }
        long between = System.nanoTime();
        for (int i = 0; i < OPS_PER_SAMPLE; i++) {
            blackhole.consume(authenticator.authorize(request));
        }
        long end = System.nanoTime();
        times.record((between - start) / OPS_PER_SAMPLE, (end - between) / OPS_PER_SAMPLE);
    }
}
