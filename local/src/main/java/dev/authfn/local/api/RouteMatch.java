package dev.authfn.local.api;

import dev.authfn.local.template.RouteSpec;
import java.util.Map;
import java.util.Objects;

/** The route a request matched and the values of its {@code {name}} segments. */
public record RouteMatch(RouteSpec route, Map<String, String> pathParameters) {

    public RouteMatch {
        Objects.requireNonNull(route, "route");
        pathParameters = Map.copyOf(pathParameters);
    }
}
