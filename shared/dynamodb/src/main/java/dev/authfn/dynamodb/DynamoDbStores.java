package dev.authfn.dynamodb;

import dev.authfn.core.account.AccountStore;
import dev.authfn.core.account.Outbox;
import dev.authfn.core.mfa.MfaStore;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.passkey.PasskeyStore;

import dev.authfn.core.OnFirstUse;
import dev.authfn.core.Stores;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.session.Session;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.UserStore;
import dev.authfn.dynamodb.internal.Tables;
import java.time.Instant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A function's stores on DynamoDB, made from its configuration: the sessions table, and the users
 * table when one is configured (with the account items, the second factors, the passkeys and the
 * OAuth provider's clients, codes and refresh-token families kept in it). The root finds this class through {@link Provider}
 * ({@code META-INF/services}).
 *
 * <p><b>Lazy, here and only here.</b> The DynamoDB client is made on the first store call, not
 * when this object is: building it loads and initialises several hundred AWS SDK classes, about
 * half the cold start of an authorizer that may never read a session (stateless bearer tokens).
 * This class names no SDK type, so not even verifying it loads one; {@link Tables} does, and is
 * touched only on first use. {@link #sessions()} hands out a store that makes the client on its
 * first call; {@link #users()} makes it at once (the functions that ask for users read them at
 * their first request anyway); {@link #prepare()} makes it for SnapStart priming.
 */
public final class DynamoDbStores implements Stores {

    /** The {@link Stores.Provider} the root loads. */
    public static final class Provider implements Stores.Provider {
        @Override
        public Stores open(AuthfnConfig config, Map<String, String> environment) {
            return new DynamoDbStores(config, environment);
        }
    }

    private final OnFirstUse<Tables> tables;
    private final boolean hasUsersTable;
    private final boolean hasOutboxTable;
    private final SessionStore sessions;

    /**
     * Checks the configuration now (the sessions table is required, the region is read at first
     * use) and makes nothing yet.
     */
    public DynamoDbStores(AuthfnConfig config, Map<String, String> environment) {
        Objects.requireNonNull(config, "config");
        Map<String, String> env = Map.copyOf(environment);
        if (config.sessionsTable().isEmpty()) {
            throw new IllegalStateException(AuthfnConfig.ENV_SESSIONS_TABLE + " is required by the DynamoDB stores");
        }
        this.tables = new OnFirstUse<>(() -> Tables.open(config, env));
        this.hasUsersTable = config.usersTable().isPresent();
        this.hasOutboxTable = config.outboxTable().isPresent();
        this.sessions = new OnFirstCall(tables);
    }

    @Override
    public SessionStore sessions() {
        return sessions;
    }

    @Override
    public UserStore users() {
        if (!hasUsersTable) {
            throw new IllegalStateException(AuthfnConfig.ENV_USERS_TABLE + " is required by this function");
        }
        return tables.get().users();
    }

    @Override
    public AccountStore accounts() {
        if (!hasUsersTable) {
            throw new IllegalStateException(AuthfnConfig.ENV_USERS_TABLE + " is required by this function");
        }
        return tables.get().accounts();
    }

    @Override
    public MfaStore mfa() {
        if (!hasUsersTable) {
            throw new IllegalStateException(AuthfnConfig.ENV_USERS_TABLE + " is required by this function");
        }
        return tables.get().mfa();
    }

    @Override
    public PasskeyStore passkeys() {
        if (!hasUsersTable) {
            throw new IllegalStateException(AuthfnConfig.ENV_USERS_TABLE + " is required by this function");
        }
        return tables.get().passkeys();
    }

    @Override
    public OAuthStore oauth() {
        if (!hasUsersTable) {
            throw new IllegalStateException(AuthfnConfig.ENV_USERS_TABLE + " is required by this function");
        }
        return tables.get().oauth();
    }

    @Override
    public Outbox outbox() {
        if (!hasOutboxTable) {
            throw new IllegalStateException(AuthfnConfig.ENV_OUTBOX_TABLE + " is required by this function");
        }
        return tables.get().outbox();
    }

    @Override
    public void prepare() {
        tables.get();
    }

    /** Whether the client has been made; for the cold-start tests. */
    public boolean isOpen() {
        return tables.isMade();
    }

    /** The session store that makes the client on its first call. */
    private record OnFirstCall(OnFirstUse<Tables> tables) implements SessionStore {

        @Override
        public boolean create(Session session) {
            return tables.get().sessions().create(session);
        }

        @Override
        public Optional<Session> find(String sessionId, Instant now) {
            return tables.get().sessions().find(sessionId, now);
        }

        @Override
        public Optional<Session> touch(Session read, Instant now, Duration idleTimeout) {
            return tables.get().sessions().touch(read, now, idleTimeout);
        }

        @Override
        public boolean updateGrants(String sessionId, Set<String> roles, Set<String> permissions, Instant now) {
            return tables.get().sessions().updateGrants(sessionId, roles, permissions, now);
        }

        @Override
        public boolean revoke(String sessionId, String userId) {
            return tables.get().sessions().revoke(sessionId, userId);
        }

        @Override
        public int revokeAll(String userId) {
            return tables.get().sessions().revokeAll(userId);
        }

        @Override
        public List<Session> listLive(String userId, Instant now) {
            return tables.get().sessions().listLive(userId, now);
        }
    }
}
