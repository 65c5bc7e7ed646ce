package dev.authfn.bench;

import com.nimbusds.jose.JWSAlgorithm;
import dev.authfn.auth.LoginService;
import dev.authfn.core.user.User;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Target 6: the CPU of one successful login with in-memory stores (user read, Argon2id, session
 * token, session write, cookie, CSRF token, signed access token) against the Argon2id verification
 * alone, with the same parameters and password. Everything else = login - Argon2id.
 *
 * <p>{@code jwtAlgorithm} picks the access-token key: RS256 is the default and the figure the
 * target is judged on; ES256 and EdDSA show what the signature costs (bench/run.sh runs RS256
 * unless given {@code -p jwtAlgorithm=...}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LoginCpuBenchmark {

    private static final String PASSWORD = "correct horse battery";

    @Param({"RS256", "ES256", "EdDSA"})
    public String jwtAlgorithm;

    private Fixture fixture;
    private User user;
    private LoginService login;
    private LoginService.Attempt attempt;

    @Setup
    public void setUp() {
        fixture = new Fixture(JWSAlgorithm.parse(jwtAlgorithm));
        user = fixture.world.addUser("bench", PASSWORD, Set.of("user"), Set.of("posts:create"));
        login = fixture.world.loginService();
        attempt = new LoginService.Attempt("bench", PASSWORD, "JMH", "203.0.113.10");
        if (!(login.login(attempt) instanceof LoginService.LoggedIn) || !baseline()) {
            throw new IllegalStateException("fixture login fails");
        }
    }

    /** Baseline: Argon2id (m=19 MiB, t=2, p=1) verification of the right password. */
    @Benchmark
    public boolean baseline() {
        return fixture.world.hasher.verify(PASSWORD, user.passwordHash());
    }

    /** Subject: a whole successful login. */
    @Benchmark
    public LoginService.Outcome login() {
        return login.login(attempt);
    }

    /** Baseline and subject alternately, each timed (see {@link PairedTimes}). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    public void paired(PairedTimes times, Blackhole blackhole) {
        long start = System.nanoTime();
        blackhole.consume(fixture.world.hasher.verify(PASSWORD, user.passwordHash()));
        long between = System.nanoTime();
        blackhole.consume(login.login(attempt));
        long end = System.nanoTime();
        times.record(between - start, end - between);
    }
}
