package dev.authfn.local.template;

import java.util.Objects;
import java.util.Optional;

/**
 * One {@code HttpApi} event of a function: a route of the HTTP API.
 *
 * @param functionId the function that serves it
 * @param eventId    the event's name under {@code Events}
 * @param method     upper case, or {@code ANY}
 * @param path       as declared, with {@code {name}} and {@code {name+}} segments
 * @param authorizer the authorizer that guards it; empty for {@code Auth: Authorizer: NONE} or
 *                   when the API has no default authorizer
 */
public record RouteSpec(String functionId, String eventId, String method, String path, Optional<String> authorizer) {

    public RouteSpec {
        Objects.requireNonNull(functionId, "functionId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(authorizer, "authorizer");
    }

    /** API Gateway's route key: {@code DELETE /auth/sessions/{id}}. */
    public String routeKey() {
        return method + " " + path;
    }
}
