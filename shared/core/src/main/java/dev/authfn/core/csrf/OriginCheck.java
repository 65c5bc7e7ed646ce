package dev.authfn.core.csrf;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses cross-site requests that change state with ambient credentials (the session cookie) and
 * cross-site logins. A request passes when {@code Sec-Fetch-Site} is not {@code cross-site} and its
 * {@code Origin}, if any, is the API's own origin or one of the configured ones. Browsers that send
 * neither header (old ones, or non-browser clients) are left to the CSRF token.
 */
public final class OriginCheck {

    /** Why a request was refused. */
    public enum Reason {
        CROSS_SITE,
        FOREIGN_ORIGIN
    }

    private final Set<String> allowedOrigins;

    public OriginCheck(Set<String> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    /**
     * @param origin the {@code Origin} header or null
     * @param secFetchSite the {@code Sec-Fetch-Site} header or null
     * @param selfOrigin the API's own origin as the request reached it ({@code https://host}), or null
     */
    public Optional<Reason> check(String origin, String secFetchSite, String selfOrigin) {
        if (secFetchSite != null && "cross-site".equals(secFetchSite.trim().toLowerCase(Locale.ROOT))) {
            return Optional.of(Reason.CROSS_SITE);
        }
        if (origin == null) {
            return Optional.empty();
        }
        String presented = origin.trim().toLowerCase(Locale.ROOT);
        if (allowedOrigins.contains(presented) || (selfOrigin != null && presented.equals(selfOrigin.toLowerCase(Locale.ROOT)))) {
            return Optional.empty();
        }
        return Optional.of(Reason.FOREIGN_ORIGIN);
    }

    /** The origin a request addressed: scheme from {@code X-Forwarded-Proto} (default https) and host. */
    public static String selfOrigin(String forwardedProto, String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        String scheme = forwardedProto == null || forwardedProto.isBlank() ? "https" : forwardedProto.trim();
        return scheme + "://" + host.trim();
    }
}
