package dev.authfn.testkit;

class InMemoryAccountStoreTest extends AccountStoreContract {

    private InMemoryUserStore users;

    @Override
    protected Backing newBacking() {
        users = new InMemoryUserStore();
        return new Backing(users, users.accounts());
    }

    @Override
    protected void removeUser(String username) {
        users.remove(username);
    }
}
