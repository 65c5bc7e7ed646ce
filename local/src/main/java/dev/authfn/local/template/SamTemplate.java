package dev.authfn.local.template;

import dev.authfn.local.LocalAws;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SAM template read for a local run: its parameters, functions, HTTP API routes and Lambda
 * authorizers, and the functions' environments with intrinsic functions resolved.
 *
 * <p>Parsing checks what the local API relies on and fails with a {@link TemplateException} naming
 * the resource: a function without {@code Handler}, an authorizer whose {@code FunctionArn} names
 * no function, a route that names an unknown authorizer, two routes with one route key, and
 * features the local API does not reproduce (a second HTTP API, a route behind a JWT authorizer,
 * payload format 1.0, IAM-policy authorizer responses, identity sources other than headers and
 * query strings).
 *
 * <p>A resource with a {@code Condition} is left out when the condition is false for the
 * parameter values given (else the parameters' {@code Default}s); conditions may use
 * {@code !Equals}, {@code !Not}, {@code !And}, {@code !Or}, {@code !Condition} and {@code !Ref} of
 * a parameter. An authorizer whose {@code FunctionArn} is {@code !Ref} of a parameter is another
 * stack's (an application behind authfn's authorizer): {@link #compose} serves such a template
 * beside authfn's, that authorizer run by authfn's authorizer function.
 */
public final class SamTemplate {

    private static final String FUNCTION = "AWS::Serverless::Function";
    private static final String HTTP_API = "AWS::Serverless::HttpApi";
    private static final String NONE = "NONE";
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

    private final Map<String, Parameter> parameters;
    private final Map<String, String> resourceTypes;
    private final Map<String, FunctionSpec> functions;
    private final Map<String, AuthorizerSpec> authorizers;
    private final List<RouteSpec> routes;
    private final Map<String, String> streamConsumers;
    private final Set<String> jwtAuthorizers;
    /** For a composed template: the template each function comes from; empty otherwise. */
    private final Map<String, SamTemplate> origins;

    private SamTemplate(Map<String, Object> root, String source, Map<String, String> parameterValues) {
        parameters = parseParameters(root);
        origins = Map.of();
        jwtAuthorizers = new LinkedHashSet<>();
        Map<String, Object> resources = withoutFalseConditions(mapAt(root, "Resources", source),
                mapAt(root, "Conditions", source), parameterValues);
        resourceTypes = new LinkedHashMap<>();
        resources.forEach((id, resource) -> resourceTypes.put(id, string(map(resource, id).get("Type"), id + ".Type")));
        Map<String, Object> globals = mapAt(mapAt(root, "Globals", source), "Function", "Globals");
        functions = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            if (FUNCTION.equals(resourceTypes.get(id))) {
                functions.put(id, parseFunction(id, map(resource, id), globals));
            }
        });
        String apiId = singleHttpApi();
        Map<String, Object> apiAuth = apiId == null
                ? Map.of()
                : mapAt(mapAt(map(resources.get(apiId), apiId), "Properties", apiId), "Auth", apiId);
        authorizers = parseAuthorizers(apiId, apiAuth);
        Optional<String> defaultAuthorizer = optionalString(apiAuth.get("DefaultAuthorizer"), apiId + ".Auth.DefaultAuthorizer");
        defaultAuthorizer.ifPresent(name -> requireAuthorizer(name, apiId + ".Auth.DefaultAuthorizer"));
        routes = new ArrayList<>();
        resources.forEach((id, resource) -> {
            if (functions.containsKey(id)) {
                routes.addAll(parseRoutes(id, map(resource, id), apiId, defaultAuthorizer));
            }
        });
        requireUniqueRouteKeys();
        streamConsumers = new LinkedHashMap<>();
        functions.keySet().forEach(id -> parseStreamEvents(id, map(resources.get(id), id)));
    }

    /**
     * The functions a DynamoDB stream triggers ({@code Type: DynamoDB} events with
     * {@code Stream: !GetAtt Table.StreamArn}), each with its table's logical id, in template order.
     */
    public Map<String, String> streamConsumers() {
        return Collections.unmodifiableMap(streamConsumers);
    }

    private void parseStreamEvents(String functionId, Map<String, Object> resource) {
        mapAt(mapAt(resource, "Properties", functionId), "Events", functionId).forEach((eventId, declaration) -> {
            String where = functionId + " event " + eventId;
            Map<String, Object> event = map(declaration, where);
            if (!"DynamoDB".equals(event.get("Type"))) {
                return;
            }
            Object stream = mapAt(event, "Properties", where).get("Stream");
            if (!(stream instanceof Intrinsic.GetAtt getAtt) || !getAtt.attribute().equals("StreamArn")
                    || !"AWS::DynamoDB::Table".equals(resourceTypes.get(getAtt.resource()))) {
                throw new TemplateException(where + ": Stream must be !GetAtt <table>.StreamArn of a table in the template");
            }
            streamConsumers.put(functionId, getAtt.resource());
        });
    }

    private SamTemplate(Map<String, Parameter> parameters, Map<String, String> resourceTypes,
            Map<String, FunctionSpec> functions, Map<String, AuthorizerSpec> authorizers, List<RouteSpec> routes,
            Set<String> jwtAuthorizers, Map<String, SamTemplate> origins, Map<String, String> streamConsumers) {
        this.streamConsumers = streamConsumers;
        this.parameters = parameters;
        this.resourceTypes = resourceTypes;
        this.functions = functions;
        this.authorizers = authorizers;
        this.routes = routes;
        this.jwtAuthorizers = jwtAuthorizers;
        this.origins = origins;
        requireUniqueRouteKeys();
    }

    /** Reads and parses {@code file}, conditions evaluated on the parameters' {@code Default}s. */
    public static SamTemplate load(Path file) throws IOException {
        return load(file, Map.of());
    }

    /** Reads and parses {@code file}, conditions evaluated on {@code parameterValues} over the {@code Default}s. */
    public static SamTemplate load(Path file, Map<String, String> parameterValues) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), parameterValues);
    }

    /** Parses template text; {@code source} names it in error messages. */
    public static SamTemplate parse(String yaml, String source) {
        return parse(yaml, source, Map.of());
    }

    /** Parses template text with these parameter values for its conditions. */
    public static SamTemplate parse(String yaml, String source, Map<String, String> parameterValues) {
        return new SamTemplate(CfnYaml.load(yaml, source), source, parameterValues);
    }

    /**
     * {@code app}'s routes served beside {@code authfn}'s, as one API: each of {@code app}'s
     * authorizers whose {@code FunctionArn} is a parameter ({@link #externalAuthorizers()}) is run
     * by authfn's authorizer function. Functions keep their own template's environment (and its
     * parameters); logical ids, route keys and authorizer names must not clash, except an
     * authorizer declared alike in both.
     */
    public static SamTemplate compose(SamTemplate authfn, SamTemplate app) {
        Set<String> authfnAuthorizerFunctions = new LinkedHashSet<>();
        authfn.authorizers.values().forEach(a -> authfnAuthorizerFunctions.add(a.functionId()));
        if (authfnAuthorizerFunctions.size() != 1 || !authfn.externalAuthorizers().isEmpty()) {
            throw new TemplateException("the authfn template must declare one Lambda authorizer function; it has "
                    + authfnAuthorizerFunctions);
        }
        String authorizerFunction = authfnAuthorizerFunctions.iterator().next();
        Map<String, Parameter> parameters = new LinkedHashMap<>(authfn.parameters);
        app.parameters.forEach(parameters::putIfAbsent);
        Map<String, String> resourceTypes = new LinkedHashMap<>(authfn.resourceTypes);
        app.resourceTypes.forEach((id, type) -> {
            if (resourceTypes.containsKey(id)) {
                throw new TemplateException("both templates declare a resource " + id + "; rename one");
            }
            resourceTypes.put(id, type);
        });
        Map<String, FunctionSpec> functions = new LinkedHashMap<>(authfn.functions);
        functions.putAll(app.functions);
        Map<String, SamTemplate> origins = new LinkedHashMap<>();
        authfn.functions.keySet().forEach(id -> origins.put(id, authfn));
        app.functions.keySet().forEach(id -> origins.put(id, app));
        Map<String, AuthorizerSpec> authorizers = new LinkedHashMap<>(authfn.authorizers);
        app.authorizers.forEach((name, spec) -> {
            AuthorizerSpec bound = spec.functionArnParameter().isPresent() ? spec.boundTo(authorizerFunction) : spec;
            AuthorizerSpec earlier = authorizers.putIfAbsent(name, bound);
            if (earlier != null && !earlier.equals(bound)) {
                throw new TemplateException("both templates declare an authorizer " + name + ", differently; rename one");
            }
        });
        List<RouteSpec> routes = new ArrayList<>(authfn.routes);
        routes.addAll(app.routes);
        Set<String> jwt = new LinkedHashSet<>(authfn.jwtAuthorizers);
        jwt.addAll(app.jwtAuthorizers);
        Map<String, String> streamConsumers = new LinkedHashMap<>(authfn.streamConsumers);
        streamConsumers.putAll(app.streamConsumers);
        return new SamTemplate(parameters, resourceTypes, functions, authorizers, routes, jwt, origins, streamConsumers);
    }

    /** The authorizers run by another stack's function ({@code FunctionArn: !Ref} a parameter). */
    public List<AuthorizerSpec> externalAuthorizers() {
        return authorizers.values().stream().filter(a -> a.functionArnParameter().isPresent()).toList();
    }

    /** Parameters by name, in template order. */
    public Map<String, Parameter> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Functions by logical id, in template order. */
    public Map<String, FunctionSpec> functions() {
        return Collections.unmodifiableMap(functions);
    }

    /** The function with that logical id; {@link TemplateException} listing the functions when there is none. */
    public FunctionSpec function(String logicalId) {
        FunctionSpec function = functions.get(logicalId);
        if (function == null) {
            throw new TemplateException("no function " + logicalId + " in the template; it has " + functions.keySet());
        }
        return function;
    }

    /** The HTTP API's routes, in template order. */
    public List<RouteSpec> routes() {
        return Collections.unmodifiableList(routes);
    }

    /** The HTTP API's Lambda authorizers by name. */
    public Map<String, AuthorizerSpec> authorizers() {
        return Collections.unmodifiableMap(authorizers);
    }

    /** Logical ids of the resources of one type ({@code AWS::DynamoDB::Table}), in template order. */
    public List<String> resourcesOfType(String type) {
        return resourceTypes.entrySet().stream().filter(e -> e.getValue().equals(type)).map(Map.Entry::getKey).toList();
    }

    /**
     * The function's environment with every value resolved: {@code !Ref} of a parameter gives
     * {@code parameterValues} or the parameter's {@code Default}; {@code !Ref} of a resource gives
     * its name in {@code resourceNames}; pseudo parameters give {@link LocalAws}'s values;
     * {@code !Sub} substitutes the same. Anything else, or a name with no value, is a
     * {@link TemplateException} that names the variable and the resource.
     */
    public Map<String, String> environment(String functionId, Map<String, String> parameterValues,
            Map<String, String> resourceNames) {
        SamTemplate origin = origins.get(functionId);
        if (origin != null) {
            Map<String, String> own = new LinkedHashMap<>(parameterValues);
            own.keySet().retainAll(origin.parameters.keySet());
            return origin.environment(functionId, own, resourceNames);
        }
        parameterValues.keySet().forEach(name -> {
            if (!parameters.containsKey(name)) {
                throw new TemplateException("no parameter " + name + " in the template; it has " + parameters.keySet());
            }
        });
        Resolver resolver = new Resolver(parameterValues, resourceNames);
        Map<String, String> resolved = new LinkedHashMap<>();
        function(functionId).environment().forEach((name, value) -> {
            if (!(value instanceof Intrinsic.Ref ref && ref.name().equals("AWS::NoValue"))) {
                resolved.put(name, resolver.resolve(value, functionId + " environment variable " + name));
            }
        });
        return resolved;
    }

    private final class Resolver {
        private final Map<String, String> parameterValues;
        private final Map<String, String> resourceNames;

        Resolver(Map<String, String> parameterValues, Map<String, String> resourceNames) {
            this.parameterValues = parameterValues;
            this.resourceNames = resourceNames;
        }

        String resolve(Object value, String where) {
            return switch (value) {
                case String text -> text;
                case Number number -> number.toString();
                case Boolean bool -> bool.toString();
                case Intrinsic.Ref ref -> ref(ref.name(), where);
                case Intrinsic.Sub sub -> sub(sub, where);
                case Intrinsic.GetAtt att -> throw new TemplateException(where + ": !GetAtt " + att.resource() + "."
                        + att.attribute() + " has no local value (a local run resolves !Ref and !Sub)");
                case Intrinsic.Other other -> throw new TemplateException(where + ": !" + other.function()
                        + " is not supported by the local run (it resolves !Ref and !Sub)");
                default -> throw new TemplateException(where + ": expected a string, got " + value);
            };
        }

        private String ref(String name, String where) {
            Parameter parameter = parameters.get(name);
            if (parameter != null) {
                String value = parameterValues.get(name);
                if (value != null) {
                    return value;
                }
                return parameter.defaultValue().orElseThrow(() -> new TemplateException(
                        where + ": parameter " + name + " has no Default and no local value"));
            }
            Optional<String> pseudo = pseudoParameter(name);
            if (pseudo.isPresent()) {
                return pseudo.get();
            }
            String type = resourceTypes.get(name);
            if (type == null) {
                throw new TemplateException(where + ": !Ref " + name + " names no parameter or resource in the template");
            }
            String local = resourceNames.get(name);
            if (local == null) {
                throw new TemplateException(where + ": !Ref " + name + " (" + type
                        + ") has no local value; the local run names only " + resourceNames.keySet());
            }
            return local;
        }

        private String sub(Intrinsic.Sub sub, String where) {
            Matcher matcher = SUB_VARIABLE.matcher(sub.text());
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                String name = matcher.group(1);
                String replacement;
                if (name.startsWith("!")) {
                    replacement = "${" + name.substring(1) + "}";
                } else if (sub.variables().containsKey(name)) {
                    replacement = resolve(sub.variables().get(name), where);
                } else if (name.contains(".") && !name.startsWith("AWS::")) {
                    int dot = name.indexOf('.');
                    replacement = resolve(new Intrinsic.GetAtt(name.substring(0, dot), name.substring(dot + 1)), where);
                } else {
                    replacement = ref(name, where);
                }
                matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            matcher.appendTail(out);
            return out.toString();
        }
    }

    private static Optional<String> pseudoParameter(String name) {
        return Optional.ofNullable(switch (name) {
            case "AWS::Region" -> LocalAws.REGION;
            case "AWS::AccountId" -> LocalAws.ACCOUNT_ID;
            case "AWS::Partition" -> LocalAws.PARTITION;
            case "AWS::URLSuffix" -> LocalAws.URL_SUFFIX;
            case "AWS::StackName" -> LocalAws.STACK_NAME;
            default -> null;
        });
    }

    private static Map<String, Parameter> parseParameters(Map<String, Object> root) {
        Map<String, Parameter> parsed = new LinkedHashMap<>();
        mapAt(root, "Parameters", "template").forEach((name, declaration) -> {
            Object value = map(declaration, "Parameters." + name).get("Default");
            parsed.put(name, new Parameter(name, Optional.ofNullable(value).map(String::valueOf)));
        });
        return parsed;
    }

    private static FunctionSpec parseFunction(String id, Map<String, Object> resource, Map<String, Object> globals) {
        Map<String, Object> properties = mapAt(resource, "Properties", id);
        String handler = optionalString(properties.get("Handler"), id + ".Handler")
                .orElseThrow(() -> new TemplateException(id + ": the function has no Handler"));
        int separator = handler.indexOf("::");
        String handlerClass = separator < 0 ? handler : handler.substring(0, separator);
        Optional<String> module = optionalString(mapAt(resource, "Metadata", id).get("AuthfnModule"), id + ".Metadata.AuthfnModule");
        Map<String, Object> environment = new LinkedHashMap<>();
        for (Map<String, Object> scope : List.of(globals, properties)) {
            mapAt(mapAt(scope, "Environment", id), "Variables", id)
                    .forEach((name, value) -> environment.put(name, value == null ? "" : value));
        }
        return new FunctionSpec(id, handlerClass, module,
                integer(properties, globals, "Timeout", 3, id), integer(properties, globals, "MemorySize", 128, id),
                environment);
    }

    private String singleHttpApi() {
        List<String> apis = resourcesOfType(HTTP_API);
        if (apis.size() > 1) {
            throw new TemplateException("the template declares HTTP APIs " + apis + "; the local API serves one");
        }
        return apis.isEmpty() ? null : apis.get(0);
    }

    private Map<String, AuthorizerSpec> parseAuthorizers(String apiId, Map<String, Object> auth) {
        Map<String, AuthorizerSpec> parsed = new LinkedHashMap<>();
        mapAt(auth, "Authorizers", apiId + ".Auth").forEach((name, declaration) -> {
            String where = apiId + " authorizer " + name;
            Map<String, Object> authorizer = map(declaration, where);
            if (authorizer.containsKey("JwtConfiguration")) {
                jwtAuthorizers.add(name); // refused only when a route uses it (see requireAuthorizer)
                return;
            }
            String version = optionalString(authorizer.get("AuthorizerPayloadFormatVersion"), where)
                    .orElseThrow(() -> new TemplateException(where + ": no AuthorizerPayloadFormatVersion"));
            if (!version.equals("2.0")) {
                throw new TemplateException(where + ": payload format " + version + "; the local API runs 2.0");
            }
            if (!Boolean.TRUE.equals(authorizer.get("EnableSimpleResponses"))) {
                throw new TemplateException(where + ": IAM policy responses; the local API runs EnableSimpleResponses: true");
            }
            Map<String, Object> identity = mapAt(authorizer, "Identity", where);
            List<String> sources = new ArrayList<>();
            strings(identity.get("Headers"), where).forEach(h -> sources.add("$request.header." + h));
            strings(identity.get("QueryStrings"), where).forEach(q -> sources.add("$request.querystring." + q));
            for (String unsupported : List.of("Context", "StageVariables")) {
                if (identity.containsKey(unsupported)) {
                    throw new TemplateException(where + ": Identity." + unsupported
                            + " is not supported locally (headers and query strings are)");
                }
            }
            OptionalInt ttl = identity.get("ReauthorizeEvery") instanceof Number n ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
            Object arn = authorizer.get("FunctionArn");
            if (arn instanceof Intrinsic.Ref ref && parameters.containsKey(ref.name())) {
                parsed.put(name, new AuthorizerSpec(name, ref.name(), version, true, sources, ttl,
                        Optional.of(ref.name())));
            } else {
                parsed.put(name, new AuthorizerSpec(name, authorizerFunction(arn, where), version, true, sources, ttl));
            }
        });
        return parsed;
    }

    private String authorizerFunction(Object arn, String where) {
        String target = switch (arn) {
            case Intrinsic.Ref ref when ref.name().contains(".") -> ref.name().substring(0, ref.name().indexOf('.'));
            case Intrinsic.Ref ref -> ref.name();
            case Intrinsic.GetAtt att when att.attribute().equals("Arn") -> att.resource();
            case null -> throw new TemplateException(where + ": no FunctionArn");
            default -> throw new TemplateException(where + ": FunctionArn must be !Ref Function.Alias, !GetAtt Function.Arn"
                    + " or !Ref Function, got " + arn);
        };
        if (!functions.containsKey(target)) {
            throw new TemplateException(where + ": FunctionArn names " + target + ", which is not a function in the template");
        }
        return target;
    }

    private List<RouteSpec> parseRoutes(String functionId, Map<String, Object> resource, String apiId,
            Optional<String> defaultAuthorizer) {
        List<RouteSpec> parsed = new ArrayList<>();
        mapAt(mapAt(resource, "Properties", functionId), "Events", functionId).forEach((eventId, declaration) -> {
            String where = functionId + " event " + eventId;
            Map<String, Object> event = map(declaration, where);
            if (!"HttpApi".equals(event.get("Type"))) {
                return;
            }
            Map<String, Object> properties = mapAt(event, "Properties", where);
            Object api = properties.get("ApiId");
            if (apiId != null && !(api instanceof Intrinsic.Ref ref && ref.name().equals(apiId))) {
                throw new TemplateException(where + ": ApiId must be !Ref " + apiId + " (the local API serves one HTTP API)");
            }
            String version = optionalString(properties.get("PayloadFormatVersion"), where).orElse("2.0");
            if (!version.equals("2.0")) {
                throw new TemplateException(where + ": payload format " + version + "; the local API runs 2.0");
            }
            String method = optionalString(properties.get("Method"), where)
                    .orElseThrow(() -> new TemplateException(where + ": no Method")).toUpperCase(Locale.ROOT);
            String path = optionalString(properties.get("Path"), where)
                    .orElseThrow(() -> new TemplateException(where + ": no Path"));
            Optional<String> authorizer = optionalString(mapAt(properties, "Auth", where).get("Authorizer"), where);
            if (authorizer.isPresent() && authorizer.get().equals(NONE)) {
                authorizer = Optional.empty();
            } else if (authorizer.isPresent()) {
                requireAuthorizer(authorizer.get(), where);
            } else {
                authorizer = defaultAuthorizer;
            }
            parsed.add(new RouteSpec(functionId, eventId, method, path, authorizer));
        });
        return parsed;
    }

    private void requireAuthorizer(String name, String where) {
        if (jwtAuthorizers.contains(name)) {
            throw new TemplateException(where + ": authorizer " + name + " is a JWT authorizer; the local API runs "
                    + "Lambda authorizers only (choose a template option that routes through a Lambda authorizer)");
        }
        if (!authorizers.containsKey(name)) {
            throw new TemplateException(where + ": authorizer " + name + " is not declared; the HTTP API has "
                    + authorizers.keySet());
        }
    }

    private Map<String, Object> withoutFalseConditions(Map<String, Object> resources, Map<String, Object> conditions,
            Map<String, String> parameterValues) {
        Map<String, Object> kept = new LinkedHashMap<>();
        resources.forEach((id, resource) -> {
            Object condition = map(resource, id).get("Condition");
            if (condition == null || condition(string(condition, id + ".Condition"), conditions, parameterValues,
                    id + ".Condition")) {
                kept.put(id, resource);
            }
        });
        return kept;
    }

    private boolean condition(String name, Map<String, Object> conditions, Map<String, String> values, String where) {
        if (!conditions.containsKey(name)) {
            throw new TemplateException(where + ": no condition " + name + " in Conditions");
        }
        return truth(conditions.get(name), conditions, values, "condition " + name);
    }

    private boolean truth(Object expression, Map<String, Object> conditions, Map<String, String> values, String where) {
        if (expression instanceof Intrinsic.Other other) {
            List<?> arguments = other.argument() instanceof List<?> list ? list : List.of();
            switch (other.function()) {
                case "Equals" -> {
                    if (arguments.size() != 2) {
                        throw new TemplateException(where + ": !Equals takes two values");
                    }
                    return conditionValue(arguments.get(0), values, where).equals(conditionValue(arguments.get(1), values, where));
                }
                case "Not" -> {
                    return !truth(arguments.size() == 1 ? arguments.get(0) : null, conditions, values, where);
                }
                case "And" -> {
                    return arguments.stream().allMatch(a -> truth(a, conditions, values, where));
                }
                case "Or" -> {
                    return arguments.stream().anyMatch(a -> truth(a, conditions, values, where));
                }
                case "Condition" -> {
                    return condition(String.valueOf(other.argument()), conditions, values, where);
                }
                default -> {
                }
            }
        }
        throw new TemplateException(where + ": the local run evaluates !Equals, !Not, !And, !Or and !Condition over "
                + "!Ref of parameters, got " + expression);
    }

    private String conditionValue(Object value, Map<String, String> values, String where) {
        if (value instanceof Intrinsic.Ref ref && parameters.containsKey(ref.name())) {
            String given = values.get(ref.name());
            return given != null ? given : parameters.get(ref.name()).defaultValue().orElseThrow(() ->
                    new TemplateException(where + ": parameter " + ref.name() + " has no Default and no local value"));
        }
        return string(value, where);
    }

    private void requireUniqueRouteKeys() {
        Map<String, RouteSpec> seen = new LinkedHashMap<>();
        for (RouteSpec route : routes) {
            RouteSpec earlier = seen.putIfAbsent(route.routeKey(), route);
            if (earlier != null) {
                throw new TemplateException("route " + route.routeKey() + " is declared twice: " + earlier.functionId()
                        + " event " + earlier.eventId() + " and " + route.functionId() + " event " + route.eventId());
            }
        }
    }

    private static int integer(Map<String, Object> properties, Map<String, Object> globals, String key, int fallback,
            String where) {
        Object value = properties.containsKey(key) ? properties.get(key) : globals.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.intValue();
        }
        throw new TemplateException(where + "." + key + ": expected a number, got " + value);
    }

    private static List<String> strings(Object value, String where) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(item -> string(item, where)).toList();
        }
        throw new TemplateException(where + ": expected a list, got " + value);
    }

    private static Optional<String> optionalString(Object value, String where) {
        return value == null ? Optional.empty() : Optional.of(string(value, where));
    }

    private static String string(Object value, String where) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new TemplateException(where + ": expected a plain value, got " + value);
    }

    private static Map<String, Object> mapAt(Map<String, Object> parent, String key, String where) {
        Object value = parent.get(key);
        return value == null ? Map.of() : map(value, where + "." + key);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new TemplateException(where + ": expected a mapping, got " + value);
    }
}
