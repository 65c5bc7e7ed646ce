package dev.authfn.testkit.lambda;

import com.nimbusds.jose.JWSAlgorithm;
import dev.authfn.auth.CredentialCodecs;
import dev.authfn.auth.LoginService;
import dev.authfn.auth.OriginCheck;
import dev.authfn.auth.RequestAuthenticator;
import dev.authfn.auth.SessionService;
import dev.authfn.auth.SessionTimeouts;
import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.cookie.HttpCookies;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.core.user.LockoutPolicy;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.testkit.InMemorySessionStore;
import dev.authfn.testkit.InMemoryUserStore;
import dev.authfn.testkit.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A wired authfn for handler tests: a fresh key set, in-memory stores, a hand-moved clock and the
 * services over them, configured like the defaults of SPEC §6 and the sample events (issuer and
 * host {@link #HOST}).
 */
public final class World {

    public static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    public static final String HOST = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com";
    public static final String ISSUER = "https://" + HOST;
    public static final String AUDIENCE = "authfn-api";

    public final MutableClock clock = new MutableClock(T0);
    public final KeySet keys;
    public final InMemorySessionStore sessions = new InMemorySessionStore();
    public final InMemoryUserStore users = new InMemoryUserStore(sessions);
    public final PasswordHasher hasher = new PasswordHasher();
    public final SessionTimeouts timeouts = SessionTimeouts.DEFAULT;
    public final HttpCookies cookies = new HttpCookies("__Host-session", "__Host-csrf");
    public final OriginCheck originCheck = new OriginCheck(Set.of("https://app.example.com"));
    public final RoutePolicy routePolicy = RoutePolicy.DEFAULT;
    public final Supplier<CredentialCodecs> codecs;
    private final SecureRandom random = new SecureRandom();

    public World() {
        this(JWSAlgorithm.RS256);
    }

    /** A world whose access tokens are signed with a fresh key of {@code jwtAlgorithm}. */
    public World(JWSAlgorithm jwtAlgorithm) {
        this.keys = KeySet.generate(jwtAlgorithm, clock);
        CredentialCodecs built = new CredentialCodecs(keys,
                new CredentialCodecs.Settings(ISSUER, AUDIENCE, "authfn", Duration.ofMinutes(5), Duration.ofSeconds(60),
                        timeouts),
                random, clock);
        this.codecs = () -> built;
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
        return new LoginService(users, sessions, hasher, codecs, timeouts, LockoutPolicy.DEFAULT, random, clock);
    }

    public RequestAuthenticator authenticator(boolean statelessBearer) {
        return new RequestAuthenticator(sessions, codecs, cookies, originCheck, routePolicy, timeouts, statelessBearer,
                clock);
    }

    public SessionService sessionService() {
        return new SessionService(sessions, users, codecs, timeouts, clock);
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
