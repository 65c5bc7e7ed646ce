package dev.authfn.core.passkey;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One user's passkey as stored (docs/API.md §17): a WebAuthn credential's public parts and what
 * the user and the relying party know about it. Binary values are base64url without padding.
 *
 * @param credentialId the credential id the authenticator chose (its key in the store)
 * @param username the canonical username of its user
 * @param userId its user's id
 * @param userHandle the user's WebAuthn user handle when it was registered
 * @param publicKey the credential's public key, COSE-encoded
 * @param signCount the authenticator's signature counter at its last use (0: it keeps none)
 * @param aaguid the authenticator model's AAGUID (all zeros when it gives none)
 * @param transports what the browser said the authenticator speaks ({@code internal}, {@code usb}, ...)
 * @param backupEligible the BE flag at registration: a synced (multi-device) passkey
 * @param backedUp the BS flag at its last use
 * @param name what the user calls it
 * @param createdAt when it was registered
 * @param lastUsedAt when it last signed someone in
 * @param flagged its counter went backwards once (a possible clone): it signs no one in again
 */
public record Passkey(
        String credentialId,
        String username,
        String userId,
        String userHandle,
        String publicKey,
        long signCount,
        String aaguid,
        List<String> transports,
        boolean backupEligible,
        boolean backedUp,
        String name,
        Instant createdAt,
        Optional<Instant> lastUsedAt,
        boolean flagged) {

    /** The longest name kept; longer names are refused by the routes. */
    public static final int MAX_NAME_LENGTH = 64;

    public Passkey {
        Objects.requireNonNull(credentialId, "credentialId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(userHandle, "userHandle");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(aaguid, "aaguid");
        transports = List.copyOf(transports);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
        if (credentialId.isEmpty()) {
            throw new IllegalArgumentException("credentialId must not be empty");
        }
        if (signCount < 0) {
            throw new IllegalArgumentException("signCount must not be negative");
        }
    }
}
