package dev.authfn.core.config;

import static dev.authfn.core.config.AuthfnConfig.ENV_ACCESS_TOKEN_TTL;
import static dev.authfn.core.config.AuthfnConfig.ENV_ALLOWED_ORIGINS;
import static dev.authfn.core.config.AuthfnConfig.ENV_AUDIENCE;
import static dev.authfn.core.config.AuthfnConfig.ENV_CLIENT_ID;
import static dev.authfn.core.config.AuthfnConfig.ENV_CLOCK_SKEW;
import static dev.authfn.core.config.AuthfnConfig.ENV_CSRF_COOKIE_NAME;
import static dev.authfn.core.config.AuthfnConfig.ENV_DYNAMODB_ENDPOINT;
import static dev.authfn.core.config.AuthfnConfig.ENV_ISSUER;
import static dev.authfn.core.config.AuthfnConfig.ENV_KEYS;
import static dev.authfn.core.config.AuthfnConfig.ENV_KEYS_REFRESH_INTERVAL;
import static dev.authfn.core.config.AuthfnConfig.ENV_KEYS_SECRET_ID;
import static dev.authfn.core.config.AuthfnConfig.ENV_LOCKOUT_FREE_ATTEMPTS;
import static dev.authfn.core.config.AuthfnConfig.ENV_LOCKOUT_MAX_LOCK;
import static dev.authfn.core.config.AuthfnConfig.ENV_MAILS_PER_ADDRESS_PER_HOUR;
import static dev.authfn.core.config.AuthfnConfig.ENV_MAIL_LINK_BASE;
import static dev.authfn.core.config.AuthfnConfig.ENV_OUTBOX_TABLE;
import static dev.authfn.core.config.AuthfnConfig.ENV_RESET_TOKEN_TTL;
import static dev.authfn.core.config.AuthfnConfig.ENV_ROUTE_POLICY;
import static dev.authfn.core.config.AuthfnConfig.ENV_SESSIONS_TABLE;
import static dev.authfn.core.config.AuthfnConfig.ENV_SESSION_ABSOLUTE_TIMEOUT;
import static dev.authfn.core.config.AuthfnConfig.ENV_SESSION_COOKIE_NAME;
import static dev.authfn.core.config.AuthfnConfig.ENV_SESSION_IDLE_TIMEOUT;
import static dev.authfn.core.config.AuthfnConfig.ENV_SIGNUP;
import static dev.authfn.core.config.AuthfnConfig.ENV_SITE_NAME;
import static dev.authfn.core.config.AuthfnConfig.ENV_STATELESS_BEARER;
import static dev.authfn.core.config.AuthfnConfig.ENV_USERS_TABLE;
import static dev.authfn.core.config.AuthfnConfig.ENV_VERIFICATION_TOKEN_TTL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.authfn.core.authz.RoutePolicy;
import dev.authfn.core.config.AuthfnConfig.KeySource;
import dev.authfn.core.config.AuthfnConfig.Requirement;
import dev.authfn.core.user.LockoutPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthfnConfigTest {

    private static final String INLINE_KEYS = "{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0LWtleS1tYXRlcmlhbA\"}]}";

    /** Every required variable, nothing else. */
    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put(ENV_USERS_TABLE, "authfn-users");
        env.put(ENV_SESSIONS_TABLE, "authfn-sessions");
        env.put(ENV_ISSUER, "https://auth.example.com");
        env.put(ENV_AUDIENCE, "https://api.example.com");
        env.put(ENV_KEYS_SECRET_ID, "authfn/keys");
        return env;
    }

    private static ConfigException failure(Map<String, String> env) {
        return catchThrowableOfType(ConfigException.class, () -> AuthfnConfig.fromEnvironment(env));
    }

    @Test
    void appliesDefaultsToEverythingOptional() {
        // when
        AuthfnConfig config = AuthfnConfig.fromEnvironment(minimal());

        // then
        assertThat(config.usersTable()).contains("authfn-users");
        assertThat(config.sessionsTable()).contains("authfn-sessions");
        assertThat(config.issuer()).contains("https://auth.example.com");
        assertThat(config.audience()).contains("https://api.example.com");
        assertThat(config.keys()).contains(new KeySource.SecretsManager("authfn/keys"));
        assertThat(config.accessTokenTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.sessionAbsoluteTimeout()).isEqualTo(Duration.ofHours(8));
        assertThat(config.clockSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.keysRefreshInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.allowedOrigins()).isEmpty();
        assertThat(config.routePolicy()).isEqualTo(RoutePolicy.DEFAULT);
        assertThat(config.dynamodbEndpoint()).isEmpty();
        assertThat(config.statelessBearer()).isFalse();
        assertThat(config.sessionCookieName()).isEqualTo("__Host-session");
        assertThat(config.csrfCookieName()).isEqualTo("__Host-csrf");
        assertThat(config.clientId()).isEqualTo("authfn");
        assertThat(config.lockoutPolicy()).isEqualTo(LockoutPolicy.DEFAULT);
    }

    @Test
    void readsEveryVariable() {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_USERS_TABLE, "arn:aws:dynamodb:eu-west-1:123456789012:table/users");
        env.put(ENV_ISSUER, "http://127.0.0.1:3000");
        env.put(ENV_ACCESS_TOKEN_TTL, "PT10M");
        env.put(ENV_SESSION_IDLE_TIMEOUT, " PT15M ");
        env.put(ENV_SESSION_ABSOLUTE_TIMEOUT, "PT1H");
        env.put(ENV_CLOCK_SKEW, "PT0S");
        env.put(ENV_KEYS_REFRESH_INTERVAL, "PT1M");
        env.put(ENV_ALLOWED_ORIGINS, "https://app.example.com, http://localhost:5173,");
        env.put(ENV_ROUTE_POLICY, "{\"GET /reports\":{\"roles\":[\"auditor\"]}}");
        env.put(ENV_DYNAMODB_ENDPOINT, "http://127.0.0.1:8000");
        env.put(ENV_STATELESS_BEARER, "TRUE");
        env.put(ENV_SESSION_COOKIE_NAME, "__Host-sid");
        env.put(ENV_CSRF_COOKIE_NAME, "__Host-xsrf");
        env.put(ENV_CLIENT_ID, "my-app");
        env.put(ENV_LOCKOUT_FREE_ATTEMPTS, "3");
        env.put(ENV_LOCKOUT_MAX_LOCK, "PT5M");

        // when
        AuthfnConfig config = AuthfnConfig.fromEnvironment(env);

        // then
        assertThat(config.usersTable()).contains("arn:aws:dynamodb:eu-west-1:123456789012:table/users");
        assertThat(config.issuer()).contains("http://127.0.0.1:3000");
        assertThat(config.accessTokenTtl()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.sessionAbsoluteTimeout()).isEqualTo(Duration.ofHours(1));
        assertThat(config.clockSkew()).isZero();
        assertThat(config.keysRefreshInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.allowedOrigins()).containsExactlyInAnyOrder("https://app.example.com", "http://localhost:5173");
        assertThat(config.routePolicy().rules()).containsOnlyKeys("GET /reports");
        assertThat(config.dynamodbEndpoint()).contains(URI.create("http://127.0.0.1:8000"));
        assertThat(config.statelessBearer()).isTrue();
        assertThat(config.sessionCookieName()).isEqualTo("__Host-sid");
        assertThat(config.csrfCookieName()).isEqualTo("__Host-xsrf");
        assertThat(config.clientId()).isEqualTo("my-app");
        assertThat(config.lockoutPolicy()).isEqualTo(new LockoutPolicy(3, Duration.ofMinutes(5)));
    }

    @Test
    void oneErrorListsEveryProblemByVariableName() {
        // given
        Map<String, String> env = new HashMap<>();
        env.put(ENV_ISSUER, "http://auth.example.com");
        env.put(ENV_ACCESS_TOKEN_TTL, "5m");
        env.put(ENV_SESSION_IDLE_TIMEOUT, "PT9H");
        env.put(ENV_CLOCK_SKEW, "-PT1S");
        env.put(ENV_ALLOWED_ORIGINS, "https://ok.example.com,*");
        env.put(ENV_ROUTE_POLICY, "{\"GET /admin\":{\"roles\":[]}}");
        env.put(ENV_STATELESS_BEARER, "yes");
        env.put(ENV_SESSION_COOKIE_NAME, "session");
        env.put(ENV_LOCKOUT_FREE_ATTEMPTS, "0");

        // when
        ConfigException e = failure(env);

        // then
        assertThat(e.problems()).containsExactly(
                "AUTHFN_USERS_TABLE is required",
                "AUTHFN_SESSIONS_TABLE is required",
                "AUTHFN_ISSUER must be an absolute https URL without query or fragment"
                        + " (http only for localhost or 127.0.0.1)",
                "AUTHFN_AUDIENCE is required",
                "AUTHFN_KEYS_SECRET_ID or AUTHFN_KEYS is required",
                "AUTHFN_ACCESS_TOKEN_TTL must be a positive ISO-8601 duration such as PT5M",
                "AUTHFN_SESSION_IDLE_TIMEOUT must not exceed AUTHFN_SESSION_ABSOLUTE_TIMEOUT",
                "AUTHFN_CLOCK_SKEW must be a zero or positive ISO-8601 duration such as PT1M",
                "AUTHFN_ALLOWED_ORIGINS entry 2 must be an exact origin such as https://app.example.com"
                        + " (lower-case, no path, no default port; http only for localhost or 127.0.0.1)",
                "AUTHFN_ROUTE_POLICY: route \"GET /admin\": roles must be a non-empty array of names",
                "AUTHFN_STATELESS_BEARER must be true or false",
                "AUTHFN_SESSION_COOKIE_NAME must be a cookie name (RFC 6265 token) starting with __Host-",
                "AUTHFN_LOCKOUT_FREE_ATTEMPTS must be a whole number from 1 to 999999");
        assertThat(e.getMessage()).startsWith("invalid authfn configuration (13 problems): ");
    }

    @Test
    void neverEchoesAValue() {
        // given: every value is bad, and AUTHFN_KEYS clashes with the secret id
        Map<String, String> env = Map.of(
                ENV_USERS_TABLE, "x!",
                ENV_ISSUER, "ftp://issuer-value",
                ENV_AUDIENCE, "audience value",
                ENV_KEYS_SECRET_ID, "secret-id-value",
                ENV_KEYS, INLINE_KEYS,
                ENV_ACCESS_TOKEN_TTL, "ttl-value",
                ENV_DYNAMODB_ENDPOINT, "endpoint-value",
                ENV_CLIENT_ID, "client value");

        // when
        ConfigException e = failure(env);

        // then
        assertThat(e.problems()).hasSize(8).contains("set only one of AUTHFN_KEYS_SECRET_ID and AUTHFN_KEYS");
        assertThat(e.getMessage()).doesNotContain("c2VjcmV0", "x!", "issuer-value", "audience value",
                "secret-id-value", "ttl-value", "endpoint-value", "client value");
    }

    @Test
    void inlineKeysAreKeptRawAndNeverPrinted() {
        // given
        Map<String, String> env = minimal();
        env.remove(ENV_KEYS_SECRET_ID);
        env.put(ENV_KEYS, " " + INLINE_KEYS + "\n");

        // when
        AuthfnConfig config = AuthfnConfig.fromEnvironment(env);

        // then
        assertThat(config.keys()).contains(new KeySource.Inline(" " + INLINE_KEYS + "\n"));
        assertThat(config.keys().orElseThrow()).hasToString("Inline[keySetJson=<redacted>]");
        assertThat(config.toString()).doesNotContain("c2VjcmV0");
    }

    @Test
    void secretIdAndInlineKeysAreExclusive() {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_KEYS, INLINE_KEYS);

        // when
        ConfigException e = failure(env);

        // then
        assertThat(e.problems()).containsExactly("set only one of AUTHFN_KEYS_SECRET_ID and AUTHFN_KEYS");
    }

    @Test
    void aBlankValueCountsAsUnset() {
        // given: a template passes an empty parameter for the unused key source
        Map<String, String> env = minimal();
        env.put(ENV_KEYS_SECRET_ID, "");
        env.put(ENV_KEYS, INLINE_KEYS);
        env.put(ENV_ACCESS_TOKEN_TTL, "  ");

        // when
        AuthfnConfig config = AuthfnConfig.fromEnvironment(env);

        // then
        assertThat(config.keys()).contains(new KeySource.Inline(INLINE_KEYS));
        assertThat(config.accessTokenTtl()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aFunctionNeedsOnlyWhatItRequires() {
        // given: the JWKS function knows no tables, issuer or audience
        Map<String, String> env = Map.of(ENV_KEYS_SECRET_ID, "authfn/keys");

        // when
        AuthfnConfig config = AuthfnConfig.fromEnvironment(env, EnumSet.of(Requirement.KEYS));

        // then
        assertThat(config.keys()).contains(new KeySource.SecretsManager("authfn/keys"));
        assertThat(config.usersTable()).isEmpty();
        assertThat(config.sessionsTable()).isEmpty();
        assertThat(config.issuer()).isEmpty();
        assertThat(config.audience()).isEmpty();
    }

    @Test
    void anUnrequiredVariableIsStillValidatedWhenSet() {
        // given
        Map<String, String> env = Map.of(ENV_ISSUER, "auth.example.com");

        // when
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> AuthfnConfig.fromEnvironment(env, Set.of()));

        // then
        assertThat(e.problems()).singleElement().asString().startsWith("AUTHFN_ISSUER must be");
    }

    @Test
    void idleTimeoutMayEqualTheAbsoluteTimeout() {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_SESSION_IDLE_TIMEOUT, "PT8H");

        // when / then
        assertThat(AuthfnConfig.fromEnvironment(env).sessionIdleTimeout()).isEqualTo(Duration.ofHours(8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PT0S", "-PT5M", "5m", "300", "P1X"})
    void refusesDurationsThatAreNotPositiveIso8601(String value) {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_SESSION_ABSOLUTE_TIMEOUT, value);

        // when / then
        assertThat(failure(env).problems()).containsExactly(
                "AUTHFN_SESSION_ABSOLUTE_TIMEOUT must be a positive ISO-8601 duration such as PT8H");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://auth.example.com", "https://auth.example.com/", "https://auth.example.com:8443/tenant-1",
        "http://localhost:3000", "http://127.0.0.1"
    })
    void acceptsHttpsIssuersAndLocalHttp(String issuer) {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_ISSUER, issuer);

        // when / then: kept exactly, trailing slash and all
        assertThat(AuthfnConfig.fromEnvironment(env).issuer()).contains(issuer);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://auth.example.com", "auth.example.com", "/issuer", "https://auth.example.com?tenant=1",
        "https://auth.example.com#x", "https://user@auth.example.com", "ftp://auth.example.com", "https://",
        "https://auth example.com"
    })
    void refusesOtherIssuers(String issuer) {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_ISSUER, issuer);

        // when / then
        assertThat(failure(env).problems()).singleElement().asString().startsWith("AUTHFN_ISSUER must be");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "https://app.example.com/", "https://App.example.com", "https://app.example.com:443",
        "http://app.example.com", "http://localhost:80", "*", "null", "app.example.com",
        "https://app.example.com/path"
    })
    void refusesAnythingButAnExactOrigin(String origin) {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_ALLOWED_ORIGINS, "https://good.example.com," + origin);

        // when / then
        assertThat(failure(env).problems()).singleElement().asString()
                .startsWith("AUTHFN_ALLOWED_ORIGINS entry 2 must be an exact origin");
    }

    @Test
    void cookieNamesMustDiffer() {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_CSRF_COOKIE_NAME, "__Host-session");

        // when / then
        assertThat(failure(env).problems()).containsExactly(
                "AUTHFN_SESSION_COOKIE_NAME and AUTHFN_CSRF_COOKIE_NAME must differ");
    }

    @Test
    void refusesAMalformedDynamoDbEndpoint() {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_DYNAMODB_ENDPOINT, "localhost:8000");

        // when / then
        assertThat(failure(env).problems()).containsExactly(
                "AUTHFN_DYNAMODB_ENDPOINT must be an absolute http or https URL without query or fragment");
    }

    @Test
    void keySourceRecordsNeverHoldNull() {
        assertThat(catchThrowableOfType(NullPointerException.class, () -> new KeySource.Inline(null)))
                .hasMessage("keySetJson");
        assertThat(catchThrowableOfType(NullPointerException.class, () -> new KeySource.SecretsManager(null)))
                .hasMessage("secretId");
    }

    // --- accounts (issue 14) ---

    @Test
    void accountSettingsDefaultToClosedSignUpAndNoOutbox() {
        // when
        AuthfnConfig config = AuthfnConfig.fromEnvironment(minimal());

        // then
        assertThat(config.outboxTable()).isEmpty();
        assertThat(config.accounts()).isEqualTo(AccountSettings.DEFAULT);
        assertThat(config.accounts()).isEqualTo(new AccountSettings(AccountSettings.SignupMode.CLOSED,
                Duration.ofHours(24), Duration.ofMinutes(30), 5, "authfn", Optional.empty()));
    }

    @Test
    void readsEveryAccountVariable() {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_OUTBOX_TABLE, " authfn-outbox ");
        env.put(ENV_SIGNUP, "verified");
        env.put(ENV_VERIFICATION_TOKEN_TTL, "PT2H");
        env.put(ENV_RESET_TOKEN_TTL, "PT10M");
        env.put(ENV_MAILS_PER_ADDRESS_PER_HOUR, "9999");
        env.put(ENV_SITE_NAME, "Example Café");
        env.put(ENV_MAIL_LINK_BASE, "https://app.example.com/account");

        // when
        AuthfnConfig config = AuthfnConfig.fromEnvironment(env);

        // then
        assertThat(config.outboxTable()).contains("authfn-outbox");
        assertThat(config.accounts()).isEqualTo(new AccountSettings(AccountSettings.SignupMode.VERIFIED,
                Duration.ofHours(2), Duration.ofMinutes(10), 9999, "Example Café",
                Optional.of(URI.create("https://app.example.com/account"))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"closed", "open", "verified"})
    void takesEverySignUpMode(String mode) {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_SIGNUP, mode);

        // when / then
        assertThat(AuthfnConfig.fromEnvironment(env).accounts().signup().wireName()).isEqualTo(mode);
    }

    @Test
    void aLocalHttpLinkBaseAndOneMailAnHourAreAllowed() {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_MAIL_LINK_BASE, "http://localhost:3000/demo");
        env.put(ENV_MAILS_PER_ADDRESS_PER_HOUR, "1");
        env.put(ENV_SITE_NAME, "x".repeat(64));

        // when
        AccountSettings accounts = AuthfnConfig.fromEnvironment(env).accounts();

        // then
        assertThat(accounts.linkBase()).contains(URI.create("http://localhost:3000/demo"));
        assertThat(accounts.mailsPerAddressPerHour()).isOne();
        assertThat(accounts.siteName()).hasSize(64);
    }

    @Test
    void listsEveryBadAccountVariableByNameAndNeverItsValue() {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_OUTBOX_TABLE, "ou!tbox-value");
        env.put(ENV_SIGNUP, "OPEN-value");
        env.put(ENV_VERIFICATION_TOKEN_TTL, "PT0S");
        env.put(ENV_RESET_TOKEN_TTL, "30m-value");
        env.put(ENV_MAILS_PER_ADDRESS_PER_HOUR, "10000");
        env.put(ENV_SITE_NAME, "site\nvalue");
        env.put(ENV_MAIL_LINK_BASE, "http://links.example.com/value");

        // when
        ConfigException e = failure(env);

        // then
        assertThat(e.problems()).containsExactly(
                "AUTHFN_OUTBOX_TABLE must be a DynamoDB table name (3 to 255 of letters, digits, _ . -) or table ARN",
                "AUTHFN_SIGNUP must be closed, open or verified",
                "AUTHFN_VERIFICATION_TOKEN_TTL must be a positive ISO-8601 duration such as PT24H",
                "AUTHFN_RESET_TOKEN_TTL must be a positive ISO-8601 duration such as PT30M",
                "AUTHFN_MAILS_PER_ADDRESS_PER_HOUR must be a whole number from 1 to 9999",
                "AUTHFN_SITE_NAME must be at most 64 characters without control characters",
                "AUTHFN_MAIL_LINK_BASE must be an absolute https URL without query or fragment"
                        + " (http only for localhost or 127.0.0.1)");
        assertThat(e.getMessage()).doesNotContain("value", "ou!tbox", "OPEN", "30m", "10000", "links.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "01", "1.5", "five", "99999"})
    void refusesMailLimitsThatAreNotFrom1To9999(String value) {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_MAILS_PER_ADDRESS_PER_HOUR, value);

        // when / then
        assertThat(failure(env).problems()).containsExactly(
                "AUTHFN_MAILS_PER_ADDRESS_PER_HOUR must be a whole number from 1 to 9999");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Closed", "OPEN", "yes", "true"})
    void signUpModesAreLowerCaseWords(String value) {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_SIGNUP, value);

        // when / then
        assertThat(failure(env).problems()).containsExactly("AUTHFN_SIGNUP must be closed, open or verified");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com/x?token=1", "https://app.example.com/#verify", "/verify",
        "https://user@app.example.com"})
    void refusesALinkBaseWithQueryFragmentUserOrNoHost(String value) {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_MAIL_LINK_BASE, value);

        // when / then
        assertThat(failure(env).problems()).singleElement().asString().startsWith("AUTHFN_MAIL_LINK_BASE must be");
    }

    @Test
    void refusesASiteNameOver64Characters() {
        // given
        Map<String, String> env = minimal();
        env.put(ENV_SITE_NAME, "x".repeat(65));

        // when / then
        assertThat(failure(env).problems()).containsExactly(
                "AUTHFN_SITE_NAME must be at most 64 characters without control characters");
    }

    @Test
    void accountSettingsRefuseNoMailAnHourAndNulls() {
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> new AccountSettings(
                AccountSettings.SignupMode.OPEN, Duration.ofHours(1), Duration.ofHours(1), 0, "x", Optional.empty())))
                .hasMessage("mailsPerAddressPerHour must be at least 1");
        assertThat(catchThrowableOfType(NullPointerException.class, () -> new AccountSettings(
                null, Duration.ofHours(1), Duration.ofHours(1), 1, "x", Optional.empty()))).hasMessage("signup");
    }
}
