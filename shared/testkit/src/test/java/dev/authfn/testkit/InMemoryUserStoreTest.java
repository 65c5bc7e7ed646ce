package dev.authfn.testkit;

import dev.authfn.core.user.UserStore;

class InMemoryUserStoreTest extends UserStoreContract {

    @Override
    protected UserStore newUserStore() {
        return new InMemoryUserStore();
    }
}
