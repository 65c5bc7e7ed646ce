package dev.authfn.lambda;

import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.keys.KeySet;
import dev.authfn.secrets.SecretsManagerReader;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** The key set a function runs with, from {@code AUTHFN_KEYS} (fixed) or Secrets Manager (refreshed). */
public final class KeySets {

    private KeySets() {
    }

    /**
     * Reads the key set now (failing the init when it cannot) and returns its supplier.
     *
     * @param environment the process environment: AWS credentials and region for Secrets Manager
     * @param warnings receives a line per failed refresh
     */
    public static Supplier<KeySet> fromConfig(
            AuthfnConfig config, Map<String, String> environment, Clock clock, Consumer<String> warnings) {
        AuthfnConfig.KeySource source = config.keys()
                .orElseThrow(() -> new IllegalStateException("AUTHFN_KEYS_SECRET_ID or AUTHFN_KEYS is required"));
        return switch (source) {
            case AuthfnConfig.KeySource.Inline inline -> {
                KeySet fixed = KeySet.parse(inline.keySetJson());
                yield () -> fixed;
            }
            case AuthfnConfig.KeySource.SecretsManager secret -> {
                SecretsManagerReader reader = SecretsManagerReader.fromEnvironment(environment, clock);
                yield new RefreshingKeySet(() -> reader.getSecretString(secret.secretId()),
                        config.keysRefreshInterval(), clock, warnings);
            }
        };
    }
}
