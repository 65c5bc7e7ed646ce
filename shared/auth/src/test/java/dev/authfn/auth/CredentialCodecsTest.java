package dev.authfn.auth;

import dev.authfn.core.authz.Amr;
import dev.authfn.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.cookie.SessionCookieCodec;
import dev.authfn.core.csrf.CsrfTokens;
import dev.authfn.core.jwt.AccessTokenClaims;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.token.SessionToken;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CredentialCodecsTest {

    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final Clock KEY_CLOCK = Clock.fixed(START, ZoneOffset.UTC);
    private static final KeySet KEYS = KeySet.generate(KEY_CLOCK);
    /** Every purpose rotated once: the keys of {@link #KEYS} are verify-only here. */
    private static final KeySet ROTATED = KEYS.rotate(KeyPurpose.COOKIE, KEY_CLOCK)
            .rotate(KeyPurpose.CSRF, KEY_CLOCK)
            .rotate(KeyPurpose.JWT, KEY_CLOCK);
    private static final CredentialCodecs.Settings SETTINGS = new CredentialCodecs.Settings(
            "https://auth.example.com", "authfn-api", "authfn-web",
            Duration.ofMinutes(5), Duration.ofSeconds(60), SessionTimeouts.DEFAULT);

    private final MutableClock clock = new MutableClock(START);
    private final SecureRandom random = new SecureRandom();
    private final SessionToken token = SessionToken.generate(random);

    @Test
    void signsAndVerifiesASessionCookieWithTheActiveCookieKey() {
        CredentialCodecs codecs = new CredentialCodecs(KEYS, SETTINGS, random, clock);

        String cookie = codecs.cookies().sign(token, START);

        assertThat(codecs.cookies().verify(cookie, START))
                .isEqualTo(new SessionCookieCodec.Valid(token, KEYS.activeHmac(KeyPurpose.COOKIE).kid(), START));
    }

    @Test
    void issuesCsrfTokensThatVerifyOnlyForTheirSession() {
        CredentialCodecs codecs = new CredentialCodecs(KEYS, SETTINGS, random, clock);

        String csrf = codecs.csrf().issue(token.id());

        assertThat(csrf).startsWith(KEYS.activeHmac(KeyPurpose.CSRF).kid() + ".");
        assertThat(codecs.csrf().verify(token.id(), csrf)).isEmpty();
        assertThat(codecs.csrf().verify(SessionToken.generate(random).id(), csrf)).contains(CsrfTokens.Reason.BAD_SIGNATURE);
    }

    @Test
    void issuesAccessTokensThatItsVerifierAccepts() {
        CredentialCodecs codecs = new CredentialCodecs(KEYS, SETTINGS, random, clock);

        String accessToken = codecs.issuer().issue("u-1", "alice", token.id(), Set.of("user"), Set.of("posts:read"),
                Amr.PASSWORD, START);

        AccessTokenClaims claims = verified(codecs.verifier().verify(accessToken));
        assertThat(claims.subject()).isEqualTo("u-1");
        assertThat(claims.username()).isEqualTo("alice");
        assertThat(claims.sessionId()).isEqualTo(token.id());
        assertThat(claims.roles()).containsExactly("user");
        assertThat(claims.permissions()).containsExactly("posts:read");
        assertThat(claims.clientId()).isEqualTo("authfn-web");
        assertThat(claims.issuedAt()).isEqualTo(START);
        assertThat(claims.expiresAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
    }

    @Test
    void exposesTheKeySetAndTheConfiguredAccessTokenLifetime() {
        CredentialCodecs codecs = new CredentialCodecs(KEYS, SETTINGS, random, clock);

        assertThat(codecs.keySet()).isSameAs(KEYS);
        assertThat(codecs.issuer().lifetime()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void refusesCookiesOlderThanTheAbsoluteSessionTimeout() {
        CredentialCodecs codecs = new CredentialCodecs(KEYS, SETTINGS, random, clock);
        String cookie = codecs.cookies().sign(token, START);

        assertThat(codecs.cookies().verify(cookie, START.plus(Duration.ofHours(8)).minusSeconds(1)))
                .isInstanceOf(SessionCookieCodec.Valid.class);
        assertThat(codecs.cookies().verify(cookie, START.plus(Duration.ofHours(8))))
                .isEqualTo(new SessionCookieCodec.Invalid(SessionCookieCodec.Reason.EXPIRED));
    }

    @Test
    void acceptsAccessTokensUntilTheirExpiryPlusTheConfiguredClockSkew() {
        CredentialCodecs codecs = new CredentialCodecs(KEYS, SETTINGS, random, clock);
        String accessToken = codecs.issuer().issue("u-1", "alice", token.id(), Set.of(), Set.of(), Amr.PASSWORD, START);

        clock.set(START.plus(Duration.ofMinutes(5)).plusSeconds(59));
        AccessTokenResult justInTime = codecs.verifier().verify(accessToken);
        clock.set(START.plus(Duration.ofMinutes(6)));
        AccessTokenResult tooLate = codecs.verifier().verify(accessToken);

        assertThat(justInTime).isInstanceOf(AccessTokenResult.Verified.class);
        assertThat(tooLate).isEqualTo(new AccessTokenResult.Rejected(AccessTokenResult.Reason.EXPIRED));
    }

    @Test
    void settingsRequireEveryValue() {
        Duration five = Duration.ofMinutes(5);
        Duration skew = Duration.ofSeconds(60);
        SessionTimeouts timeouts = SessionTimeouts.DEFAULT;

        assertThatThrownBy(() -> new CredentialCodecs.Settings(null, "a", "c", five, skew, timeouts))
                .isInstanceOf(NullPointerException.class).hasMessage("issuer");
        assertThatThrownBy(() -> new CredentialCodecs.Settings("i", null, "c", five, skew, timeouts))
                .isInstanceOf(NullPointerException.class).hasMessage("audience");
        assertThatThrownBy(() -> new CredentialCodecs.Settings("i", "a", null, five, skew, timeouts))
                .isInstanceOf(NullPointerException.class).hasMessage("clientId");
        assertThatThrownBy(() -> new CredentialCodecs.Settings("i", "a", "c", null, skew, timeouts))
                .isInstanceOf(NullPointerException.class).hasMessage("accessTokenLifetime");
        assertThatThrownBy(() -> new CredentialCodecs.Settings("i", "a", "c", five, null, timeouts))
                .isInstanceOf(NullPointerException.class).hasMessage("clockSkew");
        assertThatThrownBy(() -> new CredentialCodecs.Settings("i", "a", "c", five, skew, null))
                .isInstanceOf(NullPointerException.class).hasMessage("timeouts");
    }

    @Test
    void followingBuildsTheCodecsAtOnce() {
        AtomicInteger calls = new AtomicInteger();

        CredentialCodecs.following(() -> {
            calls.incrementAndGet();
            return KEYS;
        }, SETTINGS, random, clock);

        assertThat(calls).hasValue(1);
    }

    @Test
    void followingHandsOutTheSameInstanceWhileTheKeySetIsTheSame() {
        Supplier<CredentialCodecs> codecs = CredentialCodecs.following(() -> KEYS, SETTINGS, random, clock);

        CredentialCodecs first = codecs.get();
        CredentialCodecs second = codecs.get();

        assertThat(second).isSameAs(first);
        assertThat(first.keySet()).isSameAs(KEYS);
    }

    @Test
    void followingRebuildsWhenTheKeySetChangesAndThenKeepsTheNewOne() {
        AtomicReference<KeySet> current = new AtomicReference<>(KEYS);
        Supplier<CredentialCodecs> codecs = CredentialCodecs.following(current::get, SETTINGS, random, clock);
        CredentialCodecs before = codecs.get();

        current.set(ROTATED);
        CredentialCodecs after = codecs.get();

        assertThat(after).isNotSameAs(before);
        assertThat(after.keySet()).isSameAs(ROTATED);
        assertThat(codecs.get()).isSameAs(after);
    }

    @Test
    void codecsOfARotatedKeySetStillVerifyWhatThePreviousActiveKeysSigned() {
        CredentialCodecs old = new CredentialCodecs(KEYS, SETTINGS, random, clock);
        String cookie = old.cookies().sign(token, START);
        String csrf = old.csrf().issue(token.id());
        String accessToken = old.issuer().issue("u-1", "alice", token.id(), Set.of("user"), Set.of(), Amr.PASSWORD,
                START);

        CredentialCodecs rotated = new CredentialCodecs(ROTATED, SETTINGS, random, clock);

        assertThat(rotated.cookies().verify(cookie, START))
                .isEqualTo(new SessionCookieCodec.Valid(token, KEYS.activeHmac(KeyPurpose.COOKIE).kid(), START));
        assertThat(rotated.csrf().verify(token.id(), csrf)).isEmpty();
        assertThat(verified(rotated.verifier().verify(accessToken)).subject()).isEqualTo("u-1");
    }

    @Test
    void codecsOfARotatedKeySetSignWithTheNewActiveKeys() {
        CredentialCodecs rotated = new CredentialCodecs(ROTATED, SETTINGS, random, clock);

        String cookie = rotated.cookies().sign(token, START);
        String csrf = rotated.csrf().issue(token.id());

        assertThat(cookie).startsWith(ROTATED.activeHmac(KeyPurpose.COOKIE).kid() + ".");
        assertThat(csrf).startsWith(ROTATED.activeHmac(KeyPurpose.CSRF).kid() + ".");
        assertThat(ROTATED.activeHmac(KeyPurpose.COOKIE).kid()).isNotEqualTo(KEYS.activeHmac(KeyPurpose.COOKIE).kid());
        assertThat(ROTATED.activeHmac(KeyPurpose.CSRF).kid()).isNotEqualTo(KEYS.activeHmac(KeyPurpose.CSRF).kid());
    }

    @Test
    void codecsOfAKeySetWithTheOldCookieKeyRetiredRefuseItsCookies() {
        String cookie = new CredentialCodecs(KEYS, SETTINGS, random, clock).cookies().sign(token, START);
        KeySet retired = ROTATED.retire(KEYS.activeHmac(KeyPurpose.COOKIE).kid());

        CredentialCodecs codecs = new CredentialCodecs(retired, SETTINGS, random, clock);

        assertThat(codecs.cookies().verify(cookie, START))
                .isEqualTo(new SessionCookieCodec.Invalid(SessionCookieCodec.Reason.UNKNOWN_KEY));
    }

    private static AccessTokenClaims verified(AccessTokenResult result) {
        assertThat(result).isInstanceOf(AccessTokenResult.Verified.class);
        return ((AccessTokenResult.Verified) result).claims();
    }
}
