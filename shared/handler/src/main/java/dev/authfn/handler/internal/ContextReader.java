package dev.authfn.handler.internal;

import dev.authfn.handler.ContextKeys;
import dev.authfn.handler.Principal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@link Principal}s out of authorizer contexts; the rules are {@link Principal#from}'s. */
public final class ContextReader {

    private ContextReader() {
    }

    /** The authfn Lambda authorizer's context (HTTP API {@code lambda} map, REST {@code authorizer} map). */
    public static Optional<Principal> fromLambdaContext(Map<String, ?> context) {
        Optional<String> sub = text(context.get(ContextKeys.SUB));
        Optional<String> username = text(context.get(ContextKeys.USERNAME));
        Optional<String> sid = text(context.get(ContextKeys.SID));
        Optional<Principal.AuthType> authType = text(context.get(ContextKeys.AUTH_TYPE)).flatMap(ContextReader::lambdaAuthType);
        if (sub.isEmpty() || username.isEmpty() || sid.isEmpty() || authType.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Principal(sub.get(), username.get(), words(context.get(ContextKeys.ROLES)),
                words(context.get(ContextKeys.PERMISSIONS)), sid.get(), authType.get(),
                List.copyOf(wordList(context.get(ContextKeys.AMR))), epochSeconds(context.get(ContextKeys.AUTH_TIME))));
    }

    /**
     * API Gateway's JWT authorizer claims (HTTP API): every value a string, an array claim written
     * as {@code [a b c]}. authfn's access tokens carry the username as {@code preferred_username}
     * and the permissions as {@code scope}.
     */
    public static Optional<Principal> fromJwtClaims(Map<String, String> claims) {
        Optional<String> sub = text(claims.get("sub"));
        Optional<String> username = text(claims.get("preferred_username"));
        Optional<String> sid = text(claims.get("sid"));
        if (sub.isEmpty() || username.isEmpty() || sid.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Principal(sub.get(), username.get(), Set.copyOf(wordList(unbracket(claims.get("roles")))),
                words(claims.get("scope")), sid.get(), Principal.AuthType.JWT_AUTHORIZER,
                wordList(unbracket(claims.get("amr"))), epochSeconds(claims.get("auth_time"))));
    }

    private static Optional<Principal.AuthType> lambdaAuthType(String wireName) {
        return switch (wireName) {
            case "cookie" -> Optional.of(Principal.AuthType.COOKIE);
            case "bearer" -> Optional.of(Principal.AuthType.BEARER);
            default -> Optional.empty();
        };
    }

    private static Optional<String> text(Object value) {
        return value instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }

    private static Set<String> words(Object value) {
        return Set.copyOf(wordList(value));
    }

    private static List<String> wordList(Object value) {
        List<String> words = new ArrayList<>();
        if (value instanceof String s) {
            for (String word : s.trim().split("\\s+")) {
                if (!word.isEmpty() && !words.contains(word)) {
                    words.add(word);
                }
            }
        }
        return words;
    }

    private static Object unbracket(String value) {
        if (value != null && value.length() >= 2 && value.startsWith("[") && value.endsWith("]")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    private static Optional<Instant> epochSeconds(Object value) {
        if (value instanceof Number number) {
            return Optional.of(Instant.ofEpochSecond(number.longValue()));
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                return Optional.of(Instant.ofEpochSecond(Long.parseLong(s.trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
