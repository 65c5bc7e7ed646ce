package dev.authfn.core.oauth;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A registered OAuth client (docs/API.md §18.1): data an operator adds with
 * {@code ./authfn clients add}, never registered by the client itself. A confidential client
 * holds the hash of its secret ({@link OAuthCredential#hash}); a public one (a single-page or
 * native app) holds none and must prove itself with PKCE alone. {@code scopes} is what the client
 * may ask for: any of the OpenID scopes ({@link Scopes#OPENID_SCOPES}) and the API's permissions
 * listed here; {@code redirectUris} are compared exactly ({@link RedirectUris#matches}). A public
 * client's https and loopback redirect URIs' origins are the origins allowed to call the token,
 * revocation, userinfo and discovery endpoints from a browser ({@link #corsOrigins}).
 */
public record OAuthClient(
        String clientId,
        Optional<String> secretHash,
        List<String> redirectUris,
        Set<String> scopes,
        Instant createdAt) {

    /** Client ids: what the CLI accepts and the endpoints look up; anything else is unknown unread. */
    public static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    /** How many redirect URIs one client may register. */
    public static final int MAX_REDIRECT_URIS = 10;

    public OAuthClient {
        if (clientId == null || !CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("a client id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        Objects.requireNonNull(secretHash, "secretHash");
        redirectUris = List.copyOf(redirectUris);
        if (redirectUris.size() > MAX_REDIRECT_URIS || new LinkedHashSet<>(redirectUris).size() != redirectUris.size()) {
            throw new IllegalArgumentException("a client has at most " + MAX_REDIRECT_URIS + " distinct redirect URIs");
        }
        for (String uri : redirectUris) {
            RedirectUris.problem(uri).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
        }
        scopes = Set.copyOf(scopes);
        for (String scope : scopes) {
            if (!Scopes.isScopeToken(scope)) {
                throw new IllegalArgumentException("a scope is printable ASCII without spaces, quotes or backslashes");
            }
        }
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** A client without a secret: PKCE is its only proof. */
    public boolean isPublic() {
        return secretHash.isEmpty();
    }

    /** Whether {@code requested} is one of this client's redirect URIs ({@link RedirectUris#matches}). */
    public boolean allowsRedirect(String requested) {
        for (String registered : redirectUris) {
            if (RedirectUris.matches(registered, requested)) {
                return true;
            }
        }
        return false;
    }

    /** The browser origins a public client's pages run on: its http(s) redirect URIs' origins. None for a confidential client. */
    public Set<String> corsOrigins() {
        Set<String> origins = new LinkedHashSet<>();
        if (isPublic()) {
            for (String uri : redirectUris) {
                RedirectUris.origin(uri).ifPresent(origins::add);
            }
        }
        return origins;
    }

    /** Whether {@code presented} is this confidential client's secret (constant time); false for a public client. */
    public boolean secretMatches(String presented) {
        return secretHash.isPresent() && presented != null && OAuthCredential.isWellFormed(presented)
                && OAuthCredential.matches(presented, secretHash.get());
    }

    @Override
    public String toString() {
        return "OAuthClient[" + clientId + (isPublic() ? ", public" : ", confidential") + "]";
    }
}
