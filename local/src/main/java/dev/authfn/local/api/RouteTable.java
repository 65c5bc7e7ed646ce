package dev.authfn.local.api;

import dev.authfn.local.template.RouteSpec;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the route for a request the way an HTTP API does: the method must equal the route's or
 * the route's must be {@code ANY}; literal segments match exactly, {@code {name}} matches one
 * segment and a final {@code {name+}} the rest. The most specific match wins: an exact path before
 * one with variables, a {@code {name}} before a greedy {@code {name+}}, more literal segments
 * before fewer, a named method before {@code ANY}.
 */
public final class RouteTable {

    private final List<Candidate> candidates;

    public RouteTable(List<RouteSpec> routes) {
        candidates = routes.stream()
                .map(Candidate::new)
                .sorted(Comparator.comparingInt(Candidate::variables)
                        .thenComparing(Candidate::greedy)
                        .thenComparing(Comparator.comparingInt(Candidate::literals).reversed())
                        .thenComparing(Candidate::anyMethod))
                .toList();
    }

    /** The best route for the request, if any. */
    public Optional<RouteMatch> match(String method, String path) {
        String[] segments = path.split("/", -1);
        for (Candidate candidate : candidates) {
            if (candidate.anyMethod() || candidate.route.method().equals(method)) {
                Optional<Map<String, String>> parameters = candidate.match(segments);
                if (parameters.isPresent()) {
                    return Optional.of(new RouteMatch(candidate.route, parameters.get()));
                }
            }
        }
        return Optional.empty();
    }

    private record Candidate(RouteSpec route, String[] segments) {

        Candidate(RouteSpec route) {
            this(route, route.path().split("/", -1));
        }

        boolean anyMethod() {
            return route.method().equals("ANY");
        }

        boolean greedy() {
            return segments.length > 0 && isGreedy(segments[segments.length - 1]);
        }

        int variables() {
            int count = 0;
            for (String segment : segments) {
                count += isVariable(segment) ? 1 : 0;
            }
            return count;
        }

        int literals() {
            return segments.length - variables();
        }

        Optional<Map<String, String>> match(String[] request) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (int i = 0; i < segments.length; i++) {
                String declared = segments[i];
                if (isGreedy(declared) && i == segments.length - 1) {
                    String rest = i < request.length ? String.join("/", Arrays.copyOfRange(request, i, request.length)) : "";
                    if (rest.isEmpty()) {
                        return Optional.empty();
                    }
                    parameters.put(name(declared), rest);
                    return Optional.of(parameters);
                }
                if (i >= request.length) {
                    return Optional.empty();
                }
                if (isVariable(declared)) {
                    if (request[i].isEmpty()) {
                        return Optional.empty();
                    }
                    parameters.put(name(declared), request[i]);
                } else if (!declared.equals(request[i])) {
                    return Optional.empty();
                }
            }
            return segments.length == request.length ? Optional.of(parameters) : Optional.empty();
        }

        private static boolean isVariable(String segment) {
            return segment.startsWith("{") && segment.endsWith("}");
        }

        private static boolean isGreedy(String segment) {
            return segment.startsWith("{") && segment.endsWith("+}");
        }

        private static String name(String segment) {
            return segment.substring(1, segment.length() - (isGreedy(segment) ? 2 : 1));
        }
    }
}
