package dev.authfn.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.core.user.LockoutPolicy;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table is the one list of the variables: this test keeps it and
 * {@link AuthfnConfig} from drifting apart, both in which variables exist and in their defaults.
 */
class ReadmeConfigurationTableTest {

    private static final Pattern VARIABLE = Pattern.compile("`(AUTHFN_[A-Z_]+)`");

    @Test
    void listsExactlyTheVariablesTheConfigurationReads() throws Exception {
        Set<String> documented = new TreeSet<>();
        for (String row : rows()) {
            Matcher variables = VARIABLE.matcher(row.split("\\|")[1]);
            while (variables.find()) {
                documented.add(variables.group(1));
            }
            // shared/password-policy reads these; its PasswordPoliciesReadmeTest checks their rows
            documented.removeIf(name -> name.startsWith("AUTHFN_PASSWORD_"));
        }

        Set<String> expected = new TreeSet<>(constants());
        expected.addAll(READ_ELSEWHERE);
        assertThat(documented).isEqualTo(expected);
    }

    /**
     * Variables a single module reads itself, outside this module's view: the mailer's SES
     * transport ({@code dev.authfn.ses.SesMailer}) and its local outbox
     * ({@code dev.authfn.functions.mailer.MailerHandler}); the passkeys' relying party
     * ({@code dev.authfn.functions.passkeys.RelyingParty}); the OAuth provider's lifetimes
     * ({@code dev.authfn.auth.OAuthSettings}, whose defaults the OAuth function's
     * {@code OAuthSettingsDocumentedTest} checks). The password policy's
     * ({@code AUTHFN_PASSWORD_*}) are left out above: its own {@code PasswordPoliciesReadmeTest} checks them.
     */
    private static final Set<String> READ_ELSEWHERE = Set.of("AUTHFN_MAIL_FROM", "AUTHFN_SES_CONFIGURATION_SET",
            "AUTHFN_SES_ENDPOINT", "AUTHFN_MAIL_OUTBOX", "AUTHFN_WEBAUTHN_RP_ID", "AUTHFN_WEBAUTHN_ORIGINS",
            "AUTHFN_OAUTH_REFRESH_IDLE", "AUTHFN_OAUTH_REFRESH_ABSOLUTE", "AUTHFN_OAUTH_REFRESH_GRACE");

    @Test
    void statesTheDefaultsTheConfigurationApplies() throws Exception {
        AuthfnConfig defaults = AuthfnConfig.fromEnvironment(Map.of(), EnumSet.noneOf(AuthfnConfig.Requirement.class));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("AUTHFN_ACCESS_TOKEN_TTL", "`" + defaults.accessTokenTtl() + "`");
        expected.put("AUTHFN_SESSION_IDLE_TIMEOUT", "`" + defaults.sessionIdleTimeout() + "`");
        expected.put("AUTHFN_SESSION_ABSOLUTE_TIMEOUT", "`" + defaults.sessionAbsoluteTimeout() + "`");
        expected.put("AUTHFN_CLOCK_SKEW", "`" + defaults.clockSkew() + "`");
        expected.put("AUTHFN_KEYS_REFRESH_INTERVAL", "`" + defaults.keysRefreshInterval() + "`");
        expected.put("AUTHFN_STATELESS_BEARER", "`" + defaults.statelessBearer() + "`");
        expected.put("AUTHFN_CLIENT_ID", "`" + defaults.clientId() + "`");
        expected.put("AUTHFN_SESSION_COOKIE_NAME", "`" + defaults.sessionCookieName() + "`, `" + defaults.csrfCookieName() + "`");
        LockoutPolicy lockout = defaults.lockoutPolicy();
        expected.put("AUTHFN_LOCKOUT_FREE_ATTEMPTS", "`" + lockout.freeAttempts() + "`, `" + lockout.maxLock() + "`");

        Map<String, String> documented = new LinkedHashMap<>();
        for (String row : rows()) {
            String[] cells = row.split("\\|");
            Matcher first = VARIABLE.matcher(cells[1]);
            if (first.find() && expected.containsKey(first.group(1))) {
                documented.put(first.group(1), normalised(cells[2].strip()));
            }
        }

        assertThat(documented).isEqualTo(expected);
    }

    /** Each backticked ISO-8601 duration in its canonical form ({@code PT60S} reads as {@code PT1M}). */
    private static String normalised(String cell) {
        return Pattern.compile("`(PT[0-9A-Z.]+)`").matcher(cell)
                .replaceAll(match -> "`" + java.time.Duration.parse(match.group(1)) + "`");
    }

    /** The table rows of the README's "Configuration" section. */
    private static List<String> rows() throws IOException {
        String readme = Files.readString(Path.of("..", "..", "README.md"));
        int start = readme.indexOf("## Configuration");
        int end = readme.indexOf("\n## ", start + 1);
        assertThat(start).as("the README has a Configuration section").isNotNegative();
        return readme.substring(start, end).lines()
                .filter(line -> line.startsWith("| `"))
                .toList();
    }

    private static Set<String> constants() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Field field : AuthfnConfig.class.getDeclaredFields()) {
            if (field.getName().startsWith("ENV_") && Modifier.isStatic(field.getModifiers())) {
                names.add((String) field.get(null));
            }
        }
        return names;
    }
}
