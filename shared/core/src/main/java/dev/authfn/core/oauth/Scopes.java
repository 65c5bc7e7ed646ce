package dev.authfn.core.oauth;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * OAuth scopes (RFC 6749 §3.3): a space-separated list of tokens of printable ASCII other than
 * space, {@code "} and {@code \}. authfn knows the OpenID ones ({@link #OPENID_SCOPES}); every
 * other scope is one of the API's permissions, granted only when the client may ask for it and
 * the user holds it.
 */
public final class Scopes {

    public static final String OPENID = "openid";
    public static final String PROFILE = "profile";
    public static final String EMAIL = "email";
    public static final String OFFLINE_ACCESS = "offline_access";
    public static final Set<String> OPENID_SCOPES = Set.of(OPENID, PROFILE, EMAIL, OFFLINE_ACCESS);

    /** Longer scope parameters are refused unparsed. */
    public static final int MAX_LENGTH = 1024;

    private Scopes() {
    }

    /** The scopes of a {@code scope} parameter, in order, without repeats; empty when it is malformed. */
    public static Optional<Set<String>> parse(String parameter) {
        Set<String> scopes = new LinkedHashSet<>();
        if (parameter == null || parameter.isEmpty()) {
            return Optional.of(scopes);
        }
        if (parameter.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        for (String token : parameter.split(" ", -1)) {
            if (!isScopeToken(token)) {
                return Optional.empty();
            }
            scopes.add(token);
        }
        return Optional.of(scopes);
    }

    /** One scope token: 1 or more of %x21 / %x23-5B / %x5D-7E. */
    public static boolean isScopeToken(String token) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** The scopes joined with spaces, as a {@code scope} parameter or claim. */
    public static String join(Set<String> scopes) {
        return String.join(" ", scopes);
    }
}
