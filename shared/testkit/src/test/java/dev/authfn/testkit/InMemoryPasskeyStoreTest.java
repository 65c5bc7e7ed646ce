package dev.authfn.testkit;

class InMemoryPasskeyStoreTest extends PasskeyStoreContract {

    private InMemoryUserStore users;

    @Override
    protected Backing newBacking() {
        users = new InMemoryUserStore();
        return new Backing(users, users.passkeys());
    }

    @Override
    protected void removeUser(String username) {
        users.remove(username);
    }
}
