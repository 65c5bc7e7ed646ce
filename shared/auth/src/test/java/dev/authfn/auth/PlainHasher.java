package dev.authfn.auth;

import dev.authfn.core.password.PasswordHasher;

/** A hasher that does no work ({@code plain:<password>}): for tests about flows, not about Argon2id. */
final class PlainHasher implements PasswordHasher {

    @Override
    public String hash(char[] password) {
        return hash(new String(password));
    }

    @Override
    public String hash(String password) {
        return "plain:" + password;
    }

    @Override
    public boolean verify(String password, String storedHash) {
        return storedHash.equals(hash(password));
    }

    @Override
    public boolean verifyDummy(String password) {
        return false;
    }

    @Override
    public boolean needsRehash(String storedHash) {
        return false;
    }
}
