package dev.authfn.testkit;

import dev.authfn.core.oauth.AuthorizationCode;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.oauth.RefreshFamily;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The in-memory twin of the DynamoDB OAuth store ({@link InMemoryUserStore#oauth()}), for unit
 * tests and the local API's in-memory mode. Clients, codes and families each sit in a map of their
 * own, keyed as their items are; a code is spent and a family rotated in one atomic step on its
 * entry, so of two racing requests one wins, as with a conditional write. It passes
 * {@code OAuthStoreContract}.
 */
public final class InMemoryOAuthStore implements OAuthStore {

    private final ConcurrentMap<String, OAuthClient> clients = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, StoredCode> codes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, RefreshFamily> families = new ConcurrentHashMap<>();

    private record StoredCode(AuthorizationCode code, Optional<String> grantSessionId) {
    }

    @Override
    public boolean addClient(OAuthClient client) {
        return clients.putIfAbsent(client.clientId(), client) == null;
    }

    @Override
    public Optional<OAuthClient> client(String clientId) {
        return clientId == null ? Optional.empty() : Optional.ofNullable(clients.get(clientId));
    }

    @Override
    public List<OAuthClient> clients() {
        return clients.values().stream().sorted(Comparator.comparing(OAuthClient::clientId)).toList();
    }

    @Override
    public boolean removeClient(String clientId) {
        return clientId != null && clients.remove(clientId) != null;
    }

    @Override
    public boolean isCorsOrigin(String origin) {
        return origin != null && clients.values().stream().anyMatch(client -> client.corsOrigins().contains(origin));
    }

    @Override
    public void saveCode(AuthorizationCode code) {
        codes.put(code.codeHash(), new StoredCode(code, Optional.empty()));
    }

    @Override
    public CodeSpend spendCode(String codeHash, String grantSessionId, Instant now) {
        Objects.requireNonNull(grantSessionId, "grantSessionId");
        CodeSpend[] outcome = {new Unknown()};
        if (codeHash == null) {
            return outcome[0];
        }
        codes.computeIfPresent(codeHash, (hash, stored) -> {
            if (stored.grantSessionId().isPresent()) {
                outcome[0] = new Reused(stored.code(), stored.grantSessionId().get());
                return stored;
            }
            outcome[0] = new Spent(stored.code());
            return new StoredCode(stored.code(), Optional.of(grantSessionId));
        });
        return outcome[0];
    }

    @Override
    public boolean saveFamily(RefreshFamily family) {
        return families.putIfAbsent(family.familyId(), family) == null;
    }

    @Override
    public Optional<RefreshFamily> family(String familyId) {
        return familyId == null ? Optional.empty() : Optional.ofNullable(families.get(familyId));
    }

    @Override
    public boolean rotate(RefreshFamily read, RefreshFamily next) {
        if (!read.familyId().equals(next.familyId())) {
            throw new IllegalArgumentException("a rotation keeps the family id");
        }
        boolean[] rotated = {false};
        families.computeIfPresent(read.familyId(), (id, stored) -> {
            if (!stored.currentHash().equals(read.currentHash())) {
                return stored;
            }
            rotated[0] = true;
            return next;
        });
        return rotated[0];
    }

    @Override
    public boolean removeFamily(String familyId) {
        return familyId != null && families.remove(familyId) != null;
    }
}
