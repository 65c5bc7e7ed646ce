package dev.authfn.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.core.json.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON body of a route that takes named string members (the account and second-factor
 * routes): an object whose named members are strings (absent members are null; members of
 * another type, or none of the required ones, are a 400). Anything malformed is an
 * {@link Invalid}; nothing here throws. {@code toString} shows no value.
 */
public sealed interface JsonFields {

    record Fields(Map<String, String> values) implements JsonFields {
        public Fields {
            values = java.util.Collections.unmodifiableMap(new java.util.HashMap<>(values));
        }

        /** The member's value; null when it was absent (optional members only). */
        public String get(String name) {
            return values.get(name);
        }

        @Override
        public String toString() {
            return "Fields[" + values.keySet() + "]";
        }
    }

    record Invalid(Problem problem, String detail) implements JsonFields {
    }

    /**
     * @param required members that must be strings
     * @param optional members that may be absent, else must be strings
     */
    static JsonFields from(APIGatewayV2HTTPEvent event, int maxBodyBytes, List<String> required, List<String> optional) {
        if (!HttpRequests.mediaType(event).equals("application/json")) {
            return new Invalid(Problem.UNSUPPORTED_MEDIA_TYPE, "Send application/json.");
        }
        Optional<String> body = HttpRequests.body(event, maxBodyBytes);
        if (body.isEmpty()) {
            return new Invalid(Problem.MALFORMED_REQUEST, "The body is not valid UTF-8 text.");
        }
        Optional<Map<String, Object>> json = Json.parseObject(body.get());
        if (json.isEmpty()) {
            return new Invalid(Problem.MALFORMED_REQUEST, "The body is not a JSON object.");
        }
        Map<String, String> values = new java.util.HashMap<>();
        for (String name : required) {
            if (!(json.get().get(name) instanceof String value)) {
                return new Invalid(Problem.MALFORMED_REQUEST, "\"" + String.join("\", \"", required) + "\" must be "
                        + (required.size() == 1 ? "a string." : "strings."));
            }
            values.put(name, value);
        }
        for (String name : optional) {
            Object value = json.get().get(name);
            if (value != null && !(value instanceof String)) {
                return new Invalid(Problem.MALFORMED_REQUEST, "\"" + name + "\" must be a string.");
            }
            values.put(name, (String) value);
        }
        return new Fields(values);
    }
}
