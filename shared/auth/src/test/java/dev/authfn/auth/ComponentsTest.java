package dev.authfn.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authfn.core.authz.Amr;
import dev.authfn.auth.LoginService.Attempt;
import dev.authfn.auth.LoginService.LoggedIn;
import dev.authfn.auth.RequestAuthenticator.Allow;
import dev.authfn.core.Stores;
import dev.authfn.core.authz.AuthType;
import dev.authfn.core.authz.Principal;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.config.ConfigException;
import dev.authfn.core.csrf.OriginCheck;
import dev.authfn.core.jwt.AccessTokenResult;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.testkit.InMemorySessionStore;
import dev.authfn.testkit.InMemoryStores;
import dev.authfn.testkit.InMemoryUserStore;
import dev.authfn.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ComponentsTest {

    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final String ISSUER = "https://auth.example.com";
    private static final Argon2idHasher HASHER = new Argon2idHasher();
    private static final String PASSWORD = "correct horse battery staple";

    private final MutableClock clock = new MutableClock(NOW);
    private final KeySet keys = KeySet.generate(clock);
    private final InMemorySessionStore sessions = new InMemorySessionStore();
    private final InMemoryUserStore users = new InMemoryUserStore();

    private static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put(AuthfnConfig.ENV_ISSUER, ISSUER);
        env.put(AuthfnConfig.ENV_AUDIENCE, "authfn-api");
        env.put(AuthfnConfig.ENV_SESSION_IDLE_TIMEOUT, "PT10M");
        env.put(AuthfnConfig.ENV_SESSION_ABSOLUTE_TIMEOUT, "PT2H");
        env.put(AuthfnConfig.ENV_SESSION_COOKIE_NAME, "__Host-s");
        env.put(AuthfnConfig.ENV_CSRF_COOKIE_NAME, "__Host-c");
        env.put(AuthfnConfig.ENV_ALLOWED_ORIGINS, "https://app.example.com");
        return env;
    }

    /** The configuration with nothing required, as handlers given a root read it. */
    private static AuthfnConfig config(Map<String, String> env) {
        return AuthfnConfig.fromEnvironment(env, EnumSet.noneOf(Requirement.class));
    }

    private Components root(Map<String, String> env) {
        return Components.of(config(env), new InMemoryStores(sessions, users), () -> keys, clock);
    }

    @Test
    void handsOutTheConfigurationStoresClockAndKeysItWasBuiltFrom() {
        AuthfnConfig config = config(environment());
        Stores stores = new InMemoryStores(sessions, users);

        Components root = Components.of(config, stores, () -> keys, clock);

        assertThat(root.config()).isSameAs(config);
        assertThat(root.stores()).isSameAs(stores);
        assertThat(root.clock()).isSameAs(clock);
        assertThat(root.keys().get()).isSameAs(keys);
        assertThat(root.random()).isNotNull().isSameAs(root.random());
        assertThat(root.timeouts()).isEqualTo(new SessionTimeouts(Duration.ofMinutes(10), Duration.ofHours(2)));
        assertThat(root.cookies().sessionName()).isEqualTo("__Host-s");
        assertThat(root.cookies().csrfName()).isEqualTo("__Host-c");
        assertThat(root.routePolicy()).isEqualTo(config.routePolicy());
        assertThat(root.originCheck().check("https://app.example.com", "same-site", "https://api.example.com"))
                .isEmpty();
        assertThat(root.originCheck().check("https://evil.example", "same-site", "https://api.example.com"))
                .contains(OriginCheck.Reason.FOREIGN_ORIGIN);
    }

    @Test
    void buildsItsCodecsOnceFromTheConfiguredIssuerAndKeys() {
        Components root = root(environment());

        assertThat(root.codecs()).isSameAs(root.codecs());
        String token = root.codecs().get().issuer().issue("u-alice", "alice", "s1AAAAAAAAAAAAAAAAAAAA", Set.of(), Set.of(),
                Amr.PASSWORD, root.clock().instant());
        assertThat(root.codecs().get().verifier().verify(token))
                .isInstanceOfSatisfying(AccessTokenResult.Verified.class,
                        verified -> assertThat(verified.claims().subject()).isEqualTo("u-alice"));
        assertThat(root.codecs().get().issuer().lifetime()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void wiresLoginSessionsAuthorizerAndAdministrationOverTheSameStores() {
        // given
        Components root = root(environment());
        assertThat(users.create(new User("alice", "u-alice", HASHER.hash(PASSWORD), Set.of("user"), Set.of(),
                UserStatus.ACTIVE, 0, null))).isTrue();

        // when
        LoggedIn loggedIn = (LoggedIn) root.loginService(HASHER).login(new Attempt("alice", PASSWORD, "JUnit", "192.0.2.1"));

        // then: the session is the root's, seen by every other service it builds
        assertThat(loggedIn.session().idleExpiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        assertThat(sessions.find(loggedIn.session().id(), NOW)).contains(loggedIn.session());
        Principal alice = new Principal("u-alice", "alice", Set.of("user"), Set.of(), loggedIn.session().id(),
                AuthType.COOKIE);
        assertThat(root.sessionService().list(alice).orElseThrow()).extracting(SessionService.Listed::current)
                .containsExactly(true);
        RequestAuthenticator.Request request = RequestAuthenticator.Request.builder()
                .method("GET").routeKey("GET /protected")
                .authorization("Bearer " + loggedIn.accessToken())
                .build();
        assertThat(root.authenticator().authenticate(request)).isInstanceOfSatisfying(Allow.class,
                allow -> assertThat(allow.principal().userId()).isEqualTo("u-alice"));
        assertThat(root.authenticator(VerifiedTokenCache.disabled()).authenticate(request)).isInstanceOf(Allow.class);
        assertThat(root.userAdministration().endSessions("alice")).isEqualTo(OptionalInt.of(1));
        assertThat(sessions.find(loggedIn.session().id(), NOW)).isEmpty();
    }

    @Test
    void mintsTheSyntheticSessionWithItsOwnKeysAndClock() {
        Components root = root(environment());

        SyntheticSession synthetic = root.syntheticSession();

        assertThat(synthetic.session().createdAt()).isEqualTo(NOW);
        assertThat(root.codecs().get().verifier().verify(synthetic.accessToken()))
                .isInstanceOf(AccessTokenResult.Verified.class);
    }

    @Test
    void overOtherStoresSharesEverythingElse() {
        Components root = root(environment());
        Stores other = new InMemoryStores();

        Components primed = root.withStores(other);

        assertThat(primed.stores()).isSameAs(other);
        assertThat(primed.config()).isSameAs(root.config());
        assertThat(primed.clock()).isSameAs(root.clock());
        assertThat(primed.keys()).isSameAs(root.keys());
        assertThat(primed.codecs()).isSameAs(root.codecs());
        assertThat(primed.timeouts()).isSameAs(root.timeouts());
        assertThat(primed.cookies()).isSameAs(root.cookies());
    }

    @Test
    void aRootWithoutKeysSaysWhichVariableIsMissingWhenAskedForThem() {
        Components root = Components.of(config(environment()), new InMemoryStores(), null, clock);

        assertThatThrownBy(root::keys)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("AUTHFN_KEYS_SECRET_ID or AUTHFN_KEYS is required by this function");
        assertThatThrownBy(() -> root.require(EnumSet.of(Requirement.KEYS)))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void keysGivenToTheRootSatisfyTheKeysRequirement() {
        Components root = root(environment());

        assertThat(root.require(EnumSet.of(Requirement.KEYS, Requirement.ISSUER))).isSameAs(root);
        assertThat(root.require(Set.of())).isSameAs(root);
        assertThatThrownBy(() -> root.require(EnumSet.of(Requirement.KEYS, Requirement.USERS_TABLE)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .singleElement().asString().contains(AuthfnConfig.ENV_USERS_TABLE));
    }

    @Test
    void codecsNeedAnIssuerAndAnAudience() {
        Map<String, String> noIssuer = environment();
        noIssuer.remove(AuthfnConfig.ENV_ISSUER);
        Map<String, String> noAudience = environment();
        noAudience.remove(AuthfnConfig.ENV_AUDIENCE);

        assertThatThrownBy(() -> root(noIssuer).codecs().get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("AUTHFN_ISSUER is required by this function");
        assertThatThrownBy(() -> root(noAudience).codecs().get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("AUTHFN_AUDIENCE is required by this function");
    }

    @Test
    void fromTheEnvironmentReadsAnInlineKeySetAndNeedsNoStoresWithoutATable() {
        Map<String, String> env = environment();
        env.put(AuthfnConfig.ENV_KEYS, keys.toJson());

        Components root = Components.fromEnvironment(env);

        assertThat(root.stores()).isSameAs(Stores.NONE);
        assertThat(root.keys().get().activeJwtKey().kid()).isEqualTo(keys.activeJwtKey().kid());
        assertThat(root.keys().get()).isSameAs(root.keys().get());
        assertThat(root.config().issuer()).isEqualTo(Optional.of(ISSUER));
        assertThat(root.clock().instant().getNano() % 1_000_000).isZero();
    }

    @Test
    void fromTheEnvironmentWithATableButNoStoreModuleFailsOnlyWhenATableIsRequired() {
        // This module's test classpath holds no store module (authfn-dynamodb provides one).
        Map<String, String> env = environment();
        env.put(AuthfnConfig.ENV_SESSIONS_TABLE, "sessions");
        env.put(AuthfnConfig.ENV_USERS_TABLE, "users");

        assertThat(Components.fromEnvironment(env).stores()).isSameAs(Stores.NONE);
        for (Requirement table : List.of(Requirement.SESSIONS_TABLE, Requirement.USERS_TABLE)) {
            assertThatThrownBy(() -> Components.fromEnvironment(env, EnumSet.of(table)))
                    .as("%s", table)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("no store module on the classpath: a function that reads tables needs authfn-dynamodb"
                            + " (it provides dev.authfn.core.Stores$Provider)");
        }
        assertThat(Components.fromEnvironment(env, EnumSet.of(Requirement.ISSUER)).stores()).isSameAs(Stores.NONE);
    }
}
