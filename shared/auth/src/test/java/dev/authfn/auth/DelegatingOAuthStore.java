package dev.authfn.auth;

import dev.authfn.core.oauth.AuthorizationCode;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.oauth.RefreshFamily;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An OAuth store that hands every call to another: a test's wrapper overrides only the call it
 * changes (to race a rotation, to replay a code in the middle of a spend) and inherits the rest.
 */
abstract class DelegatingOAuthStore implements OAuthStore {

    /** The store every call goes to. */
    protected final OAuthStore delegate;

    DelegatingOAuthStore(OAuthStore delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public boolean addClient(OAuthClient client) {
        return delegate.addClient(client);
    }

    @Override
    public Optional<OAuthClient> client(String clientId) {
        return delegate.client(clientId);
    }

    @Override
    public List<OAuthClient> clients() {
        return delegate.clients();
    }

    @Override
    public boolean removeClient(String clientId) {
        return delegate.removeClient(clientId);
    }

    @Override
    public boolean isCorsOrigin(String origin) {
        return delegate.isCorsOrigin(origin);
    }

    @Override
    public void saveCode(AuthorizationCode code) {
        delegate.saveCode(code);
    }

    @Override
    public CodeSpend spendCode(String codeHash, String grantSessionId, Instant now) {
        return delegate.spendCode(codeHash, grantSessionId, now);
    }

    @Override
    public boolean saveFamily(RefreshFamily family) {
        return delegate.saveFamily(family);
    }

    @Override
    public Optional<RefreshFamily> family(String familyId) {
        return delegate.family(familyId);
    }

    @Override
    public boolean rotate(RefreshFamily read, RefreshFamily next) {
        return delegate.rotate(read, next);
    }

    @Override
    public boolean removeFamily(String familyId) {
        return delegate.removeFamily(familyId);
    }
}
