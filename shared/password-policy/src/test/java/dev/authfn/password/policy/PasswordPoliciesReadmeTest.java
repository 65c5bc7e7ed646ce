package dev.authfn.password.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table lists the {@code AUTHFN_PASSWORD_*} variables
 * {@link PasswordPolicies} reads, with its defaults (core's ReadmeConfigurationTableTest checks
 * the rest of the table against AuthfnConfig).
 */
class PasswordPoliciesReadmeTest {

    private static final Pattern VARIABLE = Pattern.compile("`(AUTHFN_PASSWORD_[A-Z_]+)`");

    @Test
    void listsExactlyTheVariablesThePolicyReadsWithItsDefaults() throws Exception {
        Set<String> documented = new TreeSet<>();
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String row : rows()) {
            String[] cells = row.split("\\|");
            Matcher variables = VARIABLE.matcher(cells[1]);
            boolean first = true;
            while (variables.find()) {
                documented.add(variables.group(1));
                if (first) {
                    defaults.put(variables.group(1), cells[2].strip());
                    first = false;
                }
            }
        }

        assertThat(documented).isEqualTo(constants());
        assertThat(defaults).isEqualTo(Map.of(
                PasswordPolicies.ENV_MIN_LENGTH, "`" + PasswordPolicies.DEFAULT_MIN_LENGTH + "`",
                PasswordPolicies.ENV_BREACH_API, "`" + PasswordPolicies.DEFAULT_BREACH_API + "`",
                PasswordPolicies.ENV_BREACH_API_DOWN, "`" + BreachApiDown.OFFLINE_LIST.configName() + "`, `"
                        + PasswordPolicies.DEFAULT_BREACH_API_TIMEOUT + "`"));
    }

    private static List<String> rows() throws Exception {
        String readme = Files.readString(Path.of("..", "..", "README.md"));
        int start = readme.indexOf("## Configuration");
        int end = readme.indexOf("\n## ", start + 1);
        assertThat(start).as("the README has a Configuration section").isNotNegative();
        return readme.substring(start, end).lines().filter(line -> line.startsWith("| `")).toList();
    }

    private static Set<String> constants() throws IllegalAccessException {
        Set<String> names = new TreeSet<>();
        for (Field field : PasswordPolicies.class.getDeclaredFields()) {
            if (field.getName().startsWith("ENV_") && Modifier.isStatic(field.getModifiers())) {
                names.add((String) field.get(null));
            }
        }
        return names;
    }
}
