package dev.authfn.password.policy;

import dev.authfn.core.config.ConfigException;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.core.password.PasswordPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds the {@link PasswordPolicy} from the environment, at init. The variables (README,
 * "Configuration"):
 *
 * <ul>
 *   <li>{@value #ENV_MIN_LENGTH}: the minimum in code points, {@value #DEFAULT_MIN_LENGTH} by default,
 *       {@value #LEAST_MIN_LENGTH} to {@value #MOST_MIN_LENGTH};
 *   <li>{@value #ENV_BREACH_API}: the range API's base URL, {@value #DEFAULT_BREACH_API} by default, or
 *       {@code off};
 *   <li>{@value #ENV_BREACH_API_DOWN}: {@code offline-list} (default) or {@code refuse};
 *   <li>{@value #ENV_BREACH_API_TIMEOUT}: the deadline of one range request, ISO-8601, {@code PT2S} by
 *       default, at most {@code PT10S}.
 * </ul>
 *
 * A bad value fails with one {@link ConfigException} naming every problem, never the value.
 */
public final class PasswordPolicies {

    public static final String ENV_MIN_LENGTH = "AUTHFN_PASSWORD_MIN_LENGTH";
    public static final String ENV_BREACH_API = "AUTHFN_PASSWORD_BREACH_API";
    public static final String ENV_BREACH_API_DOWN = "AUTHFN_PASSWORD_BREACH_API_DOWN";
    public static final String ENV_BREACH_API_TIMEOUT = "AUTHFN_PASSWORD_BREACH_API_TIMEOUT";

    /** NIST SP 800-63B rev. 4's minimum when the password is the only factor. */
    public static final int DEFAULT_MIN_LENGTH = 12;
    /** NIST's floor for a password used with a second factor; nothing lower is accepted. */
    public static final int LEAST_MIN_LENGTH = 8;
    public static final int MOST_MIN_LENGTH = 64;
    public static final String DEFAULT_BREACH_API = "https://api.pwnedpasswords.com/range/";
    /** The value of {@value #ENV_BREACH_API} that turns the range API off. */
    public static final String OFF = "off";
    public static final Duration DEFAULT_BREACH_API_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration MOST_BREACH_API_TIMEOUT = Duration.ofSeconds(10);

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private PasswordPolicies() {
    }

    /**
     * The policy {@code env} configures.
     *
     * @param warnings where a range API that did not answer is reported, one JSON line each time
     *     (a function's log; the CLI's stderr)
     * @throws ConfigException naming every variable that holds a bad value
     */
    public static NistPasswordPolicy fromEnvironment(Map<String, String> env, Consumer<String> warnings) {
        List<String> problems = new ArrayList<>();
        int minLength = minLength(text(env, ENV_MIN_LENGTH), problems);
        Optional<URI> api = breachApi(text(env, ENV_BREACH_API), problems);
        Optional<String> downText = text(env, ENV_BREACH_API_DOWN);
        BreachApiDown down = downText.map(value -> BreachApiDown.fromConfigName(value).orElseGet(() -> {
            problems.add(ENV_BREACH_API_DOWN + " must be " + BreachApiDown.OFFLINE_LIST.configName() + " or "
                    + BreachApiDown.REFUSE.configName());
            return BreachApiDown.OFFLINE_LIST;
        })).orElse(BreachApiDown.OFFLINE_LIST);
        if (down == BreachApiDown.REFUSE && api.isEmpty() && problems.isEmpty()) {
            problems.add(ENV_BREACH_API_DOWN + "=" + BreachApiDown.REFUSE.configName() + " needs the range API, but "
                    + ENV_BREACH_API + " is " + OFF);
        }
        Duration timeout = timeout(text(env, ENV_BREACH_API_TIMEOUT), problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new NistPasswordPolicy(minLength, () -> CommonPasswords.zxcvbn(minLength),
                api.map(uri -> new PwnedPasswordsRange(uri, timeout)), down, warnings);
    }

    /**
     * A policy with the offline list only and no range API: for local use and for tests of the
     * flows that set passwords.
     */
    public static NistPasswordPolicy offline(int minLength) {
        if (minLength < LEAST_MIN_LENGTH || minLength > MOST_MIN_LENGTH) {
            throw new IllegalArgumentException("minLength must be " + LEAST_MIN_LENGTH + ".." + MOST_MIN_LENGTH);
        }
        return new NistPasswordPolicy(minLength, () -> CommonPasswords.zxcvbn(minLength), Optional.empty(),
                BreachApiDown.OFFLINE_LIST, line -> { });
    }

    private static int minLength(Optional<String> value, List<String> problems) {
        if (value.isEmpty()) {
            return DEFAULT_MIN_LENGTH;
        }
        try {
            int parsed = Integer.parseInt(value.get());
            if (parsed >= LEAST_MIN_LENGTH && parsed <= MOST_MIN_LENGTH) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        problems.add(ENV_MIN_LENGTH + " must be a whole number of code points from " + LEAST_MIN_LENGTH + " to "
                + MOST_MIN_LENGTH + " (at most " + PasswordHasher.MAX_LENGTH + " are allowed, NIST asks for "
                + DEFAULT_MIN_LENGTH + " when the password is the only factor)");
        return DEFAULT_MIN_LENGTH;
    }

    private static Optional<URI> breachApi(Optional<String> value, List<String> problems) {
        if (value.isEmpty()) {
            return Optional.of(URI.create(DEFAULT_BREACH_API));
        }
        if (value.get().equals(OFF)) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(value.get());
            String scheme = uri.getScheme();
            boolean secure = "https".equals(scheme) || "http".equals(scheme) && LOOPBACK.contains(uri.getHost());
            if (secure && uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawPath() != null && uri.getRawPath().endsWith("/")) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException notAUri) {
            // reported below
        }
        problems.add(ENV_BREACH_API + " must be " + OFF + " or the range API's base URL: https (http only for localhost"
                + " or 127.0.0.1), ending in /, no query, such as " + DEFAULT_BREACH_API);
        return Optional.empty();
    }

    private static Duration timeout(Optional<String> value, List<String> problems) {
        if (value.isEmpty()) {
            return DEFAULT_BREACH_API_TIMEOUT;
        }
        try {
            Duration parsed = Duration.parse(value.get());
            if (!parsed.isNegative() && !parsed.isZero() && parsed.compareTo(MOST_BREACH_API_TIMEOUT) <= 0) {
                return parsed;
            }
        } catch (DateTimeParseException notADuration) {
            // reported below
        }
        problems.add(ENV_BREACH_API_TIMEOUT + " must be a positive ISO-8601 duration of at most "
                + MOST_BREACH_API_TIMEOUT + ", such as " + DEFAULT_BREACH_API_TIMEOUT);
        return DEFAULT_BREACH_API_TIMEOUT;
    }

    private static Optional<String> text(Map<String, String> env, String name) {
        String value = env.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }
}
