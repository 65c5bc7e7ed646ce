package dev.authfn.local.template;

import java.util.List;
import java.util.Objects;
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
 */
public record AuthorizerSpec(
        String name,
        String functionId,
        String payloadFormatVersion,
        boolean simpleResponses,
        List<String> identitySources,
        OptionalInt reauthorizeEverySeconds) {

    public AuthorizerSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(functionId, "functionId");
        Objects.requireNonNull(payloadFormatVersion, "payloadFormatVersion");
        identitySources = List.copyOf(identitySources);
        Objects.requireNonNull(reauthorizeEverySeconds, "reauthorizeEverySeconds");
    }
}
