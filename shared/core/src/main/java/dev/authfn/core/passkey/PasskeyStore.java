package dev.authfn.core.passkey;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where users' passkeys (WebAuthn credentials) and the challenges of their ceremonies live:
 * keyed by credential id, each passkey names its user by canonical username and user id, and the
 * user keeps the list of its credential ids and its WebAuthn user handle (a random opaque id,
 * never the username or user id, docs/API.md §17).
 *
 * <p>Every change is one atomic conditional write (or one transaction), conditional on the user
 * still being {@code userId}: a passkey of a user deleted and re-created under the same name is
 * never taken for one of the new user's, and a name no user holds gets none. A challenge is
 * good once: {@link #spendChallenge} removes it in a conditional write and hands back what it
 * was, so two requests with one challenge give one ceremony. The store keeps what the caller
 * hands it: public keys and hashes, never a private key or a challenge in the clear.
 * Infrastructure failures surface as {@link dev.authfn.core.StoreUnavailableException}.
 */
public interface PasskeyStore {

    /**
     * The user's WebAuthn user handle: the stored one, or else {@code candidate}, which is then
     * stored (so two first registrations at once agree on one handle). Empty, storing nothing,
     * when the user {@code userId} does not exist under {@code username}.
     */
    Optional<String> userHandle(String username, String userId, String candidate);

    /** The user's passkeys, oldest first; empty when there are none or no such user. */
    List<Passkey> list(String username, String userId);

    /** The passkey with this credential id, whoever's it is; read strongly consistently. */
    Optional<Passkey> find(String credentialId);

    /**
     * Stores a new passkey for its user, when the user is {@link Passkey#userId()} and has fewer
     * than {@code maxPerUser} passkeys, and no passkey (anyone's) has its credential id.
     */
    Added add(Passkey passkey, int maxPerUser);

    /** Renames the user's passkey; false, changing nothing, when the user has no such passkey. */
    boolean rename(String username, String userId, String credentialId, String name);

    /** Removes the user's passkey; false, changing nothing, when the user has no such passkey. */
    boolean remove(String username, String userId, String credentialId);

    /**
     * Records a successful sign-in with the passkey: its sign counter becomes {@code newCounter},
     * its backup state {@code backedUp} and its last use {@code now}, only while its counter is
     * still {@code previousCounter} (two sign-ins that verified against one counter value record
     * one; the other is refused as a replay). An authenticator that keeps no counter sends 0 every
     * time, and 0 to 0 meets the condition every time: for those only the single-use challenge
     * stops a replay. False, changing nothing, otherwise or when the passkey is gone.
     */
    boolean recordUse(String credentialId, long previousCounter, long newCounter, boolean backedUp, Instant now);

    /**
     * Marks the passkey as possibly cloned (its counter went backwards): it signs no one in again
     * until removed and added anew. False when the passkey is gone.
     */
    boolean flag(String credentialId, Instant now);

    /**
     * Stores a ceremony's challenge, by its hash, until {@link Challenge#expiresAt()} (and TTL). A
     * second save of one hash replaces the first (256 random bits: it does not happen).
     */
    void saveChallenge(Challenge challenge);

    /**
     * Spends the challenge with this hash: removes it in one conditional write and returns it as
     * it was, expired or not (expiry is the caller's check). Empty when there is none: unknown,
     * spent already, or cleaned up.
     */
    Optional<Challenge> spendChallenge(String challengeHash);

    /** What {@link #add} did. */
    enum Added {
        ADDED,
        /** A passkey with this credential id exists already (the user's, or anyone's). */
        DUPLICATE,
        /** The user has {@code maxPerUser} passkeys already. */
        LIMIT_REACHED,
        /** No user {@code userId} holds the name any more. */
        NO_USER
    }

    /** The two WebAuthn ceremonies a challenge can be for. */
    enum Ceremony {
        REGISTRATION,
        AUTHENTICATION
    }

    /**
     * A ceremony's challenge as stored: the hash of the challenge bytes (base64url SHA-256), the
     * ceremony, and for a registration whose session asked for it (user and session) and the
     * user handle the options named.
     */
    record Challenge(String challengeHash, Ceremony ceremony, Optional<Registrant> registrant, Instant expiresAt) {
        public Challenge {
            Objects.requireNonNull(challengeHash, "challengeHash");
            Objects.requireNonNull(ceremony, "ceremony");
            Objects.requireNonNull(registrant, "registrant");
            Objects.requireNonNull(expiresAt, "expiresAt");
            if (challengeHash.isBlank()) {
                throw new IllegalArgumentException("challengeHash must not be blank");
            }
            if ((ceremony == Ceremony.REGISTRATION) != registrant.isPresent()) {
                throw new IllegalArgumentException("a registration challenge, and only one, names its registrant");
            }
        }
    }

    /** Who asked for a registration challenge: the user, the session, and the user handle given out. */
    record Registrant(String username, String userId, String sessionId, String userHandle) {
        public Registrant {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(userId, "userId");
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(userHandle, "userHandle");
        }
    }
}
