package dev.authfn.testkit;

import dev.authfn.core.password.PasswordHasher;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a password hasher to count the passwords it checks, against a stored hash or the dummy
 * (how tests prove how many guesses the lockout let through to Argon2id), and the hashes it makes.
 */
public final class CountingPasswordHasher implements PasswordHasher {

    private final PasswordHasher delegate;
    private final AtomicInteger verifications = new AtomicInteger();
    private final AtomicInteger hashes = new AtomicInteger();

    public CountingPasswordHasher(PasswordHasher delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** Calls of {@link #verify} and {@link #verifyDummy}: the Argon2id work done on presented passwords. */
    public int verifications() {
        return verifications.get();
    }

    /** Calls of either {@code hash}: the Argon2id work done on new passwords. */
    public int hashes() {
        return hashes.get();
    }

    @Override
    public String hash(char[] password) {
        hashes.incrementAndGet();
        return delegate.hash(password);
    }

    @Override
    public String hash(String password) {
        hashes.incrementAndGet();
        return delegate.hash(password);
    }

    @Override
    public boolean verify(String password, String storedHash) {
        verifications.incrementAndGet();
        return delegate.verify(password, storedHash);
    }

    @Override
    public boolean verifyDummy(String password) {
        verifications.incrementAndGet();
        return delegate.verifyDummy(password);
    }

    @Override
    public boolean needsRehash(String storedHash) {
        return delegate.needsRehash(storedHash);
    }
}
