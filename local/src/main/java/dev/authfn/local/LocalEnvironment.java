package dev.authfn.local;

import dev.authfn.local.template.FunctionSpec;
import dev.authfn.local.template.SamTemplate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a local run binds the template to — the extension point for local infrastructure.
 *
 * <ul>
 *   <li>{@code parameters}: values for template parameters, over their {@code Default}s;</li>
 *   <li>{@code resourceNames}: what {@code !Ref} gives for a resource, by logical id (local table
 *       names, the key set secret's placeholder);</li>
 *   <li>{@code variables}: set on every function after the template's own variables
 *       ({@code AUTHFN_DYNAMODB_ENDPOINT}, {@code AUTHFN_KEYS}, …).</li>
 * </ul>
 *
 * <p>A DynamoDB emulator, table creation or key generation starts its infrastructure, then returns
 * {@code environment.withResourceName(...)} / {@code withVariable(...)}; {@link Main} passes the
 * result to every function it hosts.
 */
public record LocalEnvironment(Map<String, String> parameters, Map<String, String> resourceNames,
        Map<String, String> variables) {

    /** The types whose {@code !Ref} a local run answers by default: tables and the key set secret. */
    public static final List<String> NAMED_TYPES = List.of("AWS::DynamoDB::Table", "AWS::SecretsManager::Secret");

    public LocalEnvironment {
        parameters = Map.copyOf(parameters);
        resourceNames = Map.copyOf(resourceNames);
        variables = Map.copyOf(variables);
    }

    /**
     * Every table and secret of the template named by its logical id, as {@code sam local} names
     * them; no parameters and no extra variables.
     */
    public static LocalEnvironment namedByLogicalId(SamTemplate template) {
        Map<String, String> names = new LinkedHashMap<>();
        NAMED_TYPES.forEach(type -> template.resourcesOfType(type).forEach(id -> names.put(id, id)));
        return new LocalEnvironment(Map.of(), names, Map.of());
    }

    /** This environment with a parameter value set (replacing an earlier one). */
    public LocalEnvironment withParameter(String name, String value) {
        return new LocalEnvironment(put(parameters, name, value), resourceNames, variables);
    }

    /** This environment with the name {@code !Ref logicalId} resolves to. */
    public LocalEnvironment withResourceName(String logicalId, String name) {
        return new LocalEnvironment(parameters, put(resourceNames, logicalId, name), variables);
    }

    /** This environment with a variable every function gets, over the template's value. */
    public LocalEnvironment withVariable(String name, String value) {
        return new LocalEnvironment(parameters, resourceNames, put(variables, name, value));
    }

    /**
     * The environment a function's handler is built with: Lambda's own variables
     * ({@code AWS_REGION}, {@code AWS_LAMBDA_FUNCTION_NAME}, …, and {@code AWS_SAM_LOCAL=true} as
     * {@code sam local} sets it), then the template's ({@code Globals} merged with the function's,
     * intrinsics resolved), then {@link #variables()}. Never the host process's environment.
     */
    public Map<String, String> functionEnvironment(SamTemplate template, FunctionSpec function) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("AWS_REGION", LocalAws.REGION);
        environment.put("AWS_DEFAULT_REGION", LocalAws.REGION);
        environment.put("AWS_LAMBDA_FUNCTION_NAME", function.logicalId());
        environment.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(function.memoryMb()));
        environment.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        environment.put("AWS_SAM_LOCAL", "true");
        environment.putAll(template.environment(function.logicalId(), parameters, resourceNames));
        environment.putAll(variables);
        return Map.copyOf(environment);
    }

    private static Map<String, String> put(Map<String, String> map, String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return copy;
    }
}
