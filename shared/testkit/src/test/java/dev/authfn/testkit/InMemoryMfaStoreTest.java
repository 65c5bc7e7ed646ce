package dev.authfn.testkit;

class InMemoryMfaStoreTest extends MfaStoreContract {

    private InMemoryUserStore users;

    @Override
    protected Backing newBacking() {
        users = new InMemoryUserStore();
        return new Backing(users, users.accounts(), users.mfa());
    }

    @Override
    protected void removeUser(String username) {
        users.remove(username);
    }
}
