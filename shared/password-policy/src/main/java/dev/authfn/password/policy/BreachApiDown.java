package dev.authfn.password.policy;

import java.util.Optional;

/** What a new password gets when the breach range API does not answer in time. */
public enum BreachApiDown {
    /** Checked against the offline list only, and one warning line is written (the default). */
    OFFLINE_LIST("offline-list"),
    /** Refused with {@code BREACH_CHECK_UNAVAILABLE} (fail closed: a handler answers 503). */
    REFUSE("refuse");

    private final String configName;

    BreachApiDown(String configName) {
        this.configName = configName;
    }

    /** The value of {@code AUTHFN_PASSWORD_BREACH_API_DOWN} that selects this. */
    public String configName() {
        return configName;
    }

    static Optional<BreachApiDown> fromConfigName(String value) {
        for (BreachApiDown mode : values()) {
            if (mode.configName.equals(value)) {
                return Optional.of(mode);
            }
        }
        return Optional.empty();
    }
}
