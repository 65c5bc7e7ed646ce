package dev.authfn.local.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code AWS::Serverless::Function} as the local run needs it.
 *
 * @param logicalId     the resource's logical id, also its local function name
 * @param handlerClass  the class part of {@code Handler} ({@code a.b.LoginHandler::handleRequest})
 * @param module        {@code Metadata.AuthfnModule}, the Maven module that builds it, if given
 * @param timeoutSeconds {@code Timeout}, from the function or {@code Globals} (Lambda's default 3)
 * @param memoryMb      {@code MemorySize}, from the function or {@code Globals} (Lambda's default 128)
 * @param environment   {@code Globals} variables merged with the function's own, as written: values
 *                      are strings or {@link Intrinsic}s, in template order; {@link SamTemplate#environment}
 *                      resolves them
 */
public record FunctionSpec(
        String logicalId,
        String handlerClass,
        Optional<String> module,
        int timeoutSeconds,
        int memoryMb,
        Map<String, Object> environment) {

    public FunctionSpec {
        Objects.requireNonNull(logicalId, "logicalId");
        Objects.requireNonNull(handlerClass, "handlerClass");
        Objects.requireNonNull(module, "module");
        environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
    }
}
