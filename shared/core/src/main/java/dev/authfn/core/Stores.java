package dev.authfn.core;

import dev.authfn.core.account.AccountStore;
import dev.authfn.core.account.Outbox;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.mfa.MfaStore;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.passkey.PasskeyStore;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.UserStore;
import java.util.Map;

/**
 * The stores a function works with: the port the composition root takes. Production's are
 * DynamoDB's ({@code dev.authfn.dynamodb.DynamoDbStores}, found through {@link Provider}); unit
 * tests and the local API's in-memory mode use the test kit's twins.
 *
 * <p>An implementation may make its clients on first use (DynamoDB's does, so that a function
 * that never reads a store never loads the AWS SDK); {@link #prepare()} makes them now, for
 * SnapStart priming.
 */
public interface Stores {

    SessionStore sessions();

    /** @throws IllegalStateException when this function has no users table */
    UserStore users();

    /**
     * Address claims, mail tokens and mail counts, kept in the users table.
     *
     * @throws IllegalStateException when this function has no users table or no store for them
     */
    default AccountStore accounts() {
        throw new IllegalStateException("this function has no account store");
    }

    /**
     * Users' second factors, kept on the users' own items in the users table.
     *
     * @throws IllegalStateException when this function has no users table or no store for them
     */
    default MfaStore mfa() {
        throw new IllegalStateException("this function has no second-factor store");
    }

    /**
     * Users' passkeys and the challenges of their ceremonies, kept in the users table.
     *
     * @throws IllegalStateException when this function has no users table or no store for them
     */
    default PasskeyStore passkeys() {
        throw new IllegalStateException("this function has no passkey store");
    }

    /**
     * The OAuth provider's clients, authorization codes and refresh-token families, kept in the
     * users table.
     *
     * @throws IllegalStateException when this function has no users table or no store for them
     */
    default OAuthStore oauth() {
        throw new IllegalStateException("this function has no OAuth store");
    }

    /**
     * The mails waiting to be sent.
     *
     * @throws IllegalStateException when this function has no outbox table
     */
    default Outbox outbox() {
        throw new IllegalStateException("this function has no outbox (AUTHFN_OUTBOX_TABLE)");
    }

    /** Makes what the stores need (clients, connections) now, if not yet; sends no request. */
    default void prepare() {
    }

    /**
     * Makes a function's production stores from its configuration. Found with
     * {@link java.util.ServiceLoader}, so that a function without a store module on its classpath
     * (jwks) carries no store code and the root names no adapter.
     */
    interface Provider {
        /** @param environment the process environment: region and credentials */
        Stores open(AuthfnConfig config, Map<String, String> environment);
    }

    /** For functions that use no store: every call says so. */
    Stores NONE = new Stores() {
        @Override
        public SessionStore sessions() {
            throw new IllegalStateException("this function has no session store (no store module on its classpath)");
        }

        @Override
        public UserStore users() {
            throw new IllegalStateException("this function has no user store (no store module on its classpath)");
        }
    };
}
