package dev.authfn.local.api;

import dev.authfn.local.template.RouteSpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The route a request matched and the values of its {@code {name}} segments. */
public record RouteMatch(RouteSpec route, Map<String, String> pathParameters) {

    public RouteMatch {
        Objects.requireNonNull(route, "route");
        pathParameters = Collections.unmodifiableMap(new LinkedHashMap<>(pathParameters));
    }
}
