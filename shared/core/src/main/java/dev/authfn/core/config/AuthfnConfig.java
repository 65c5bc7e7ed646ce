package dev.authfn.core.config;

import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.user.LockoutPolicy;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The configuration every authfn function reads from its environment at init.
 *
 * <p>The variables, their forms and defaults are listed once, in the README's configuration
 * table (the {@code ENV_*} constants below name them); {@code ReadmeConfigurationTableTest} fails
 * when the table and these constants disagree.
 *
 * <p>An empty or blank value counts as unset, so a template can pass an empty parameter. Values
 * are stripped of surrounding whitespace, except AUTHFN_KEYS, which is kept as given.
 *
 * <p>Not every function needs every variable: {@link #fromEnvironment(Map, Set)} takes the
 * {@link Requirement}s of the caller, and the values it does not require are optional (still
 * validated when set). Variables with a default are always validated.
 */
public record AuthfnConfig(
        Optional<String> usersTable,
        Optional<String> sessionsTable,
        Optional<String> issuer,
        Optional<String> audience,
        Optional<KeySource> keys,
        Duration accessTokenTtl,
        Duration sessionIdleTimeout,
        Duration sessionAbsoluteTimeout,
        Duration clockSkew,
        Duration keysRefreshInterval,
        Set<String> allowedOrigins,
        RoutePolicy routePolicy,
        Optional<URI> dynamodbEndpoint,
        boolean statelessBearer,
        String sessionCookieName,
        String csrfCookieName,
        String clientId,
        LockoutPolicy lockoutPolicy,
        Optional<String> outboxTable,
        AccountSettings accounts) {

    public static final String ENV_USERS_TABLE = "AUTHFN_USERS_TABLE";
    public static final String ENV_SESSIONS_TABLE = "AUTHFN_SESSIONS_TABLE";
    public static final String ENV_ISSUER = "AUTHFN_ISSUER";
    public static final String ENV_AUDIENCE = "AUTHFN_AUDIENCE";
    public static final String ENV_KEYS_SECRET_ID = "AUTHFN_KEYS_SECRET_ID";
    public static final String ENV_KEYS = "AUTHFN_KEYS";
    public static final String ENV_ACCESS_TOKEN_TTL = "AUTHFN_ACCESS_TOKEN_TTL";
    public static final String ENV_SESSION_IDLE_TIMEOUT = "AUTHFN_SESSION_IDLE_TIMEOUT";
    public static final String ENV_SESSION_ABSOLUTE_TIMEOUT = "AUTHFN_SESSION_ABSOLUTE_TIMEOUT";
    public static final String ENV_CLOCK_SKEW = "AUTHFN_CLOCK_SKEW";
    public static final String ENV_KEYS_REFRESH_INTERVAL = "AUTHFN_KEYS_REFRESH_INTERVAL";
    public static final String ENV_ALLOWED_ORIGINS = "AUTHFN_ALLOWED_ORIGINS";
    public static final String ENV_ROUTE_POLICY = "AUTHFN_ROUTE_POLICY";
    public static final String ENV_DYNAMODB_ENDPOINT = "AUTHFN_DYNAMODB_ENDPOINT";
    public static final String ENV_STATELESS_BEARER = "AUTHFN_STATELESS_BEARER";
    public static final String ENV_SESSION_COOKIE_NAME = "AUTHFN_SESSION_COOKIE_NAME";
    public static final String ENV_CSRF_COOKIE_NAME = "AUTHFN_CSRF_COOKIE_NAME";
    public static final String ENV_CLIENT_ID = "AUTHFN_CLIENT_ID";
    public static final String ENV_LOCKOUT_FREE_ATTEMPTS = "AUTHFN_LOCKOUT_FREE_ATTEMPTS";
    public static final String ENV_LOCKOUT_MAX_LOCK = "AUTHFN_LOCKOUT_MAX_LOCK";
    public static final String ENV_OUTBOX_TABLE = "AUTHFN_OUTBOX_TABLE";
    public static final String ENV_SIGNUP = "AUTHFN_SIGNUP";
    public static final String ENV_VERIFICATION_TOKEN_TTL = "AUTHFN_VERIFICATION_TOKEN_TTL";
    public static final String ENV_RESET_TOKEN_TTL = "AUTHFN_RESET_TOKEN_TTL";
    public static final String ENV_MAILS_PER_ADDRESS_PER_HOUR = "AUTHFN_MAILS_PER_ADDRESS_PER_HOUR";
    public static final String ENV_SITE_NAME = "AUTHFN_SITE_NAME";
    public static final String ENV_MAIL_LINK_BASE = "AUTHFN_MAIL_LINK_BASE";

    /**
     * Values a function cannot run without; each makes its variable(s) mandatory. For example the
     * login needs all of them, the authorizer all but {@code USERS_TABLE}, the JWKS function only
     * {@code KEYS}, the OpenID configuration {@code ISSUER} and {@code KEYS}, and the admin CLI's
     * user commands only {@code USERS_TABLE}.
     */
    public enum Requirement {
        USERS_TABLE,
        SESSIONS_TABLE,
        ISSUER,
        AUDIENCE,
        /** AUTHFN_KEYS_SECRET_ID or AUTHFN_KEYS. */
        KEYS
    }

    /** Where the key set comes from. The key set itself is parsed elsewhere. */
    public sealed interface KeySource {

        /** Read from Secrets Manager at init and every {@code keysRefreshInterval}. */
        record SecretsManager(String secretId) implements KeySource {
            public SecretsManager {
                Objects.requireNonNull(secretId, "secretId");
            }
        }

        /** The key set JSON itself, for local use and tests; {@code toString} never shows it. */
        record Inline(String keySetJson) implements KeySource {
            public Inline {
                Objects.requireNonNull(keySetJson, "keySetJson");
            }

            @Override
            public String toString() {
                return "Inline[keySetJson=<redacted>]";
            }
        }
    }

    public AuthfnConfig {
        Objects.requireNonNull(usersTable, "usersTable");
        Objects.requireNonNull(sessionsTable, "sessionsTable");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(accessTokenTtl, "accessTokenTtl");
        Objects.requireNonNull(sessionIdleTimeout, "sessionIdleTimeout");
        Objects.requireNonNull(sessionAbsoluteTimeout, "sessionAbsoluteTimeout");
        Objects.requireNonNull(clockSkew, "clockSkew");
        Objects.requireNonNull(keysRefreshInterval, "keysRefreshInterval");
        allowedOrigins = Set.copyOf(allowedOrigins);
        Objects.requireNonNull(routePolicy, "routePolicy");
        Objects.requireNonNull(dynamodbEndpoint, "dynamodbEndpoint");
        Objects.requireNonNull(sessionCookieName, "sessionCookieName");
        Objects.requireNonNull(csrfCookieName, "csrfCookieName");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(lockoutPolicy, "lockoutPolicy");
        Objects.requireNonNull(outboxTable, "outboxTable");
        Objects.requireNonNull(accounts, "accounts");
    }

    /** Reads the configuration with every {@link Requirement}; production passes {@code System.getenv()}. */
    public static AuthfnConfig fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, EnumSet.allOf(Requirement.class));
    }

    /**
     * Checks that this configuration holds what {@code required} names: a function's constructor
     * that takes a root built elsewhere (the local API, tests) asks again what its no-argument
     * constructor asked {@link #fromEnvironment(Map, Set)} for.
     *
     * @throws ConfigException listing every missing value, in the words {@code fromEnvironment} uses
     */
    public AuthfnConfig require(Set<Requirement> required) {
        List<String> missing = new ArrayList<>();
        for (Requirement requirement : required) {
            boolean present = switch (requirement) {
                case USERS_TABLE -> usersTable.isPresent();
                case SESSIONS_TABLE -> sessionsTable.isPresent();
                case ISSUER -> issuer.isPresent();
                case AUDIENCE -> audience.isPresent();
                case KEYS -> keys.isPresent();
            };
            if (!present) {
                missing.add(switch (requirement) {
                    case USERS_TABLE -> ENV_USERS_TABLE + " is required";
                    case SESSIONS_TABLE -> ENV_SESSIONS_TABLE + " is required";
                    case ISSUER -> ENV_ISSUER + " is required";
                    case AUDIENCE -> ENV_AUDIENCE + " is required";
                    case KEYS -> ENV_KEYS_SECRET_ID + " or " + ENV_KEYS + " is required";
                });
            }
        }
        if (!missing.isEmpty()) {
            throw new ConfigException(missing);
        }
        return this;
    }

    /**
     * Reads the configuration, making the variables behind {@code required} mandatory.
     *
     * @throws ConfigException listing every problem found
     */
    public static AuthfnConfig fromEnvironment(Map<String, String> env, Set<Requirement> required) {
        Reader in = new Reader(env, required);
        Optional<String> usersTable = in.tableName(ENV_USERS_TABLE, Requirement.USERS_TABLE);
        Optional<String> sessionsTable = in.tableName(ENV_SESSIONS_TABLE, Requirement.SESSIONS_TABLE);
        Optional<String> issuer = in.issuer();
        Optional<String> audience = in.audience();
        Optional<KeySource> keys = in.keySource();
        Duration accessTokenTtl = in.duration(ENV_ACCESS_TOKEN_TTL, Duration.ofMinutes(5), false);
        Duration idle = in.duration(ENV_SESSION_IDLE_TIMEOUT, Duration.ofMinutes(30), false);
        Duration absolute = in.duration(ENV_SESSION_ABSOLUTE_TIMEOUT, Duration.ofHours(8), false);
        if (idle != null && absolute != null && idle.compareTo(absolute) > 0) {
            in.problem(ENV_SESSION_IDLE_TIMEOUT + " must not exceed " + ENV_SESSION_ABSOLUTE_TIMEOUT);
        }
        Duration clockSkew = in.duration(ENV_CLOCK_SKEW, Duration.ofSeconds(60), true);
        Duration keysRefresh = in.duration(ENV_KEYS_REFRESH_INTERVAL, Duration.ofMinutes(5), false);
        Set<String> allowedOrigins = in.origins();
        RoutePolicy routePolicy = in.routePolicy();
        Optional<URI> dynamodbEndpoint = in.endpoint();
        boolean statelessBearer = in.bool(ENV_STATELESS_BEARER);
        String sessionCookie = in.cookieName(ENV_SESSION_COOKIE_NAME, "__Host-session");
        String csrfCookie = in.cookieName(ENV_CSRF_COOKIE_NAME, "__Host-csrf");
        if (sessionCookie != null && sessionCookie.equals(csrfCookie)) {
            in.problem(ENV_SESSION_COOKIE_NAME + " and " + ENV_CSRF_COOKIE_NAME + " must differ");
        }
        String clientId = in.clientId();
        LockoutPolicy lockout = in.lockoutPolicy();
        Optional<String> outboxTable = in.optionalTableName(ENV_OUTBOX_TABLE);
        AccountSettings accounts = in.accountSettings();
        if (!in.problems.isEmpty()) {
            throw new ConfigException(in.problems);
        }
        return new AuthfnConfig(usersTable, sessionsTable, issuer, audience, keys, accessTokenTtl,
                idle, absolute, clockSkew, keysRefresh, allowedOrigins, routePolicy, dynamodbEndpoint,
                statelessBearer, sessionCookie, csrfCookie, clientId, lockout, outboxTable, accounts);
    }

    /**
     * Reads one variable at a time, collecting problems. A method returns null (or empty) for a
     * bad value after recording the problem; the caller throws once all are read. Problems name
     * the variable and the expected form, never the value.
     */
    private static final class Reader {
        private static final Pattern TABLE = Pattern.compile(
                "[A-Za-z0-9_.-]{3,255}|arn:[a-z-]+:dynamodb:[a-z0-9-]+:\\d{12}:table/[A-Za-z0-9_.-]{3,255}");
        private static final Pattern PRINTABLE = Pattern.compile("[!-~]{1,256}");
        private static final Pattern COOKIE_NAME = Pattern.compile("__Host-[!#$%&'*+.^_`|~0-9A-Za-z-]+");
        private static final Pattern FREE_ATTEMPTS = Pattern.compile("[1-9]\\d{0,5}");

        private final Map<String, String> env;
        private final Set<Requirement> required;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env, Set<Requirement> required) {
            this.env = Objects.requireNonNull(env, "env");
            this.required = Set.copyOf(required);
        }

        void problem(String problem) {
            problems.add(problem);
        }

        /** The stripped value, or empty when unset or blank. */
        Optional<String> text(String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
        }

        /** The value, or empty after recording a problem when it is unset but required. */
        Optional<String> text(String name, Requirement requirement) {
            Optional<String> value = text(name);
            if (value.isEmpty() && required.contains(requirement)) {
                problem(name + " is required");
            }
            return value;
        }

        Optional<String> tableName(String name, Requirement requirement) {
            return checked(text(name, requirement), name, TABLE.asMatchPredicate(),
                    "must be a DynamoDB table name (3 to 255 of letters, digits, _ . -) or table ARN");
        }

        Optional<String> optionalTableName(String name) {
            return checked(text(name), name, TABLE.asMatchPredicate(),
                    "must be a DynamoDB table name (3 to 255 of letters, digits, _ . -) or table ARN");
        }

        Optional<String> issuer() {
            return checked(text(ENV_ISSUER, Requirement.ISSUER), ENV_ISSUER,
                    value -> isWebUrl(value, false),
                    "must be an absolute https URL without query or fragment"
                            + " (http only for localhost or 127.0.0.1)");
        }

        Optional<String> audience() {
            return checked(text(ENV_AUDIENCE, Requirement.AUDIENCE), ENV_AUDIENCE,
                    PRINTABLE.asMatchPredicate(),
                    "must be 1 to 256 printable ASCII characters without spaces");
        }

        Optional<KeySource> keySource() {
            Optional<String> secretId = text(ENV_KEYS_SECRET_ID);
            String inline = env.get(ENV_KEYS);
            boolean hasInline = inline != null && !inline.isBlank();
            if (secretId.isPresent() && hasInline) {
                problem("set only one of " + ENV_KEYS_SECRET_ID + " and " + ENV_KEYS);
                return Optional.empty();
            }
            if (secretId.isPresent()) {
                return Optional.of(new KeySource.SecretsManager(secretId.get()));
            }
            if (hasInline) {
                return Optional.of(new KeySource.Inline(inline));
            }
            if (required.contains(Requirement.KEYS)) {
                problem(ENV_KEYS_SECRET_ID + " or " + ENV_KEYS + " is required");
            }
            return Optional.empty();
        }

        Duration duration(String name, Duration defaultValue, boolean zeroAllowed) {
            Optional<String> value = text(name);
            if (value.isEmpty()) {
                return defaultValue;
            }
            try {
                Duration duration = Duration.parse(value.get());
                if (!duration.isNegative() && (zeroAllowed || !duration.isZero())) {
                    return duration;
                }
            } catch (DateTimeParseException e) {
                // reported below
            }
            problem(name + " must be " + (zeroAllowed ? "a zero or positive" : "a positive")
                    + " ISO-8601 duration such as " + defaultValue);
            return null;
        }

        Set<String> origins() {
            Set<String> origins = new LinkedHashSet<>();
            String[] entries = text(ENV_ALLOWED_ORIGINS).orElse("").split(",");
            for (int i = 0; i < entries.length; i++) {
                String origin = entries[i].strip();
                if (origin.isEmpty()) {
                    continue;
                }
                if (isOrigin(origin)) {
                    origins.add(origin);
                } else {
                    problem(ENV_ALLOWED_ORIGINS + " entry " + (i + 1) + " must be an exact origin"
                            + " such as https://app.example.com (lower-case, no path, no default port;"
                            + " http only for localhost or 127.0.0.1)");
                }
            }
            return origins;
        }

        RoutePolicy routePolicy() {
            Optional<String> json = text(ENV_ROUTE_POLICY);
            if (json.isEmpty()) {
                return RoutePolicy.DEFAULT;
            }
            return switch (RoutePolicy.parse(json.get())) {
                case RoutePolicy.Parsed parsed -> parsed.policy();
                case RoutePolicy.Invalid invalid -> {
                    invalid.problems().forEach(p -> problem(ENV_ROUTE_POLICY + ": " + p));
                    yield RoutePolicy.DEFAULT;
                }
            };
        }

        Optional<URI> endpoint() {
            return checked(text(ENV_DYNAMODB_ENDPOINT), ENV_DYNAMODB_ENDPOINT,
                            value -> isWebUrl(value, true),
                            "must be an absolute http or https URL without query or fragment")
                    .map(URI::create);
        }

        boolean bool(String name) {
            Optional<String> value = text(name).map(v -> v.toLowerCase(Locale.ROOT));
            if (value.isEmpty() || value.get().equals("false")) {
                return false;
            }
            if (value.get().equals("true")) {
                return true;
            }
            problem(name + " must be true or false");
            return false;
        }

        String cookieName(String name, String defaultValue) {
            return orDefault(name, defaultValue, COOKIE_NAME.asMatchPredicate(),
                    "must be a cookie name (RFC 6265 token) starting with __Host-");
        }

        String clientId() {
            return orDefault(ENV_CLIENT_ID, "authfn", PRINTABLE.asMatchPredicate(),
                    "must be 1 to 256 printable ASCII characters without spaces");
        }

        LockoutPolicy lockoutPolicy() {
            String freeAttempts = orDefault(ENV_LOCKOUT_FREE_ATTEMPTS,
                    String.valueOf(LockoutPolicy.DEFAULT.freeAttempts()),
                    FREE_ATTEMPTS.asMatchPredicate(), "must be a whole number from 1 to 999999");
            Duration maxLock = duration(ENV_LOCKOUT_MAX_LOCK, LockoutPolicy.DEFAULT.maxLock(), false);
            if (freeAttempts == null || maxLock == null) {
                return null;
            }
            return new LockoutPolicy(Integer.parseInt(freeAttempts), maxLock);
        }

        AccountSettings accountSettings() {
            AccountSettings defaults = AccountSettings.DEFAULT;
            String mode = orDefault(ENV_SIGNUP, defaults.signup().wireName(),
                    value -> value.equals("closed") || value.equals("open") || value.equals("verified"),
                    "must be closed, open or verified");
            Duration verification = duration(ENV_VERIFICATION_TOKEN_TTL, defaults.verificationTokenTtl(), false);
            Duration reset = duration(ENV_RESET_TOKEN_TTL, defaults.resetTokenTtl(), false);
            String mails = orDefault(ENV_MAILS_PER_ADDRESS_PER_HOUR, String.valueOf(defaults.mailsPerAddressPerHour()),
                    Pattern.compile("[1-9]\\d{0,3}").asMatchPredicate(), "must be a whole number from 1 to 9999");
            String siteName = orDefault(ENV_SITE_NAME, defaults.siteName(),
                    value -> value.length() <= 64 && value.codePoints().noneMatch(Character::isISOControl),
                    "must be at most 64 characters without control characters");
            Optional<URI> linkBase = checked(text(ENV_MAIL_LINK_BASE), ENV_MAIL_LINK_BASE,
                    value -> isWebUrl(value, false),
                    "must be an absolute https URL without query or fragment (http only for localhost or 127.0.0.1)")
                    .map(URI::create);
            if (mode == null || verification == null || reset == null || mails == null || siteName == null) {
                return null;
            }
            return new AccountSettings(AccountSettings.SignupMode.valueOf(mode.toUpperCase(Locale.ROOT)),
                    verification, reset, Integer.parseInt(mails), siteName, linkBase);
        }

        /** The value, or {@code defaultValue} when unset, or null after recording a problem. */
        private String orDefault(String name, String defaultValue, Predicate<String> test, String rule) {
            Optional<String> value = text(name);
            if (value.isEmpty()) {
                return defaultValue;
            }
            return checked(value, name, test, rule).orElse(null);
        }

        /** The value when it passes {@code test}; otherwise empty, after recording the problem. */
        private Optional<String> checked(
                Optional<String> value, String name, Predicate<String> test, String rule) {
            if (value.isPresent() && !test.test(value.get())) {
                problem(name + " " + rule);
                return Optional.empty();
            }
            return value;
        }

        private static boolean isLocalHost(String host) {
            return "localhost".equals(host) || "127.0.0.1".equals(host);
        }

        /** An absolute https URL (or http anywhere when {@code anyHttp}, else only for a local host). */
        private static boolean isWebUrl(String value, boolean anyHttp) {
            try {
                URI uri = new URI(value);
                String scheme = uri.getScheme();
                boolean schemeOk = "https".equals(scheme)
                        || ("http".equals(scheme) && (anyHttp || isLocalHost(uri.getHost())));
                return schemeOk && uri.getHost() != null && uri.getRawUserInfo() == null
                        && uri.getRawQuery() == null && uri.getRawFragment() == null;
            } catch (URISyntaxException e) {
                return false;
            }
        }

        /** Exactly what a browser sends in {@code Origin}: scheme://host[:port], lower-case. */
        private static boolean isOrigin(String value) {
            if (!isWebUrl(value, false) || !value.equals(value.toLowerCase(Locale.ROOT))) {
                return false;
            }
            URI uri = URI.create(value);
            int defaultPort = "https".equals(uri.getScheme()) ? 443 : 80;
            return uri.getRawPath().isEmpty() && uri.getPort() != defaultPort;
        }
    }
}
