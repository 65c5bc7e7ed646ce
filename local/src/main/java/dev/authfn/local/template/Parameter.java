package dev.authfn.local.template;

import java.util.Objects;
import java.util.Optional;

/** A template parameter and its {@code Default}, if it has one. */
public record Parameter(String name, Optional<String> defaultValue) {

    public Parameter {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(defaultValue, "defaultValue");
    }
}
