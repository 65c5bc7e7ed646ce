package dev.authfn.core.oauth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the OAuth provider's data lives (docs/API.md §18): registered clients, authorization
 * codes and refresh-token families. The store keeps what the caller hands it: hashes, never a
 * code, a secret or a refresh token in the clear. Codes and families are read strongly
 * consistently and changed by conditional writes only, so that a code is spent once and a family
 * rotates once per secret, however many requests race. Expiry is the caller's check (TTL only
 * cleans up). Infrastructure failures surface as {@link dev.authfn.core.StoreUnavailableException}.
 */
public interface OAuthStore {

    /** Registers a client; false, changing nothing, when one with its id exists. */
    boolean addClient(OAuthClient client);

    /** The client with this id, or empty. */
    Optional<OAuthClient> client(String clientId);

    /** Every registered client, by id (an administrator's listing: may read the whole table). */
    List<OAuthClient> clients();

    /** Removes the client; false when there was none. Its codes and families then fail on their client check. */
    boolean removeClient(String clientId);

    /** Whether {@code origin} is one of a registered client's {@link OAuthClient#corsOrigins()}. */
    boolean isCorsOrigin(String origin);

    /** Stores a new code, by its hash, until {@link AuthorizationCode#expiresAt()} (and TTL). */
    void saveCode(AuthorizationCode code);

    /**
     * Spends the code with this hash in one conditional write that also records
     * {@code grantSessionId}, the session the exchange is about to start: the first call for a hash
     * gets {@link Spent} (the code as stored, expired or not: expiry is the caller's check); every
     * later call gets {@link Reused}, naming that session so the caller can end it (RFC 6749
     * §4.1.2: a code used twice revokes what it gave). {@link Unknown} when there is no such code
     * (never issued, or cleaned up).
     */
    CodeSpend spendCode(String codeHash, String grantSessionId, Instant now);

    /** Stores a new family; false, changing nothing, when its id exists (256 random bits: it does not happen). */
    boolean saveFamily(RefreshFamily family);

    /** The family with this id, read strongly consistently, expired or not; or empty. */
    Optional<RefreshFamily> family(String familyId);

    /**
     * Replaces {@code read} with {@code next} (the same id) only while the stored current hash is
     * still {@code read.currentHash()}: of two refreshes with one token, one rotates and the other
     * gets false.
     */
    boolean rotate(RefreshFamily read, RefreshFamily next);

    /** Deletes the family; false when there was none. */
    boolean removeFamily(String familyId);

    /** What {@link #spendCode} found. */
    sealed interface CodeSpend permits Spent, Reused, Unknown {
    }

    /** The first use: the code as it was stored. */
    record Spent(AuthorizationCode code) implements CodeSpend {
        public Spent {
            Objects.requireNonNull(code, "code");
        }
    }

    /** A later use of a spent code: the session the first use started. */
    record Reused(AuthorizationCode code, String grantSessionId) implements CodeSpend {
        public Reused {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(grantSessionId, "grantSessionId");
        }
    }

    /** No such code. */
    record Unknown() implements CodeSpend {
    }
}
