package dev.authfn.core.oauth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which redirect URIs a client may register, and how a requested one is compared with them
 * (RFC 9700 §2.1 and §4.1.3: exact string comparison; RFC 8252 §7.3: a native app's loopback
 * redirect, {@code http://127.0.0.1} or {@code http://[::1]}, may use any port). A registered URI
 * is absolute, has no fragment and no user info, and is {@code https}, a loopback {@code http}
 * (including {@code localhost}, for development), or a private-use scheme with a dot in it
 * (RFC 8252 §7.1, e.g. {@code com.example.app:/callback}).
 */
public final class RedirectUris {

    /** Longer redirect URIs are refused unparsed. */
    public static final int MAX_LENGTH = 2048;

    /** An IP loopback http URI: group 1 up to the host, 2 the port, 3 the path and query. */
    private static final Pattern LOOPBACK = Pattern.compile("(http://(?:127\\.0\\.0\\.1|\\[::1\\]))(:[0-9]{1,5})?([/?].*)?");

    private RedirectUris() {
    }

    /** Why a URI cannot be registered, or empty when it can. */
    public static Optional<String> problem(String uri) {
        if (uri == null || uri.isEmpty() || uri.length() > MAX_LENGTH) {
            return Optional.of("a redirect URI has 1 to " + MAX_LENGTH + " characters");
        }
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("a redirect URI must be a valid absolute URI");
        }
        if (!parsed.isAbsolute() || parsed.isOpaque() && !isPrivateUse(parsed.getScheme())) {
            return Optional.of("a redirect URI must be a valid absolute URI");
        }
        if (parsed.getRawFragment() != null) {
            return Optional.of("a redirect URI must not have a fragment");
        }
        if (parsed.getRawUserInfo() != null) {
            return Optional.of("a redirect URI must not have user info");
        }
        String scheme = parsed.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return parsed.getHost() == null ? Optional.of("an https redirect URI names a host") : Optional.empty();
        }
        if (scheme.equals("http")) {
            return isLoopback(parsed.getHost()) ? Optional.empty()
                    : Optional.of("an http redirect URI must be a loopback one (127.0.0.1, [::1] or localhost); use https");
        }
        return isPrivateUse(scheme) ? Optional.empty()
                : Optional.of("a redirect URI is https, loopback http, or a private-use scheme such as com.example.app");
    }

    /**
     * Whether {@code requested} is {@code registered}: the same string exactly, or, for a
     * registered {@code http://127.0.0.1} or {@code http://[::1]} URI, the same but for the port.
     * No normalisation: a trailing slash, a query, a different case all differ. A missing
     * {@code requested} (no {@code redirect_uri} parameter) matches nothing.
     */
    public static boolean matches(String registered, String requested) {
        if (requested == null) {
            return false;
        }
        if (registered.equals(requested)) {
            return true;
        }
        return loopbackWithoutPort(registered).filter(r -> loopbackWithoutPort(requested).filter(r::equals).isPresent())
                .isPresent();
    }

    /**
     * The origin of an http or https URI as a browser serialises it in an {@code Origin} header
     * (RFC 6454 §6.1): {@code scheme://host[:port]}, scheme and host in lower case, no user info,
     * and no port when it is the scheme's default; or empty. So that a registered
     * {@code https://App.example:443/cb} allows the origin {@code https://app.example} its pages
     * send.
     */
    public static Optional<String> origin(String uri) {
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme() == null ? null : parsed.getScheme().toLowerCase(Locale.ROOT);
            if (parsed.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))) {
                return Optional.empty();
            }
            int port = parsed.getPort();
            boolean defaultPort = port == -1 || port == (scheme.equals("https") ? 443 : 80);
            return Optional.of(scheme + "://" + parsed.getHost().toLowerCase(Locale.ROOT)
                    + (defaultPort ? "" : ":" + port));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** {@code uri} with its port taken out, when it is an {@code http} IP loopback URI. */
    private static Optional<String> loopbackWithoutPort(String uri) {
        Matcher matcher = LOOPBACK.matcher(uri);
        return matcher.matches() ? Optional.of(matcher.group(1) + (matcher.group(3) == null ? "" : matcher.group(3)))
                : Optional.empty();
    }

    private static boolean isLoopback(String host) {
        return host != null && (host.equals("127.0.0.1") || host.equals("[::1]") || host.equals("localhost"));
    }

    /** RFC 8252 §7.1: a reverse domain name, so at least one dot (which neither http nor https has). */
    private static boolean isPrivateUse(String scheme) {
        return scheme != null && scheme.contains(".");
    }
}
