package dev.authfn.functions.passkeys;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import dev.authfn.auth.PasskeyService;
import dev.authfn.lambda.HttpRequests;
import dev.authfn.lambda.Problem;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bodies of the passkey routes: {@code {"credential": <the browser's PublicKeyCredential as
 * JSON>, "name": ...}} for a ceremony's response ({@code name} only when registering, optional),
 * and {@code {"name": ...}} for a rename. The credential is handed on as JSON text for webauthn4j
 * to parse; anything malformed is an {@link Invalid}, and nothing here throws.
 */
final class PasskeyRequests {

    sealed interface Request permits Ceremony, Name, Invalid {
    }

    /** What {@link #object} gives: the body parsed once, or why it is not an object. */
    private sealed interface Body permits Parsed, Invalid {
    }

    private record Parsed(JsonNode json) implements Body {
    }

    /** A ceremony's response, and the new passkey's name (as {@link PasskeyService#name} makes it). {@code toString} shows none of it. */
    record Ceremony(String credentialJson, String name) implements Request {
        @Override
        public String toString() {
            return "Ceremony[<redacted>]";
        }
    }

    record Name(String name) implements Request {
    }

    record Invalid(Problem problem, String detail) implements Request, Body {
    }

    private final JsonMapper json;

    PasskeyRequests(JsonMapper json) {
        this.json = json;
    }

    /** @param named true when the body may carry the new passkey's {@code name} */
    Request read(APIGatewayV2HTTPEvent event, int maxBodyBytes, boolean named) {
        Body parsed = object(event, maxBodyBytes);
        if (!(parsed instanceof Parsed(JsonNode body))) {
            return (Invalid) parsed;
        }
        JsonNode credential = body.get("credential");
        if (credential == null || !credential.isObject()) {
            return new Invalid(Problem.MALFORMED_REQUEST,
                    "\"credential\" must be the PublicKeyCredential as JSON (its toJSON()), an object.");
        }
        if (!named) {
            return new Ceremony(credential.toString(), null);
        }
        Optional<String> name = name(body, false);
        return name.<Request>map(value -> new Ceremony(credential.toString(), value)).orElseGet(PasskeyRequests::badName);
    }

    Request readName(APIGatewayV2HTTPEvent event, int maxBodyBytes) {
        Body parsed = object(event, maxBodyBytes);
        if (!(parsed instanceof Parsed(JsonNode body))) {
            return (Invalid) parsed;
        }
        return name(body, true).<Request>map(Name::new).orElseGet(PasskeyRequests::badName);
    }

    /** The body as a parsed JSON object, or why not. */
    private Body object(APIGatewayV2HTTPEvent event, int maxBodyBytes) {
        if (!HttpRequests.mediaType(event).equals("application/json")) {
            return new Invalid(Problem.UNSUPPORTED_MEDIA_TYPE, "Send application/json.");
        }
        Optional<String> body = HttpRequests.body(event, maxBodyBytes);
        if (body.isEmpty()) {
            return new Invalid(Problem.MALFORMED_REQUEST, "The body is not valid UTF-8 text.");
        }
        try {
            JsonNode node = json.readTree(body.get());
            if (node == null || !node.isObject()) {
                return new Invalid(Problem.MALFORMED_REQUEST, "The body is not a JSON object.");
            }
            return new Parsed(node);
        } catch (JacksonException e) {
            return new Invalid(Problem.MALFORMED_REQUEST, "The body is not a JSON object.");
        }
    }

    /** The name member: absent (allowed unless required) or a string {@link PasskeyService#name} accepts. */
    private static Optional<String> name(JsonNode body, boolean required) {
        JsonNode name = body.get("name");
        if (name == null || name.isNull()) {
            return required ? Optional.empty() : PasskeyService.name(null);
        }
        if (!name.isString()) {
            return Optional.empty();
        }
        return PasskeyService.name(name.asString());
    }

    private static Invalid badName() {
        return new Invalid(Problem.MALFORMED_REQUEST, "\"name\" must be a string of at most "
                + dev.authfn.core.passkey.Passkey.MAX_NAME_LENGTH + " characters, without control characters.");
    }
}
