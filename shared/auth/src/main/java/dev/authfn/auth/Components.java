package dev.authfn.auth;

import dev.authfn.core.OnFirstUse;
import dev.authfn.core.Stores;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.config.AccountSettings;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.csrf.OriginCheck;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.keys.RefreshingKeySet;
import dev.authfn.core.mail.MailTemplates;
import dev.authfn.core.mail.Mailer;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.core.password.PasswordPolicy;
import dev.authfn.secrets.SecretsManagerReader;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The composition root: every service of authfn is built here, from four inputs — the validated
 * {@link AuthfnConfig}, the {@link Stores}, the key set and a {@link Clock} — and nowhere else.
 * Lambda handlers build one in their no-argument constructor ({@link #fromEnvironment}); the
 * local API builds one per hosted function instance from the template's environment; tests build
 * one over in-memory stores with {@link #of}. docs/ARCHITECTURE.md draws what it wires.
 *
 * <p>Made at construction: the configuration, the key set (read now, so a function without keys
 * fails at init) and the stores object (which makes no client yet: see
 * {@code dev.authfn.dynamodb.DynamoDbStores}). Made on first use and then shared by every service
 * of this root: the credential codecs. Each service method builds a new service over those; a
 * handler asks once, at init.
 */
public final class Components {

    private final AuthfnConfig config;
    private final Stores stores;
    private final Supplier<KeySet> keys;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final SessionTimeouts timeouts;
    private final HttpCookies cookies;
    private final OnFirstUse<Supplier<CredentialCodecs>> codecs;
    private final Map<String, String> environment;

    private Components(AuthfnConfig config, Stores stores, Supplier<KeySet> keys, Clock clock,
            Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        this.config = Objects.requireNonNull(config, "config");
        this.stores = Objects.requireNonNull(stores, "stores");
        this.keys = keys;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timeouts = new SessionTimeouts(config.sessionIdleTimeout(), config.sessionAbsoluteTimeout());
        this.cookies = new HttpCookies(config.sessionCookieName(), config.csrfCookieName());
        this.codecs = new OnFirstUse<>(() -> CredentialCodecs.following(keys(), new CredentialCodecs.Settings(
                require(config.issuer(), AuthfnConfig.ENV_ISSUER), require(config.audience(), AuthfnConfig.ENV_AUDIENCE),
                config.clientId(), config.accessTokenTtl(), config.clockSkew(), timeouts), random, clock));
    }

    /** {@link #withStores}: everything of {@code base}, the codecs included, over other stores. */
    private Components(Components base, Stores stores) {
        this.config = base.config;
        this.stores = Objects.requireNonNull(stores, "stores");
        this.keys = base.keys;
        this.clock = base.clock;
        this.timeouts = base.timeouts;
        this.cookies = base.cookies;
        this.codecs = base.codecs;
        this.environment = base.environment;
    }

    /**
     * A root over given parts: tests (in-memory stores, a hand-moved clock, generated keys) and
     * the local API's in-memory mode.
     *
     * @param keys the key set; null for a function that signs and verifies nothing
     */
    public static Components of(AuthfnConfig config, Stores stores, Supplier<KeySet> keys, Clock clock) {
        return new Components(config, stores, keys, clock, Map.of());
    }

    /**
     * The production root, from a function's environment: the configuration with
     * {@code required} mandatory (one {@link dev.authfn.core.config.ConfigException} lists every
     * problem), the key set from {@code AUTHFN_KEYS} or Secrets Manager (read now, then every
     * {@code AUTHFN_KEYS_REFRESH_INTERVAL}), and, when a sessions table is configured, the stores of
     * the store module on the classpath (DynamoDB's), found with {@link ServiceLoader}. A function
     * that requires a table and has no store module fails here; one that does not (jwks) gets
     * stores that refuse every call.
     */
    public static Components fromEnvironment(Map<String, String> environment, Set<Requirement> required) {
        // Millisecond ticks: what DynamoDB keeps, so a session read back equals the one written.
        return fromEnvironment(environment, required, Clock.tick(Clock.systemUTC(), Duration.ofMillis(1)),
                System.err::println);
    }

    /**
     * As {@link #fromEnvironment(Map, Set)} on {@code clock}, with the key set's refresh warnings
     * (one JSON line each, see {@link RefreshingKeySet}) going to {@code warnings}: for tests.
     */
    static Components fromEnvironment(Map<String, String> environment, Set<Requirement> required, Clock clock,
            Consumer<String> warnings) {
        AuthfnConfig config = AuthfnConfig.fromEnvironment(environment, required);
        boolean needsStores = required.contains(Requirement.SESSIONS_TABLE) || required.contains(Requirement.USERS_TABLE);
        Stores stores = config.sessionsTable().isPresent() ? storesOnClasspath(config, environment, needsStores)
                : Stores.NONE;
        Supplier<KeySet> keys = config.keys().map(source -> keySet(source, config, environment, clock, warnings))
                .orElse(null);
        return new Components(config, stores, keys, clock, environment);
    }

    /** As {@link #fromEnvironment(Map, Set)} with nothing required (the caller checks with {@link #require}). */
    public static Components fromEnvironment(Map<String, String> environment) {
        return fromEnvironment(environment, EnumSet.noneOf(Requirement.class));
    }

    /**
     * Checks that this root's configuration holds what {@code required} names; for a handler
     * given a root built elsewhere.
     *
     * @throws dev.authfn.core.config.ConfigException listing every missing value
     */
    public Components require(Set<Requirement> required) {
        EnumSet<Requirement> fromConfig = required.isEmpty() ? EnumSet.noneOf(Requirement.class) : EnumSet.copyOf(required);
        // Keys given to of() satisfy KEYS without a key source in the configuration.
        if (keys != null) {
            fromConfig.remove(Requirement.KEYS);
        }
        config.require(fromConfig);
        return this;
    }

    /**
     * The environment this root was read from (empty for {@link #of}): for settings of parts the
     * root does not build, such as a function's password policy.
     */
    public Map<String, String> environment() {
        return environment;
    }

    public AuthfnConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public SecureRandom random() {
        return random;
    }

    public Stores stores() {
        return stores;
    }

    /**
     * The current key set (refreshed from Secrets Manager when it comes from there).
     *
     * @throws IllegalStateException when no key set is configured
     */
    public Supplier<KeySet> keys() {
        if (keys == null) {
            throw new IllegalStateException(AuthfnConfig.ENV_KEYS_SECRET_ID + " or " + AuthfnConfig.ENV_KEYS
                    + " is required by this function");
        }
        return keys;
    }

    public SessionTimeouts timeouts() {
        return timeouts;
    }

    public HttpCookies cookies() {
        return cookies;
    }

    public RoutePolicy routePolicy() {
        return config.routePolicy();
    }

    public OriginCheck originCheck() {
        return new OriginCheck(config.allowedOrigins());
    }

    /** Every signer and verifier of a credential, following key-set refreshes; made on first use. */
    public Supplier<CredentialCodecs> codecs() {
        return codecs.get();
    }

    /** The authorizer's decision for a request, with a verified-token cache of its own. */
    public RequestAuthenticator authenticator() {
        return authenticator(new VerifiedTokenCache(VerifiedTokenCache.DEFAULT_MAX_ENTRIES));
    }

    /** As {@link #authenticator()} with the given cache ({@link VerifiedTokenCache#disabled()} for none: benchmarks). */
    public RequestAuthenticator authenticator(VerifiedTokenCache tokenCache) {
        return new RequestAuthenticator(stores.sessions(), codecs(), cookies, originCheck(), config.routePolicy(),
                timeouts, config.statelessBearer(), clock, tokenCache);
    }

    public SessionService sessionService() {
        return new SessionService(stores.sessions(), stores.users(), codecs(), timeouts, clock);
    }

    /**
     * The login flow. The hasher is the caller's, so that only the functions that hash passwords
     * carry Argon2id and Bouncy Castle ({@code shared/password}).
     */
    public LoginService loginService(PasswordHasher hasher) {
        return new LoginService(stores.users(), stores.sessions(), hasher, codecs(), timeouts, config.lockoutPolicy(),
                random, clock, config.accounts().signup() == AccountSettings.SignupMode.VERIFIED);
    }

    /**
     * The account routes' flows. The hasher and the password policy are the caller's, as for
     * {@link #loginService}: only the functions that set passwords carry them.
     */
    public AccountService accountService(PasswordHasher hasher, PasswordPolicy policy) {
        return new AccountService(stores.users(), stores.sessions(), stores.accounts(), stores.outbox(), stores.mfa(), hasher, policy,
                config.lockoutPolicy(), config.accounts(), codecs(), timeouts, random, clock);
    }

    /**
     * The mailer's flow over {@code mailer}; the mails link to {@code AUTHFN_MAIL_LINK_BASE}.
     *
     * @throws IllegalStateException when no link base is configured
     */
    public MailerService mailerService(Mailer mailer) {
        AccountSettings settings = config.accounts();
        URI linkBase = settings.linkBase().orElseThrow(() -> new IllegalStateException(
                AuthfnConfig.ENV_MAIL_LINK_BASE + " is required by this function"));
        return new MailerService(stores.users(), stores.accounts(), mailer, new MailTemplates(settings.siteName(), linkBase),
                settings, random, clock);
    }

    /** The second-factor routes' flows (docs/API.md §16); authenticator apps show the site name as the issuer. */
    public MfaService mfaService() {
        return new MfaService(stores.users(), stores.sessions(), stores.mfa(), codecs(), timeouts, config.lockoutPolicy(),
                random, clock, config.accounts().siteName(),
                user -> !stores.passkeys().list(user.username(), user.userId()).isEmpty());
    }

    /**
     * The passkey routes' flows (docs/API.md §17) over {@code ceremonies}: the WebAuthn checks are
     * the caller's, as the hasher is {@link #loginService}'s, so that only the function that serves
     * passkeys carries webauthn4j.
     */
    public PasskeyService passkeyService(PasskeyCeremonies ceremonies) {
        return new PasskeyService(stores.users(), stores.sessions(), stores.passkeys(), ceremonies, codecs(), timeouts,
                config.lockoutPolicy(), random, clock, config.accounts().signup() == AccountSettings.SignupMode.VERIFIED);
    }

    /**
     * The OAuth provider's flows (docs/API.md §18), with the lifetimes of {@code AUTHFN_OAUTH_*}
     * in this root's environment.
     *
     * @throws dev.authfn.core.config.ConfigException when those are malformed
     */
    public OAuthService oauthService() {
        return new OAuthService(stores.oauth(), stores.users(), stores.sessions(), codecs(),
                new SessionStarter(stores.users(), stores.sessions(), codecs(), timeouts, random),
                OAuthSettings.fromEnvironment(environment), require(config.issuer(), AuthfnConfig.ENV_ISSUER),
                config.clientId(), config.accessTokenTtl(), random, clock);
    }

    /** {@link #userAdministration(Consumer)} auditing to standard error. */
    public UserAdministration userAdministration() {
        return userAdministration(System.err::println);
    }

    /**
     * What an administrator does to users, over this root's user, session and second-factor
     * stores; its audit lines (one JSON object each) go to {@code audit}.
     */
    public UserAdministration userAdministration(Consumer<String> audit) {
        return new UserAdministration(stores.users(), stores.sessions(), stores.mfa(), stores.passkeys(), clock, audit);
    }

    /**
     * A made-up session and its credentials, minted now with this root's keys, for SnapStart
     * priming (see {@link SyntheticSession}).
     */
    public SyntheticSession syntheticSession() {
        return SyntheticSession.mint(codecs().get(), timeouts, clock.instant());
    }

    /**
     * This root over other stores, sharing its configuration, keys, clock and codecs: what
     * priming builds a handler through, over {@link SyntheticSession#stores()}, so that the code
     * it runs is the handler's own and nothing made up reaches the real tables or caches.
     */
    public Components withStores(Stores other) {
        return new Components(this, other);
    }

    private static Stores storesOnClasspath(AuthfnConfig config, Map<String, String> environment, boolean needed) {
        Iterator<Stores.Provider> providers = ServiceLoader.load(Stores.Provider.class, Components.class.getClassLoader())
                .iterator();
        if (!providers.hasNext()) {
            if (!needed) {
                return Stores.NONE;
            }
            throw new IllegalStateException("no store module on the classpath: a function that reads tables"
                    + " needs authfn-dynamodb (it provides " + Stores.Provider.class.getName() + ")");
        }
        return providers.next().open(config, environment);
    }

    private static Supplier<KeySet> keySet(AuthfnConfig.KeySource source, AuthfnConfig config,
            Map<String, String> environment, Clock clock, Consumer<String> warnings) {
        return switch (source) {
            case AuthfnConfig.KeySource.Inline inline -> {
                KeySet fixed = KeySet.parse(inline.keySetJson());
                yield () -> fixed;
            }
            case AuthfnConfig.KeySource.SecretsManager secret -> {
                SecretsManagerReader reader = SecretsManagerReader.fromEnvironment(environment, clock);
                yield new RefreshingKeySet(() -> reader.getSecretString(secret.secretId()),
                        config.keysRefreshInterval(), clock, warnings);
            }
        };
    }

    private static String require(java.util.Optional<String> value, String variable) {
        return value.orElseThrow(() -> new IllegalStateException(variable + " is required by this function"));
    }
}
