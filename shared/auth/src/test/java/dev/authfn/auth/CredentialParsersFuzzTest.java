package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.cookie.SessionCookieCodec;
import dev.authfn.core.csrf.CsrfTokens;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.token.SessionToken;
import dev.authfn.testkit.Fuzz;
import dev.authfn.testkit.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Bounded fuzzing of the three credential parsers with random and mutated input: the session
 * cookie ({@link SessionCookieCodec}), the CSRF token ({@link CsrfTokens}) and the access token
 * ({@link dev.authfn.core.jwt.AccessTokenVerifier}). Each answers only its own refusal values, never
 * throws, and accepts nothing but the exact credential it issued. Three seconds each by default
 * ({@code -Dauthfn.fuzz.seconds=N}, {@code -Dauthfn.fuzz.seed=S}).
 */
class CredentialParsersFuzzTest {

    private static final Duration BUDGET = Duration.ofSeconds(3);
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final SecureRandom secureRandom = new SecureRandom();
    private final CredentialCodecs codecs = new CredentialCodecs(KeySet.generate(clock),
            new CredentialCodecs.Settings("https://auth.example.com", "authfn-api", "authfn-web",
                    Duration.ofMinutes(5), Duration.ofSeconds(60), SessionTimeouts.DEFAULT),
            secureRandom, clock);
    private final SessionToken token = SessionToken.generate(secureRandom);

    @Test
    void sessionCookieCodecAnswersValidOnlyForTheIssuedValueAndNeverThrows() {
        String issued = codecs.cookies().sign(token, NOW);
        Fuzz.Run run = Fuzz.run("SessionCookieCodec.verify", BUDGET, random -> {
            String presented = random.nextInt(4) == 0 ? Fuzz.randomString(random, 600) : Fuzz.mutate(random, issued);
            SessionCookieCodec.Result result = codecs.cookies().verify(presented, NOW);
            if (presented.equals(issued)) {
                assertThat(result).isInstanceOf(SessionCookieCodec.Valid.class);
            } else {
                assertThat(result).as("cookie %s", presented).isInstanceOf(SessionCookieCodec.Invalid.class);
            }
        });
        assertThat(run.iterations()).isPositive();
    }

    @Test
    void csrfTokensAnswerOnlyReasonsForAnythingButTheIssuedTokenAndNeverThrow() {
        String issued = codecs.csrf().issue(token.id());
        Fuzz.Run run = Fuzz.run("CsrfTokens.check", BUDGET, random -> {
            String presented = random.nextInt(4) == 0 ? Fuzz.randomString(random, 300) : Fuzz.mutate(random, issued);
            String cookie = random.nextBoolean() ? presented : random.nextBoolean() ? issued : null;
            String sessionId = random.nextInt(8) == 0 ? Fuzz.mutate(random, token.id()) : token.id();
            Optional<CsrfTokens.Reason> checked = codecs.csrf().check(sessionId, presented, cookie);
            Optional<CsrfTokens.Reason> verified = codecs.csrf().verify(sessionId, presented);
            boolean genuine = presented.equals(issued) && sessionId.equals(token.id());
            assertThat(verified.isEmpty()).as("token %s for %s", presented, sessionId).isEqualTo(genuine);
            assertThat(checked.isEmpty()).isEqualTo(genuine && (cookie == null || cookie.equals(presented)));
        });
        assertThat(run.iterations()).isPositive();
    }

    @Test
    void accessTokenVerifierRejectsEverythingButTheIssuedTokenAndNeverThrows() {
        String issued = codecs.issuer().issue("user-1", "alice", token.id(), Set.of("user"), Set.of("posts:create"));
        assertThat(codecs.verifier().verify(issued)).isInstanceOf(AccessTokenResult.Verified.class);
        Fuzz.Run run = Fuzz.run("AccessTokenVerifier.verify", BUDGET, random -> {
            String presented = random.nextInt(4) == 0 ? Fuzz.randomString(random, 2000) : Fuzz.mutate(random, issued);
            AccessTokenResult result = codecs.verifier().verify(presented);
            if (presented.equals(issued)) {
                assertThat(result).isInstanceOf(AccessTokenResult.Verified.class);
            } else {
                assertThat(result).as("token %s", presented).isInstanceOf(AccessTokenResult.Rejected.class);
            }
        });
        assertThat(run.iterations()).isPositive();
    }
}
