package dev.authfn.functions.passkeys;

import dev.authfn.core.config.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The WebAuthn relying party this function speaks for (docs/API.md §17.1): its RP ID, a domain,
 * and the exact origins whose pages may run its ceremonies. Read once at init from
 * {@code AUTHFN_WEBAUTHN_RP_ID} and {@code AUTHFN_WEBAUTHN_ORIGINS} (comma-separated); when
 * neither is set, both come from the issuer ({@code AUTHFN_ISSUER}: its host, its origin), the
 * API's own origin. Every problem is one {@link ConfigException}, so a wrong setting stops the
 * function at init rather than failing each ceremony; its messages name the setting and the
 * origin's place in the list, never a value (as every configuration message).
 *
 * @param name what authenticators show for the site (the site name)
 */
record RelyingParty(String id, Set<String> origins, String name) {

    static final String ENV_RP_ID = "AUTHFN_WEBAUTHN_RP_ID";
    static final String ENV_ORIGINS = "AUTHFN_WEBAUTHN_ORIGINS";
    static final String ENV_ISSUER = "AUTHFN_ISSUER";

    /** A lower-case DNS name: labels of letters, digits and inner hyphens. An IP address is no RP ID. */
    private static final Pattern DOMAIN = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern ALL_DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");

    RelyingParty {
        origins = Set.copyOf(origins);
    }

    static RelyingParty fromEnvironment(Map<String, String> environment, String siteName) {
        String rpId = blankToNull(environment.get(ENV_RP_ID));
        String origins = blankToNull(environment.get(ENV_ORIGINS));
        List<String> problems = new ArrayList<>();
        if (rpId == null && origins == null) {
            Optional<URI> issuer = origin(blankToNull(environment.get(ENV_ISSUER)));
            if (issuer.isEmpty()) {
                throw new ConfigException(List.of(ENV_RP_ID + " and " + ENV_ORIGINS
                        + " are required when " + ENV_ISSUER + " is not an http(s) URL to take them from"));
            }
            rpId = issuer.get().getHost();
            origins = issuer.get().toString();
        } else if (rpId == null || origins == null) {
            throw new ConfigException(List.of(ENV_RP_ID + " and " + ENV_ORIGINS + " go together: set both, or neither"));
        }
        if (!isDomain(rpId)) {
            problems.add(ENV_RP_ID + " must be a lower-case domain name (not an IP address, no scheme or port)");
        }
        Set<String> exact = new LinkedHashSet<>();
        String[] listed = origins.split(",");
        for (int i = 0; i < listed.length; i++) {
            String origin = listed[i].strip();
            String which = ENV_ORIGINS + " origin " + (i + 1) + " of " + listed.length;
            Optional<URI> parsed = origin(origin).filter(uri -> uri.toString().equals(origin));
            if (parsed.isEmpty()) {
                problems.add(which + " is no exact origin (scheme://host[:port], lower case, no path)");
            } else if (!"https".equals(parsed.get().getScheme()) && !isLoopback(parsed.get().getHost())) {
                problems.add(which + " is not https (only localhost may be plain http)");
            } else if (!withinRpId(parsed.get().getHost(), rpId)) {
                problems.add(which + " is not on the RP ID (" + ENV_RP_ID + ") or a subdomain of it");
            } else {
                exact.add(origin);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new RelyingParty(rpId, exact, siteName.isBlank() ? "authfn" : siteName);
    }

    static boolean isDomain(String rpId) {
        return DOMAIN.matcher(rpId).matches() && !ALL_DIGITS_AND_DOTS.matcher(rpId).matches();
    }

    /** WebAuthn: the RP ID is the origin's host or a registrable suffix of it. */
    private static boolean withinRpId(String host, String rpId) {
        return host.equals(rpId) || host.endsWith("." + rpId);
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.endsWith(".localhost");
    }

    /** The origin of an http(s) URL with a host: scheme://host[:port], lower case. */
    private static Optional<URI> origin(String url) {
        if (url == null) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!("https".equals(scheme) || "http".equals(scheme)) || uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(new URI(scheme, null, uri.getHost().toLowerCase(Locale.ROOT), uri.getPort(), null, null,
                    null));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
