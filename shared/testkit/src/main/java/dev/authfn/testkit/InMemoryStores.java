package dev.authfn.testkit;

import dev.authfn.core.Stores;
import dev.authfn.core.account.AccountStore;
import dev.authfn.core.account.Outbox;
import dev.authfn.core.mfa.MfaStore;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.passkey.PasskeyStore;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.UserStore;
import java.util.Objects;

/**
 * {@link Stores} over the in-memory twins (or any other pair), for unit tests and the local API's
 * memory mode. The account store is the users twin's ({@link InMemoryUserStore#accounts()}) when
 * the users store is one, and so are the second-factor store ({@link InMemoryUserStore#mfa()}) and
 * the passkey store ({@link InMemoryUserStore#passkeys()}); otherwise {@link #accounts()},
 * {@link #mfa()} and {@link #passkeys()} refuse, as for a function without them.
 */
public record InMemoryStores(SessionStore sessions, UserStore users, Outbox outbox) implements Stores {

    public InMemoryStores {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(users, "users");
        Objects.requireNonNull(outbox, "outbox");
    }

    public InMemoryStores(SessionStore sessions, UserStore users) {
        this(sessions, users, new InMemoryOutbox());
    }

    /** Fresh, empty in-memory stores. */
    public InMemoryStores() {
        this(new InMemorySessionStore(), new InMemoryUserStore());
    }

    @Override
    public AccountStore accounts() {
        if (users instanceof InMemoryUserStore memory) {
            return memory.accounts();
        }
        throw new IllegalStateException("no account store beside this user store");
    }

    @Override
    public MfaStore mfa() {
        if (users instanceof InMemoryUserStore memory) {
            return memory.mfa();
        }
        throw new IllegalStateException("no second-factor store beside this user store");
    }

    @Override
    public PasskeyStore passkeys() {
        if (users instanceof InMemoryUserStore memory) {
            return memory.passkeys();
        }
        throw new IllegalStateException("no passkey store beside this user store");
    }

    @Override
    public OAuthStore oauth() {
        if (users instanceof InMemoryUserStore memory) {
            return memory.oauth();
        }
        throw new IllegalStateException("no OAuth store beside this user store");
    }
}
