package dev.authfn.testkit;

import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.UserStore;

class InMemoryUserStoreTest extends UserStoreContract {

    @Override
    protected SessionStore newSessionStore() {
        return new InMemorySessionStore();
    }

    @Override
    protected UserStore newUserStore(SessionStore sessions) {
        return new InMemoryUserStore(sessions);
    }
}
