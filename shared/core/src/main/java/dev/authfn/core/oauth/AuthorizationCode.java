package dev.authfn.core.oauth;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An authorization code as stored, by the hash of the code ({@link OAuthCredential#hash}): what
 * it was issued for (the client, the exact redirect URI of the request, the PKCE challenge, the
 * scopes granted, the OpenID {@code nonce}) and to whom (the user, and the browser session that
 * was live when it was issued, with that session's {@code amr} and {@code auth_time}). Good for
 * {@link #LIFETIME} and once: the store spends it with a conditional write.
 */
public record AuthorizationCode(
        String codeHash,
        String clientId,
        String redirectUri,
        String codeChallenge,
        Set<String> scopes,
        Optional<String> nonce,
        String userId,
        String username,
        String sessionId,
        List<String> amr,
        Instant authTime,
        Instant issuedAt,
        Instant expiresAt) {

    /** RFC 6749 §4.1.2 asks for at most ten minutes; a browser redirect and a token request take seconds. */
    public static final Duration LIFETIME = Duration.ofSeconds(60);

    public AuthorizationCode {
        Objects.requireNonNull(codeHash, "codeHash");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(redirectUri, "redirectUri");
        Objects.requireNonNull(codeChallenge, "codeChallenge");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(sessionId, "sessionId");
        amr = List.copyOf(amr);
        Objects.requireNonNull(authTime, "authTime");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    public boolean isLiveAt(Instant now) {
        return now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "AuthorizationCode[client=" + clientId + ", userId=" + userId + ", codeHash=<redacted>]";
    }
}
