package dev.authfn.core.authz;

import dev.authfn.core.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which routes need which roles or permissions, keyed by API Gateway route key exactly as the
 * event's {@code routeKey} reports it: the method, one space and the route's path template
 * ({@code "DELETE /auth/sessions/{id}"}, not the concrete path). A route with a rule needs any one
 * of its roles and all of its permissions; a route without a rule needs authentication only.
 * The authorizer and the function both evaluate it (defence in depth).
 *
 * <p>The JSON form, as in {@code AUTHFN_ROUTE_POLICY}:
 * <pre>{@code {"GET /admin":{"roles":["admin"]},"POST /posts":{"permissions":["posts:create"]}}}</pre>
 * A rule may have {@code roles}, {@code permissions}, both or neither ({@code {}}: authentication
 * only); each is a non-empty array of names. A name is 1 to 128 printable ASCII characters
 * without space or comma, so that names survive the space-separated {@code scope} claim and the
 * authorizer context.
 *
 * @param rules route key to rule
 */
public record RoutePolicy(Map<String, Rule> rules) {

    /** The example routes: {@code GET /admin} needs role admin, {@code POST /posts} needs posts:create. */
    public static final RoutePolicy DEFAULT = new RoutePolicy(Map.of(
            "GET /admin", new Rule(Set.of("admin"), Set.of()),
            "POST /posts", new Rule(Set.of(), Set.of("posts:create"))));

    private static final Pattern ROUTE_KEY =
            Pattern.compile("(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) /[!-~]*|\\$default");
    private static final Pattern NAME = Pattern.compile("[!-~&&[^,]]{1,128}");
    private static final String ROLES = "roles";
    private static final String PERMISSIONS = "permissions";

    public RoutePolicy {
        rules = Map.copyOf(rules);
    }

    /**
     * What one route requires.
     *
     * @param anyOfRoles the principal needs at least one of these; empty means no role needed
     * @param allOfPermissions the principal needs every one of these
     */
    public record Rule(Set<String> anyOfRoles, Set<String> allOfPermissions) {
        public Rule {
            anyOfRoles = Set.copyOf(anyOfRoles);
            allOfPermissions = Set.copyOf(allOfPermissions);
        }

        /** Roles are checked before permissions, so a principal lacking both gets MISSING_ROLE. */
        public Decision evaluate(Principal principal) {
            if (!anyOfRoles.isEmpty() && Collections.disjoint(anyOfRoles, principal.roles())) {
                return Decision.MISSING_ROLE;
            }
            if (!principal.permissions().containsAll(allOfPermissions)) {
                return Decision.MISSING_PERMISSION;
            }
            return Decision.ALLOWED;
        }
    }

    /** The outcome of {@link #evaluate}; the name is the reason code to log. */
    public enum Decision {
        ALLOWED,
        MISSING_ROLE,
        MISSING_PERMISSION;

        public boolean isAllowed() {
            return this == ALLOWED;
        }
    }

    /** The outcome of {@link #parse}. */
    public sealed interface ParseResult permits Parsed, Invalid {}

    /** A valid policy. */
    public record Parsed(RoutePolicy policy) implements ParseResult {
        public Parsed {
            Objects.requireNonNull(policy, "policy");
        }
    }

    /** Every problem found, one sentence each; never empty. */
    public record Invalid(List<String> problems) implements ParseResult {
        public Invalid {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("an invalid policy has at least one problem");
            }
        }
    }

    /** Whether {@code principal} may call the route {@code routeKey}; authentication is assumed. */
    public Decision evaluate(String routeKey, Principal principal) {
        Objects.requireNonNull(principal, "principal");
        Rule rule = rules.get(routeKey);
        return rule == null ? Decision.ALLOWED : rule.evaluate(principal);
    }

    /**
     * Reads a policy from its JSON form, listing every problem rather than stopping at the first.
     * A route key that is malformed is named by its position, so that control characters in it
     * never reach a log.
     */
    public static ParseResult parse(String json) {
        Map<String, Object> root = Json.parseObject(json).orElse(null);
        if (root == null) {
            return new Invalid(List.of("not a JSON object (duplicate keys count as invalid)"));
        }
        List<String> problems = new ArrayList<>();
        Map<String, Rule> rules = new LinkedHashMap<>();
        int position = 0;
        for (Map.Entry<String, Object> entry : root.entrySet()) {
            position++;
            String routeKey = entry.getKey();
            if (!ROUTE_KEY.matcher(routeKey).matches()) {
                problems.add("route key #" + position
                        + " is not a method, one space and a path, e.g. \"GET /admin\"");
                continue;
            }
            String where = "route \"" + routeKey + "\": ";
            if (!(entry.getValue() instanceof Map<?, ?> member)) {
                problems.add(where + "must be an object with \"roles\" and/or \"permissions\"");
                continue;
            }
            for (Object name : member.keySet()) {
                if (!ROLES.equals(name) && !PERMISSIONS.equals(name)) {
                    String shown = NAME.matcher(name.toString()).matches() ? " \"" + name + "\"" : "";
                    problems.add(where + "unknown member" + shown
                            + " (only \"roles\" and \"permissions\")");
                }
            }
            Set<String> roles = names(member.get(ROLES), where + ROLES, problems);
            Set<String> permissions = names(member.get(PERMISSIONS), where + PERMISSIONS, problems);
            rules.put(routeKey, new Rule(roles, permissions));
        }
        return problems.isEmpty() ? new Parsed(new RoutePolicy(rules)) : new Invalid(problems);
    }

    private static Set<String> names(Object value, String where, List<String> problems) {
        if (value == null) {
            return Set.of();
        }
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            problems.add(where + " must be a non-empty array of names");
            return Set.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (Object item : list) {
            if (item instanceof String name && NAME.matcher(name).matches()) {
                names.add(name);
            } else {
                problems.add(where + " holds a value that is not a name"
                        + " (1..128 printable ASCII characters, no space or comma)");
            }
        }
        return names;
    }
}
