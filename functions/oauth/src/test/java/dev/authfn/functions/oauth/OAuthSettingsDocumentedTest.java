package dev.authfn.functions.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.authfn.auth.OAuthSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The refresh lifetimes this function reads ({@link OAuthSettings}) have the defaults the README's
 * configuration table and template.yaml's parameters state, so an operator reading either gets
 * what the code does.
 */
class OAuthSettingsDocumentedTest {

    private static final Path ROOT = Path.of("..", "..");

    private static final Map<String, Duration> DEFAULTS = Map.of(
            OAuthSettings.ENV_REFRESH_IDLE, OAuthSettings.DEFAULT.refreshIdle(),
            OAuthSettings.ENV_REFRESH_ABSOLUTE, OAuthSettings.DEFAULT.refreshAbsolute(),
            OAuthSettings.ENV_REFRESH_GRACE, OAuthSettings.DEFAULT.refreshGrace());

    private static final Map<String, String> PARAMETERS = Map.of(
            OAuthSettings.ENV_REFRESH_IDLE, "OAuthRefreshIdle",
            OAuthSettings.ENV_REFRESH_ABSOLUTE, "OAuthRefreshAbsolute",
            OAuthSettings.ENV_REFRESH_GRACE, "OAuthRefreshGrace");

    @Test
    void theReadmeStatesTheDefaultsTheSettingsApply() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (Map.Entry<String, Duration> variable : DEFAULTS.entrySet()) {
            Matcher row = Pattern.compile("^\\| `" + variable.getKey() + "` \\| `([A-Z0-9]+)` \\|", Pattern.MULTILINE)
                    .matcher(readme);
            assertThat(row.find()).as("a README row for %s", variable.getKey()).isTrue();
            assertThat(Duration.parse(row.group(1))).as(variable.getKey()).isEqualTo(variable.getValue());
        }
    }

    @Test
    void theTemplatesParametersDefaultToTheSameAndReachTheFunction() throws Exception {
        String template = Files.readString(ROOT.resolve("template.yaml"));
        for (Map.Entry<String, Duration> variable : DEFAULTS.entrySet()) {
            String parameter = PARAMETERS.get(variable.getKey());
            Matcher declared = Pattern.compile("^  " + parameter + ":\\n    Type: String\\n    Default: ([A-Z0-9]+)\\n",
                    Pattern.MULTILINE).matcher(template);
            assertThat(declared.find()).as("parameter %s", parameter).isTrue();
            assertThat(Duration.parse(declared.group(1))).as(parameter).isEqualTo(variable.getValue());
            assertThat(template).contains("          " + variable.getKey() + ": !Ref " + parameter + "\n");
        }
    }
}
