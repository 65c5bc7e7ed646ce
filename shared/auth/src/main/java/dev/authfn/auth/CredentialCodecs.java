package dev.authfn.auth;

import dev.authfn.core.cookie.SessionCookieCodec;
import dev.authfn.core.csrf.CsrfTokens;
import dev.authfn.core.OnFirstUse;
import dev.authfn.core.jwt.AccessTokenIssuer;
import dev.authfn.core.jwt.AccessTokenVerifier;
import dev.authfn.core.jwt.IdTokenIssuer;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.mfa.MfaToken;
import dev.authfn.core.mfa.SecretBox;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Everything that signs or verifies a credential, built from one key set. Building one is
 * expensive (key parsing, signer and verifier set-up), so it happens at init and again only when
 * the key set rotates; only the access-token signer waits for its first use.
 */
public final class CredentialCodecs {

    /** What the codecs need besides keys. */
    public record Settings(
            String issuer,
            String audience,
            String clientId,
            Duration accessTokenLifetime,
            Duration clockSkew,
            SessionTimeouts timeouts) {

        public Settings {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(accessTokenLifetime, "accessTokenLifetime");
            Objects.requireNonNull(clockSkew, "clockSkew");
            Objects.requireNonNull(timeouts, "timeouts");
        }
    }

    private final KeySet keySet;
    private final String clientId;
    private final SessionCookieCodec cookies;
    private final CsrfTokens csrf;
    private final AccessTokenVerifier verifier;
    private final OnFirstUse<AccessTokenIssuer> issuer;
    private final OnFirstUse<IdTokenIssuer> idTokens;
    private final OnFirstUse<SecretBox> secretBox;
    private final OnFirstUse<MfaToken> mfaTokens;

    public CredentialCodecs(KeySet keySet, Settings settings, SecureRandom random, Clock clock) {
        this.keySet = Objects.requireNonNull(keySet, "keySet");
        this.clientId = settings.clientId();
        this.cookies = new SessionCookieCodec(
                keySet.activeHmac(KeyPurpose.COOKIE),
                keySet.verifyingHmacs(KeyPurpose.COOKIE),
                settings.timeouts().absolute(),
                settings.clockSkew());
        this.csrf = new CsrfTokens(keySet.activeHmac(KeyPurpose.CSRF), keySet.verifyingHmacs(KeyPurpose.CSRF), random);
        Objects.requireNonNull(clock, "clock");
        this.issuer = new OnFirstUse<>(() -> new AccessTokenIssuer(keySet, settings.issuer(), settings.audience(),
                settings.clientId(), settings.accessTokenLifetime(), clock));
        this.idTokens = new OnFirstUse<>(() -> new IdTokenIssuer(keySet, settings.issuer(),
                settings.accessTokenLifetime(), clock));
        this.verifier = new AccessTokenVerifier(
                keySet, settings.issuer(), settings.audience(), settings.clockSkew(), clock);
        // Only the functions of the second factor use these; the others never derive the subkeys.
        this.secretBox = new OnFirstUse<>(() -> new SecretBox(keySet, random));
        this.mfaTokens = new OnFirstUse<>(() -> new MfaToken(keySet, random));
    }

    /**
     * Codecs that follow a (refreshing) key set: rebuilt only when the supplier hands out a
     * different key set, so the hot path pays one reference comparison.
     */
    public static Supplier<CredentialCodecs> following(
            Supplier<KeySet> keySets, Settings settings, SecureRandom random, Clock clock) {
        AtomicReference<CredentialCodecs> cache =
                new AtomicReference<>(new CredentialCodecs(keySets.get(), settings, random, clock));
        return () -> {
            KeySet keySet = keySets.get();
            CredentialCodecs cached = cache.get();
            if (cached.keySet == keySet) {
                return cached;
            }
            CredentialCodecs rebuilt = new CredentialCodecs(keySet, settings, random, clock);
            cache.set(rebuilt);
            return rebuilt;
        };
    }

    public KeySet keySet() {
        return keySet;
    }

    /**
     * The {@code client_id} of the tokens authfn's own login issues ({@code AUTHFN_CLIENT_ID}):
     * any other is an OAuth client's grant (docs/API.md §18.4).
     */
    public String clientId() {
        return clientId;
    }

    public SessionCookieCodec cookies() {
        return cookies;
    }

    public CsrfTokens csrf() {
        return csrf;
    }

    /**
     * The access-token issuer, made on first use: setting up its signer is about 15 ms of a cold
     * start, and the authorizer, which never signs, would pay it for nothing.
     */
    public AccessTokenIssuer issuer() {
        return issuer.get();
    }

    /** The OpenID Connect ID-token issuer (docs/API.md §18.7), made on first use: only the OAuth function signs them. */
    public IdTokenIssuer idTokens() {
        return idTokens.get();
    }

    public AccessTokenVerifier verifier() {
        return verifier;
    }

    /** Seals and opens TOTP secrets under the key set's {@code mfa} keys (docs/API.md §16.5). */
    public SecretBox secretBox() {
        return secretBox.get();
    }

    /** Issues and verifies the {@code mfa_token} of a login's second step. */
    public MfaToken mfaTokens() {
        return mfaTokens.get();
    }

    /** Whether the key set has an active {@code mfa} key, without which no secret is sealed and no token issued. */
    public boolean canSealSecrets() {
        return keySet.activeMfaKey().isPresent();
    }
}
