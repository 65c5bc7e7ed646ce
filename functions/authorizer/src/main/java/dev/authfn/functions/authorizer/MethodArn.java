package dev.authfn.functions.authorizer;

import java.util.Locale;
import java.util.Optional;

/**
 * A REST API method ARN, {@code arn:aws:execute-api:region:account:apiId/stage/METHOD/path}, and
 * the IAM resources built from it.
 */
record MethodArn(String stagePrefix, String method, String path) {

    /** The ARN's parts, or null when it is not an execute-api method ARN. */
    static MethodArn parse(String arn) {
        if (arn == null || !arn.startsWith("arn:") || arn.length() > 2048) {
            return null;
        }
        String[] colon = arn.split(":", 6);
        if (colon.length != 6 || !colon[2].equals("execute-api")) {
            return null;
        }
        String[] slash = colon[5].split("/", 4);
        if (slash.length < 3 || slash[0].isEmpty() || slash[1].isEmpty() || slash[2].isEmpty()) {
            return null;
        }
        String prefix = String.join(":", colon[0], colon[1], colon[2], colon[3], colon[4], slash[0]) + "/" + slash[1] + "/";
        String path = "/" + (slash.length == 4 ? slash[3] : "");
        return new MethodArn(prefix, slash[2].toUpperCase(Locale.ROOT), path);
    }

    /**
     * {@code GET /sessions/{id}} → {@code GET/sessions/*}: a route key as an IAM resource suffix.
     * {@code ANY} becomes {@code *}, because a method ARN always names the request's own verb. Empty
     * for {@code $default}, the HTTP API catch-all, which names no REST API resource.
     */
    static Optional<String> resourceOf(String routeKey) {
        int space = routeKey.indexOf(' ');
        if (space <= 0) {
            return Optional.empty();
        }
        String method = routeKey.substring(0, space);
        String path = routeKey.substring(space + 1).replaceAll("\\{[^/}]+}", "*");
        return Optional.of((method.equals("ANY") ? "*" : method) + path);
    }
}
