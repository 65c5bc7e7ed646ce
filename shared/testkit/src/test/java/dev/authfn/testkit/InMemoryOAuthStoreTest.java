package dev.authfn.testkit;

import dev.authfn.core.oauth.OAuthStore;

class InMemoryOAuthStoreTest extends OAuthStoreContract {

    @Override
    protected OAuthStore newStore() {
        return new InMemoryUserStore().oauth();
    }
}
