package dev.authfn.auth;

import dev.authfn.core.config.ConfigException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The OAuth provider's lifetimes (docs/API.md §18.5, §18.9), from {@code AUTHFN_OAUTH_*}
 * variables: how long a grant with {@code offline_access} lives without a refresh and at most,
 * and the grace during which the previous refresh token is good once more.
 */
public record OAuthSettings(Duration refreshIdle, Duration refreshAbsolute, Duration refreshGrace) {

    public static final String ENV_REFRESH_IDLE = "AUTHFN_OAUTH_REFRESH_IDLE";
    public static final String ENV_REFRESH_ABSOLUTE = "AUTHFN_OAUTH_REFRESH_ABSOLUTE";
    public static final String ENV_REFRESH_GRACE = "AUTHFN_OAUTH_REFRESH_GRACE";
    public static final Duration MAX_GRACE = Duration.ofMinutes(1);
    public static final OAuthSettings DEFAULT =
            new OAuthSettings(Duration.ofDays(14), Duration.ofDays(30), Duration.ofSeconds(10));

    public OAuthSettings {
        Objects.requireNonNull(refreshIdle, "refreshIdle");
        Objects.requireNonNull(refreshAbsolute, "refreshAbsolute");
        Objects.requireNonNull(refreshGrace, "refreshGrace");
        if (refreshIdle.isNegative() || refreshIdle.isZero() || refreshAbsolute.compareTo(refreshIdle) < 0) {
            throw new IllegalArgumentException("the refresh idle lifetime is positive and not longer than the absolute one");
        }
        if (refreshGrace.isNegative() || refreshGrace.compareTo(MAX_GRACE) > 0) {
            throw new IllegalArgumentException("the refresh grace is zero to one minute");
        }
    }

    /**
     * The settings from a function's environment, defaults for what is not set.
     *
     * @throws ConfigException listing every malformed value
     */
    public static OAuthSettings fromEnvironment(Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        Duration idle = duration(environment, ENV_REFRESH_IDLE, DEFAULT.refreshIdle(), problems);
        Duration absolute = duration(environment, ENV_REFRESH_ABSOLUTE, DEFAULT.refreshAbsolute(), problems);
        Duration grace = duration(environment, ENV_REFRESH_GRACE, DEFAULT.refreshGrace(), problems);
        if (problems.isEmpty()) {
            if (idle.isZero() || absolute.isZero()) {
                problems.add(ENV_REFRESH_IDLE + " and " + ENV_REFRESH_ABSOLUTE + " must be positive");
            } else if (absolute.compareTo(idle) < 0) {
                problems.add(ENV_REFRESH_ABSOLUTE + " must not be shorter than " + ENV_REFRESH_IDLE);
            }
            if (grace.compareTo(MAX_GRACE) > 0) {
                problems.add(ENV_REFRESH_GRACE + " must be at most " + MAX_GRACE);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new OAuthSettings(idle, absolute, grace);
    }

    private static Duration duration(Map<String, String> environment, String name, Duration fallback,
            List<String> problems) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            Duration parsed = Duration.parse(value.trim());
            if (!parsed.isNegative()) {
                return parsed;
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        problems.add(name + " must be a zero or positive ISO-8601 duration such as " + fallback);
        return fallback;
    }
}
