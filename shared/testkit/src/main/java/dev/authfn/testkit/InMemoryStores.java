package dev.authfn.testkit;

import dev.authfn.core.Stores;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.UserStore;
import java.util.Objects;

/** {@link Stores} over the in-memory twins (or any other pair), for unit tests and the local API's memory mode. */
public record InMemoryStores(SessionStore sessions, UserStore users) implements Stores {

    public InMemoryStores {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(users, "users");
    }

    /** Fresh, empty in-memory stores. */
    public InMemoryStores() {
        this(new InMemorySessionStore(), new InMemoryUserStore());
    }
}
