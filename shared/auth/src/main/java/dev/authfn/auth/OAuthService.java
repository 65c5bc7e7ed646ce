package dev.authfn.auth;

import dev.authfn.core.authz.Principal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The OAuth 2.0 authorization server and OpenID provider (docs/API.md §18): the authorization
 * endpoint's decision, the token endpoint's three grants, revocation, userinfo and the discovery
 * document. HTTP is the handler's business: it hands over the parameters as parsed (every value of
 * every name, so that a repeated one is refused here), the {@code Authorization} header as sent,
 * and the caller's session when its cookie proved one; it renders what comes back. Nothing here
 * throws for bad input; a store outage surfaces as {@link dev.authfn.core.StoreUnavailableException}.
 */
public final class OAuthService {

    // ---- GET /oauth2/authorize (§18.2) ----

    /** What the authorization endpoint answers. */
    public sealed interface Authorization permits ErrorPage, Redirect, LoginPage {
        /** The audit reason; {@code issued} for a code. */
        String reason();
    }

    /** 400, an HTML page saying {@code message}: the client or its redirect URI is not known, so nothing is sent to it. */
    public record ErrorPage(String reason, String message) implements Authorization {
    }

    /** 302 to {@code location}: the client's redirect URI with a code, or with an RFC 6749 §4.1.2.1 error. */
    public record Redirect(String reason, String location, Optional<String> userId) implements Authorization {
    }

    /** 200, the hosted login page: the caller must log in first (§18.3). */
    public record LoginPage(String reason) implements Authorization {
    }

    /**
     * @param parameters the query string's parameters
     * @param caller the caller's session, when its {@code __Host-session} cookie proved a live one
     */
    public Authorization authorize(Map<String, List<String>> parameters, Optional<Principal> caller) {
        throw new UnsupportedOperationException("not yet");
    }

    // ---- POST /oauth2/token and /oauth2/revoke (§18.4 to §18.6) ----

    /** What the token or revocation endpoint answers. */
    public sealed interface TokenAnswer permits Tokens, Revoked, TokenError {
        String reason();
    }

    /** 200 with {@code body} (JSON): the tokens. */
    public record Tokens(String reason, Map<String, Object> body, Optional<String> userId) implements TokenAnswer {
    }

    /** 200 with no body: the revocation was done, or there was nothing to revoke. */
    public record Revoked(String reason) implements TokenAnswer {
    }

    /**
     * An RFC 6749 §5.2 error: {@code status} (400, 401 or 503), the body
     * {@code {"error", "error_description"}}, and, when {@code basicChallenge}, a
     * {@code WWW-Authenticate: Basic realm="authfn"} header.
     */
    public record TokenError(String reason, int status, String error, String description, boolean basicChallenge)
            implements TokenAnswer {
        public TokenError {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * @param authorization the request's {@code Authorization} header, or null
     * @param form the form body's parameters
     * @param userAgent and {@code sourceIp}: recorded on the grant's session
     */
    public TokenAnswer token(String authorization, Map<String, List<String>> form, String userAgent, String sourceIp) {
        throw new UnsupportedOperationException("not yet");
    }

    public TokenAnswer revoke(String authorization, Map<String, List<String>> form) {
        throw new UnsupportedOperationException("not yet");
    }

    // ---- /oauth2/userinfo (§18.7) ----

    /** What userinfo answers. */
    public sealed interface UserInfo permits Claims, InsufficientScope {
    }

    /** 200 with these claims. */
    public record Claims(Map<String, Object> claims) implements UserInfo {
    }

    /** 403 {@code error="insufficient_scope"}: the token does not carry {@code openid}; or the user is gone (401). */
    public record InsufficientScope(String reason) implements UserInfo {
    }

    /** @param principal the caller, as the bearer token (its session live) proved it */
    public UserInfo userinfo(Principal principal) {
        throw new UnsupportedOperationException("not yet");
    }

    // ---- discovery and CORS (§18.8) ----

    /** The {@code /.well-known/openid-configuration} document. */
    public Map<String, Object> discovery() {
        throw new UnsupportedOperationException("not yet");
    }

    /** Whether a browser page on {@code origin} may read the token, revocation, userinfo and discovery answers. */
    public boolean isCorsOrigin(String origin) {
        throw new UnsupportedOperationException("not yet");
    }
}
