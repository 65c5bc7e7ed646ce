package dev.authfn.local.template;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Lambda authorizer of the HTTP API.
 *
 * @param name                 its name under {@code Auth.Authorizers}
 * @param functionId           the function {@code FunctionArn} points at ({@code !Ref Fn.Alias},
 *                             {@code !GetAtt Fn.Arn} or {@code !Ref Fn})
 * @param payloadFormatVersion {@code AuthorizerPayloadFormatVersion}; the local API runs {@code 2.0}
 * @param simpleResponses      {@code EnableSimpleResponses}; the local API runs simple responses
 * @param identitySources      mapping expressions, {@code $request.header.Authorization} or
 *                             {@code $request.querystring.token}; empty when none is configured
 * @param reauthorizeEverySeconds {@code Identity.ReauthorizeEvery} when given (the result cache TTL;
 *                             the local API never caches)
 * @param functionArnParameter the parameter {@code FunctionArn} is {@code !Ref} of, when the
 *                             authorizer is another stack's (an application behind authfn's
 *                             authorizer); {@code functionId} is then that parameter's name until
 *                             {@link SamTemplate#compose} binds it to authfn's authorizer function
 */
public record AuthorizerSpec(
        String name,
        String functionId,
        String payloadFormatVersion,
        boolean simpleResponses,
        List<String> identitySources,
        OptionalInt reauthorizeEverySeconds,
        Optional<String> functionArnParameter) {

    /** An authorizer of a function in the same template. */
    public AuthorizerSpec(String name, String functionId, String payloadFormatVersion, boolean simpleResponses,
            List<String> identitySources, OptionalInt reauthorizeEverySeconds) {
        this(name, functionId, payloadFormatVersion, simpleResponses, identitySources, reauthorizeEverySeconds,
                Optional.empty());
    }

    public AuthorizerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(functionId, "functionId");
        Objects.requireNonNull(payloadFormatVersion, "payloadFormatVersion");
        identitySources = List.copyOf(identitySources);
        Objects.requireNonNull(reauthorizeEverySeconds, "reauthorizeEverySeconds");
        Objects.requireNonNull(functionArnParameter, "functionArnParameter");
    }

    /** This authorizer run by {@code function} of another template. */
    public AuthorizerSpec boundTo(String function) {
        return new AuthorizerSpec(name, function, payloadFormatVersion, simpleResponses, identitySources,
                reauthorizeEverySeconds, Optional.empty());
    }
}
