package dev.authfn.core.authz;

import dev.authfn.core.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which routes need which roles or permissions, keyed by API Gateway route key exactly as the
 * event's {@code routeKey} reports it: the method, one space and the route's path template
 * ({@code "DELETE /auth/sessions/{id}"}, not the concrete path). A route with a rule needs any one
 * of its roles and all of its permissions, and then a login as strong and as recent as its
 * {@link StepUp} says; a route without a rule needs authentication only. The authorizer and the
 * function both evaluate it (defence in depth).
 *
 * <p>The JSON form, as in {@code AUTHFN_ROUTE_POLICY}:
 * <pre>{@code {"GET /admin":{"roles":["admin"]},"POST /posts":{"permissions":["posts:create"]},
 *  "GET /protected/step-up":{"mfa":true,"max_age":"PT15M"}}}</pre>
 * A rule may have {@code roles}, {@code permissions}, both or neither ({@code {}}: authentication
 * only); each is a non-empty array of names. A name is 1 to 128 printable ASCII characters
 * without space or comma, so that names survive the space-separated {@code scope} claim and the
 * authorizer context. For step-up (RFC 9470) a rule may also have {@code "mfa": true} (a second
 * factor), {@code "acr"} (a non-empty array of {@link Acr#KNOWN} classes, one of which the
 * session's must be) and {@code "max_age"} (an ISO-8601 duration, whole seconds from
 * {@code PT1S} to {@code PT24H}, that the login may be old at most).
 *
 * @param rules route key to rule
 */
public record RoutePolicy(Map<String, Rule> rules) {

    /**
     * The example routes: {@code GET /admin} needs role admin, {@code POST /posts} needs
     * posts:create, {@code GET /protected/step-up} a multi-factor login at most 15 minutes old
     * ({@code {"mfa":true,"max_age":"PT15M"}}).
     */
    public static final RoutePolicy DEFAULT = new RoutePolicy(Map.of(
            "GET /admin", new Rule(Set.of("admin"), Set.of()),
            "POST /posts", new Rule(Set.of(), Set.of("posts:create")),
            "GET /protected/step-up", new Rule(Set.of(), Set.of(),
                    new StepUp(true, List.of(), Optional.of(Duration.ofMinutes(15))))));

    private static final Pattern ROUTE_KEY =
            Pattern.compile("(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) /[!-~]*|\\$default");
    private static final Pattern NAME = Pattern.compile("[!-~&&[^,]]{1,128}");
    private static final String ROLES = "roles";
    private static final String PERMISSIONS = "permissions";
    private static final String MFA = "mfa";
    private static final String ACR = "acr";
    private static final String MAX_AGE = "max_age";
    private static final Set<String> MEMBERS = Set.of(ROLES, PERMISSIONS, MFA, ACR, MAX_AGE);
    private static final String MEMBER_LIST = "\"roles\", \"permissions\", \"mfa\", \"acr\" and \"max_age\"";

    public RoutePolicy {
        rules = Map.copyOf(rules);
    }

    /**
     * What one route requires.
     *
     * @param anyOfRoles the principal needs at least one of these; empty means no role needed
     * @param allOfPermissions the principal needs every one of these
     * @param stepUp how strong and recent a login it needs besides; {@link StepUp#NONE} for none
     */
    public record Rule(Set<String> anyOfRoles, Set<String> allOfPermissions, StepUp stepUp) {
        public Rule {
            anyOfRoles = Set.copyOf(anyOfRoles);
            allOfPermissions = Set.copyOf(allOfPermissions);
            Objects.requireNonNull(stepUp, "stepUp");
        }

        /** A rule of roles and permissions only. */
        public Rule(Set<String> anyOfRoles, Set<String> allOfPermissions) {
            this(anyOfRoles, allOfPermissions, StepUp.NONE);
        }

        /**
         * Roles are checked before permissions, so a principal lacking both gets MISSING_ROLE, and
         * both before step-up: a principal that may not use the route at all is told so (403),
         * never invited to log in again for it (401).
         */
        public Decision evaluate(Principal principal, Instant now) {
            if (!anyOfRoles.isEmpty() && Collections.disjoint(anyOfRoles, principal.roles())) {
                return Decision.MISSING_ROLE;
            }
            if (!principal.permissions().containsAll(allOfPermissions)) {
                return Decision.MISSING_PERMISSION;
            }
            if (!stepUp.isMetBy(principal, now)) {
                return Decision.STEP_UP_REQUIRED;
            }
            return Decision.ALLOWED;
        }

        /** The challenge a {@link Decision#STEP_UP_REQUIRED} of this rule answers with. */
        public StepUpChallenge challenge() {
            return stepUp.challenge();
        }
    }

    /** The outcome of {@link #evaluate}; the name is the reason code to log. */
    public enum Decision {
        ALLOWED,
        MISSING_ROLE,
        MISSING_PERMISSION,
        /** Roles and permissions hold, but the login is not strong or recent enough: 401 with {@link Rule#challenge()}. */
        STEP_UP_REQUIRED;

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

    /**
     * Whether {@code principal} may call the route {@code routeKey} at {@code now} (the time a
     * {@code max_age} is measured to); authentication is assumed.
     */
    public Decision evaluate(String routeKey, Principal principal, Instant now) {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(now, "now");
        Rule rule = rules.get(routeKey);
        return rule == null ? Decision.ALLOWED : rule.evaluate(principal, now);
    }

    /** The rule of {@code routeKey}, or empty when the route needs authentication only. */
    public Optional<Rule> rule(String routeKey) {
        return Optional.ofNullable(rules.get(Objects.requireNonNull(routeKey, "routeKey")));
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
                problems.add(where + "must be an object (with " + MEMBER_LIST.replace(" and ", " or ") + ")");
                continue;
            }
            for (Object name : member.keySet()) {
                if (!MEMBERS.contains(name)) {
                    String shown = NAME.matcher(name.toString()).matches() ? " \"" + name + "\"" : "";
                    problems.add(where + "unknown member" + shown + " (only " + MEMBER_LIST + ")");
                }
            }
            Set<String> roles = names(member.get(ROLES), where + ROLES, problems);
            Set<String> permissions = names(member.get(PERMISSIONS), where + PERMISSIONS, problems);
            StepUp stepUp = stepUp(member, where, problems);
            rules.put(routeKey, new Rule(roles, permissions, stepUp));
        }
        return problems.isEmpty() ? new Parsed(new RoutePolicy(rules)) : new Invalid(problems);
    }

    /** The rule's {@code mfa}, {@code acr} and {@code max_age}, or {@link StepUp#NONE} with the problems added. */
    private static StepUp stepUp(Map<?, ?> member, String where, List<String> problems) {
        int before = problems.size();
        Object mfaValue = member.get(MFA);
        if (mfaValue != null && !(mfaValue instanceof Boolean)) {
            problems.add(where + MFA + " must be true or false");
        }
        boolean mfa = Boolean.TRUE.equals(mfaValue);
        List<String> acr = acrValues(member.get(ACR), where, problems);
        Optional<Duration> maxAge = maxAge(member.get(MAX_AGE), where, problems);
        if (problems.size() > before) {
            return StepUp.NONE;
        }
        if (mfa && !acr.isEmpty() && !acr.contains(Acr.MFA)) {
            problems.add(where + "\"mfa\": true with \"acr\" values that exclude " + Acr.MFA + " can never be met");
            return StepUp.NONE;
        }
        return new StepUp(mfa, acr, maxAge);
    }

    private static List<String> acrValues(Object value, String where, List<String> problems) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            problems.add(where + ACR + " must be a non-empty array of authentication context classes");
            return List.of();
        }
        List<String> classes = new ArrayList<>();
        for (Object item : list) {
            if (item instanceof String acr && Acr.KNOWN.contains(acr)) {
                classes.add(acr);
            } else {
                problems.add(where + ACR + " holds a value that is not a class authfn knows ("
                        + String.join(", ", Acr.KNOWN) + ")");
            }
        }
        return classes;
    }

    private static Optional<Duration> maxAge(Object value, String where, List<String> problems) {
        if (value == null) {
            return Optional.empty();
        }
        Duration maxAge;
        try {
            maxAge = Duration.parse(value instanceof String text ? text : "");
        } catch (DateTimeParseException e) {
            problems.add(where + MAX_AGE + " must be an ISO-8601 duration such as \"PT5M\"");
            return Optional.empty();
        }
        if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(StepUp.MAX_MAX_AGE) > 0 || maxAge.getNano() != 0) {
            problems.add(where + MAX_AGE + " must be whole seconds, from PT1S to PT24H");
            return Optional.empty();
        }
        return Optional.of(maxAge);
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
