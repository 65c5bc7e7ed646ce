package dev.authfn.runtime;

import dev.authfn.auth.CredentialCodecs;
import dev.authfn.auth.OriginCheck;
import dev.authfn.auth.RequestAuthenticator;
import dev.authfn.auth.SessionService;
import dev.authfn.auth.SessionTimeouts;
import dev.authfn.auth.VerifiedTokenCache;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.UserStore;
import dev.authfn.lambda.KeySets;
import dev.authfn.runtime.internal.DynamoDbStores;
import dev.authfn.runtime.internal.LazySessionStore;
import dev.authfn.core.internal.OnFirstUse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything a DynamoDB-backed function needs, built once from its environment at init: the
 * validated configuration, the DynamoDB client and stores, the (refreshing) key set and the
 * credential codecs. Services are made on demand from these; nothing here runs per request.
 *
 * <p>The DynamoDB client is the one thing made on first use rather than here: building it loads
 * and initialises several hundred AWS SDK classes, half the cold start of an authorizer that may
 * never read a session (stateless bearer tokens). This class names no SDK type, so not even
 * verifying it loads one ({@link DynamoDbStores} does). The users store, which the login and session
 * functions take at init, makes it then; the authorizer's first session read makes it otherwise;
 * SnapStart priming calls {@link #initializeStores()} so that the snapshot holds it.
 */
public final class AuthfnRuntime {

    private final AuthfnConfig config;
    private final Clock clock;
    private final SecureRandom random;
    private final LazySessionStore sessions;
    private final OnFirstUse<UserStore> users;
    private final Supplier<CredentialCodecs> codecs;
    private final HttpCookies cookies;
    private final SessionTimeouts timeouts;

    private AuthfnRuntime(AuthfnConfig config, Map<String, String> environment, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.random = new SecureRandom();
        OnFirstUse<DynamoDbStores> dynamodb = new OnFirstUse<>(() -> new DynamoDbStores(config, environment));
        this.sessions = new LazySessionStore(() -> dynamodb.get().sessions());
        this.users = config.usersTable().isPresent() ? new OnFirstUse<UserStore>(() -> dynamodb.get().users()) : null;
        this.timeouts = new SessionTimeouts(config.sessionIdleTimeout(), config.sessionAbsoluteTimeout());
        this.codecs = CredentialCodecs.following(
                KeySets.fromConfig(config, environment, clock, System.err::println),
                new CredentialCodecs.Settings(config.issuer().orElseThrow(), config.audience().orElseThrow(),
                        config.clientId(), config.accessTokenTtl(), config.clockSkew(), timeouts),
                random, clock);
        this.cookies = new HttpCookies(config.sessionCookieName(), config.csrfCookieName());
    }

    /**
     * @param requirements what the calling function cannot run without; the sessions table, issuer,
     *     audience and keys are always required
     * @throws dev.authfn.core.config.ConfigException listing every configuration problem at once
     */
    public static AuthfnRuntime fromEnvironment(Map<String, String> environment, Set<Requirement> requirements) {
        java.util.EnumSet<Requirement> required = java.util.EnumSet.of(
                Requirement.SESSIONS_TABLE, Requirement.ISSUER, Requirement.AUDIENCE, Requirement.KEYS);
        required.addAll(requirements);
        // Millisecond ticks: what DynamoDB keeps, so a session read back equals the one written.
        Clock clock = Clock.tick(Clock.systemUTC(), java.time.Duration.ofMillis(1));
        return new AuthfnRuntime(AuthfnConfig.fromEnvironment(environment, required), environment, clock);
    }

    public AuthfnConfig config() {
        return config;
    }

    public HttpCookies cookies() {
        return cookies;
    }

    public SessionTimeouts timeouts() {
        return timeouts;
    }

    public OriginCheck originCheck() {
        return new OriginCheck(config.allowedOrigins());
    }

    /**
     * The users store (its DynamoDB client is built now if not yet).
     *
     * @throws IllegalStateException when no users table is configured
     */
    public UserStore users() {
        return requireUsers();
    }

    public SessionStore sessions() {
        return sessions;
    }

    /** The current credential codecs, following key-set refreshes. */
    public Supplier<CredentialCodecs> codecs() {
        return codecs;
    }

    public SecureRandom random() {
        return random;
    }

    public Clock clock() {
        return clock;
    }

    public RequestAuthenticator authenticator() {
        return new RequestAuthenticator(sessions, codecs, cookies, originCheck(), config.routePolicy(), timeouts,
                config.statelessBearer(), clock);
    }

    /**
     * A made-up session and its credentials, minted now with this function's keys, and an
     * authenticator like {@link #authenticator()} that reads sessions from the synthetic one's
     * store and remembers no token: for SnapStart priming (see {@link SyntheticSession}).
     */
    public SyntheticSession syntheticSession() {
        return SyntheticSession.mint(codecs.get(), timeouts, clock.instant());
    }

    /** {@link #authenticator()} over {@code synthetic}'s store, without a token cache. */
    public RequestAuthenticator primingAuthenticator(SyntheticSession synthetic) {
        return new RequestAuthenticator(synthetic.store(), codecs, cookies, originCheck(), config.routePolicy(),
                timeouts, config.statelessBearer(), clock, VerifiedTokenCache.disabled());
    }

    public SessionService sessionService() {
        return new SessionService(sessions, requireUsers(), codecs, timeouts, clock);
    }

    /** Builds the DynamoDB client and stores now, if nothing has yet (no request is made). */
    public void initializeStores() {
        sessions.initialize();
        if (users != null) {
            users.get();
        }
    }

    private UserStore requireUsers() {
        if (users == null) {
            throw new IllegalStateException("AUTHFN_USERS_TABLE is required by this function");
        }
        return users.get();
    }
}
