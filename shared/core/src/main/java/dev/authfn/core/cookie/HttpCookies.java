package dev.authfn.core.cookie;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The one place that writes {@code Set-Cookie} and reads cookies from requests.
 *
 * <p>Written cookies always carry {@code Path=/}, {@code Secure}, an explicit {@code SameSite}
 * and a {@code Max-Age}, and never a {@code Domain} — what the {@code __Host-} prefix demands.
 * The session cookie is {@code HttpOnly} with {@code SameSite=Lax}; the CSRF cookie must be
 * readable by the page's script, so it is not {@code HttpOnly}, and it is {@code SameSite=Strict}
 * because nothing cross-site ever needs it. Names must be RFC 6265 tokens and values
 * cookie-octets; anything else is refused when this class is built or called.
 */
public final class HttpCookies {

    /** Longest value written or read; browsers keep about 4 KB per cookie. */
    public static final int MAX_VALUE_LENGTH = 4096;

    /** The SameSite attribute. */
    public enum SameSite {
        STRICT, LAX, NONE;

        String attribute() {
            return name().charAt(0) + name().substring(1).toLowerCase(Locale.ROOT);
        }
    }

    /** What a request carried under one cookie name. */
    public sealed interface Lookup permits Absent, Present, Duplicate {
    }

    public record Absent() implements Lookup {
    }

    /** Exactly one cookie of that name. {@code toString} does not show the value. */
    public record Present(String value) implements Lookup {
        @Override
        public String toString() {
            return "Present[value=<redacted>]";
        }
    }

    /** The name appeared more than once (a planted or shadowing cookie): always refused. */
    public record Duplicate() implements Lookup {
    }

    private final String sessionName;
    private final String csrfName;

    public HttpCookies(String sessionName, String csrfName) {
        this.sessionName = requireToken(sessionName);
        this.csrfName = requireToken(csrfName);
        if (sessionName.equals(csrfName)) {
            throw new IllegalArgumentException("the session and CSRF cookies need different names");
        }
    }

    public String sessionName() {
        return sessionName;
    }

    public String csrfName() {
        return csrfName;
    }

    /** {@code Set-Cookie} value for the session cookie, kept for {@code maxAge}. */
    public String session(String value, Duration maxAge) {
        return write(sessionName, value, maxAge, true, SameSite.LAX);
    }

    /** {@code Set-Cookie} value for the CSRF cookie, readable by the page's script. */
    public String csrf(String value, Duration maxAge) {
        return write(csrfName, value, maxAge, false, SameSite.STRICT);
    }

    /** {@code Set-Cookie} that deletes the session cookie. */
    public String clearSession() {
        return write(sessionName, "", Duration.ZERO, true, SameSite.LAX);
    }

    /** {@code Set-Cookie} that deletes the CSRF cookie. */
    public String clearCsrf() {
        return write(csrfName, "", Duration.ZERO, false, SameSite.STRICT);
    }

    /** The session cookie among the request's cookies (see {@link #find}). */
    public Lookup findSession(List<String> cookies) {
        return find(sessionName, cookies);
    }

    /** The CSRF cookie among the request's cookies (see {@link #find}). */
    public Lookup findCsrf(List<String> cookies) {
        return find(csrfName, cookies);
    }

    /**
     * Finds a cookie by exact name. Each element may be one {@code name=value} pair (HTTP API
     * v2's {@code cookies} array) or a whole {@code Cookie} header of pairs joined by {@code ;}
     * (REST API v1). A name present twice, even with equal values, is a {@link Duplicate}.
     */
    public static Lookup find(String name, List<String> cookies) {
        if (cookies == null) {
            return new Absent();
        }
        String found = null;
        for (String header : cookies) {
            if (header == null) {
                continue;
            }
            int start = 0;
            while (start <= header.length()) {
                int end = header.indexOf(';', start);
                if (end < 0) {
                    end = header.length();
                }
                String value = valueIfNamed(header, start, end, name);
                if (value != null) {
                    if (found != null) {
                        return new Duplicate();
                    }
                    found = value;
                }
                start = end + 1;
            }
        }
        return found == null ? new Absent() : new Present(found);
    }

    private static String valueIfNamed(String header, int start, int end, String name) {
        while (start < end && header.charAt(start) == ' ') {
            start++;
        }
        int eq = header.indexOf('=', start);
        if (eq < 0 || eq >= end || eq - start != name.length() || !header.startsWith(name, start)) {
            return null;
        }
        int valueEnd = end;
        while (valueEnd > eq + 1 && header.charAt(valueEnd - 1) == ' ') {
            valueEnd--;
        }
        String value = header.substring(eq + 1, valueEnd);
        if (value.length() >= 2 && value.charAt(0) == '"' && value.charAt(value.length() - 1) == '"') {
            value = value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static String write(String name, String value, Duration maxAge, boolean httpOnly, SameSite sameSite) {
        Objects.requireNonNull(value, "value");
        if (value.length() > MAX_VALUE_LENGTH || !isCookieValue(value)) {
            throw new IllegalArgumentException("cookie " + name + ": value has characters a cookie cannot carry");
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("cookie " + name + ": Max-Age must not be negative");
        }
        StringBuilder header = new StringBuilder(name.length() + value.length() + 80)
                .append(name).append('=').append(value)
                .append("; Max-Age=").append(maxAge.toSeconds())
                .append("; Path=/; Secure");
        if (httpOnly) {
            header.append("; HttpOnly");
        }
        return header.append("; SameSite=").append(sameSite.attribute()).toString();
    }

    /** RFC 6265 cookie-octets: visible ASCII except {@code " , ; \}. */
    static boolean isCookieValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** RFC 7230 token characters. */
    static String requireToken(String name) {
        if (name == null || name.isEmpty() || name.length() > 128) {
            throw new IllegalArgumentException("a cookie name must be 1-128 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                throw new IllegalArgumentException("cookie name " + name + " is not an RFC 6265 token");
            }
        }
        return name;
    }
}
