package dev.authfn.testkit;

import dev.authfn.core.session.SessionStore;

class InMemorySessionStoreTest extends SessionStoreContract {

    @Override
    protected SessionStore newStore() {
        return new InMemorySessionStore();
    }
}
