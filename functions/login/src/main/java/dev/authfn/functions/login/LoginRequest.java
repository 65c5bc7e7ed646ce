package dev.authfn.functions.login;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.lambda.HttpRequests;
import dev.authfn.core.json.Json;
import dev.authfn.lambda.Problem;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The credentials a login request presents: {@code Authorization: Basic} when the header is there,
 * else a JSON body {@code {"username","password"}}. Anything malformed is an {@link Invalid} with
 * the problem to answer; nothing here throws.
 */
sealed interface LoginRequest {

    /** Presented credentials. {@code toString} shows neither. */
    record Credentials(String username, String password, boolean basic) implements LoginRequest {
        @Override
        public String toString() {
            return "Credentials[<redacted>]";
        }
    }

    record Invalid(Problem problem, String detail) implements LoginRequest {
    }

    static LoginRequest from(APIGatewayV2HTTPEvent event, int maxBodyBytes) {
        String authorization = HttpRequests.header(event, "authorization");
        if (authorization != null) {
            return basic(authorization);
        }
        if (!HttpRequests.mediaType(event).equals("application/json")) {
            return new Invalid(Problem.UNSUPPORTED_MEDIA_TYPE, "Send application/json or use HTTP Basic.");
        }
        Optional<String> body = HttpRequests.body(event, maxBodyBytes);
        if (body.isEmpty()) {
            return new Invalid(Problem.MALFORMED_REQUEST, "The body is not valid UTF-8 text.");
        }
        Optional<Map<String, Object>> json = Json.parseObject(body.get());
        if (json.isEmpty()) {
            return new Invalid(Problem.MALFORMED_REQUEST, "The body is not a JSON object.");
        }
        if (!(json.get().get("username") instanceof String username)
                || !(json.get().get("password") instanceof String password)) {
            return new Invalid(Problem.MALFORMED_REQUEST, "\"username\" and \"password\" must be strings.");
        }
        return new Credentials(username, password, false);
    }

    private static LoginRequest basic(String authorization) {
        String trimmed = authorization.trim();
        if (trimmed.length() < 6 || !trimmed.substring(0, 6).toLowerCase(Locale.ROOT).equals("basic ")) {
            return new Invalid(Problem.MALFORMED_REQUEST, "Only HTTP Basic is accepted in Authorization here.");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(trimmed.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return new Invalid(Problem.MALFORMED_REQUEST, "The Basic credentials are not valid base64.");
        }
        String pair;
        try {
            pair = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded)).toString();
        } catch (CharacterCodingException e) {
            return new Invalid(Problem.MALFORMED_REQUEST, "The Basic credentials are not UTF-8.");
        }
        int colon = pair.indexOf(':');
        if (colon <= 0) {
            return new Invalid(Problem.MALFORMED_REQUEST, "The Basic credentials need user-id:password.");
        }
        return new Credentials(pair.substring(0, colon), pair.substring(colon + 1), true);
    }
}
