package dev.authfn.testkit.lambda;

import com.nimbusds.jose.JWSAlgorithm;
import dev.authfn.auth.Components;
import dev.authfn.auth.CredentialCodecs;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.RequestAuthenticator;
import dev.authfn.auth.SessionService;
import dev.authfn.auth.SessionTimeouts;
import dev.authfn.core.Stores;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.csrf.OriginCheck;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.testkit.InMemorySessionStore;
import dev.authfn.testkit.InMemoryStores;
import dev.authfn.testkit.InMemoryUserStore;
import dev.authfn.testkit.MutableClock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A wired authfn for handler tests: a fresh key set, in-memory stores and a hand-moved clock,
 * with the services built through the same composition root the functions use
 * ({@link Components}), configured with the defaults of the README's configuration table and the
 * sample events (issuer and host {@link #HOST}). The fields are views of that root, not a second
 * wiring.
 */
public final class World {

    public static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    public static final String HOST = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";
    public static final String ISSUER = "https://" + HOST;
    public static final String AUDIENCE = "authfn-api";
    /** The one origin besides the API's own that the world allows for cookie-authenticated writes. */
    public static final String APP_ORIGIN = "https://app.example.com";

    public final MutableClock clock = new MutableClock(T0);
    public final KeySet keys;
    public final InMemorySessionStore sessions = new InMemorySessionStore();
    public final InMemoryUserStore users = new InMemoryUserStore();
    public final PasswordHasher hasher = new Argon2idHasher();
    /** The root every service below comes from. */
    public final Components components;
    public final SessionTimeouts timeouts;
    public final HttpCookies cookies;
    public final OriginCheck originCheck;
    public final RoutePolicy routePolicy;
    public final Supplier<CredentialCodecs> codecs;

    public World() {
        this(JWSAlgorithm.RS256);
    }

    /** A world whose access tokens are signed with a fresh key of {@code jwtAlgorithm}. */
    public World(JWSAlgorithm jwtAlgorithm) {
        this.keys = KeySet.generate(jwtAlgorithm, clock);
        this.components = components(Map.of());
        this.timeouts = components.timeouts();
        this.cookies = components.cookies();
        this.originCheck = components.originCheck();
        this.routePolicy = components.routePolicy();
        this.codecs = components.codecs();
    }

    /** The environment the world's configuration is read from, as a function would get it. */
    public Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put(AuthfnConfig.ENV_USERS_TABLE, "users");
        env.put(AuthfnConfig.ENV_SESSIONS_TABLE, "sessions");
        env.put(AuthfnConfig.ENV_ISSUER, ISSUER);
        env.put(AuthfnConfig.ENV_AUDIENCE, AUDIENCE);
        env.put(AuthfnConfig.ENV_KEYS, keys.toJson());
        env.put(AuthfnConfig.ENV_ALLOWED_ORIGINS, APP_ORIGIN);
        return env;
    }

    /**
     * A root over this world's stores, keys and clock, with {@code overrides} on top of
     * {@link #environment()} (for example {@code AUTHFN_STATELESS_BEARER=true}).
     */
    public Components components(Map<String, String> overrides) {
        Map<String, String> env = environment();
        env.putAll(overrides);
        return Components.of(AuthfnConfig.fromEnvironment(env), new InMemoryStores(sessions, users), () -> keys, clock);
    }

    /** The world's root over other stores (a failing one, a counting one). */
    public Components components(Stores stores) {
        return components.withStores(stores);
    }

    /** Stores an active user with this password. */
    public User addUser(String username, String password, Set<String> roles, Set<String> permissions) {
        User user = new User(username, UUID.randomUUID().toString(), hasher.hash(password), roles, permissions,
                UserStatus.ACTIVE, 0, Instant.EPOCH);
        if (!users.create(user)) {
            throw new IllegalStateException("user exists: " + username);
        }
        return user;
    }

    public LoginService loginService() {
        return components.loginService(hasher);
    }

    public RequestAuthenticator authenticator(boolean statelessBearer) {
        return statelessBearer
                ? components(Map.of(AuthfnConfig.ENV_STATELESS_BEARER, "true")).authenticator()
                : components.authenticator();
    }

    public SessionService sessionService() {
        return components.sessionService();
    }

    /** Logs in through the service (the way the login function does) and returns the credentials. */
    public LoginService.LoggedIn login(String username, String password) {
        LoginService.Outcome outcome = loginService().login(
                new LoginService.Attempt(username, password, "JUnit", "203.0.113.10"));
        if (outcome instanceof LoginService.LoggedIn loggedIn) {
            return loggedIn;
        }
        throw new IllegalStateException("login failed: " + outcome);
    }
}
