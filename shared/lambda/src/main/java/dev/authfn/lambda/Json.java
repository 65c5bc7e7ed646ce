package dev.authfn.lambda;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.Map;
import java.util.Optional;

/**
 * JSON through the parser every function already carries (nimbus-jose-jwt's), so no function
 * needs a JSON library of its own.
 */
public final class Json {

    private Json() {
    }

    /**
     * Parses a JSON object. Anything else — malformed text, an array, {@code null} (which nimbus
     * would otherwise hand back as null or as an object) — is empty.
     */
    public static Optional<Map<String, Object>> parseObject(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = text.strip();
        if (!trimmed.startsWith("{")) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(JSONObjectUtils.parse(trimmed));
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Serialises a map of strings, numbers, booleans, lists and maps. */
    public static String write(Map<String, ?> object) {
        return JSONObjectUtils.toJSONString(object);
    }
}
