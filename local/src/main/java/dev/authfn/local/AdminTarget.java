package dev.authfn.local;

import dev.authfn.auth.Components;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.password.PasswordPolicy;
import dev.authfn.password.policy.PasswordPolicies;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the admin commands act. Each option falls back to its {@code AUTHFN_*} variable, then to
 * the running {@code ./authfn start-api} (the file it leaves in {@code .authfn/}); with table
 * names and no endpoint, AWS with the default credential chain.
 */
final class AdminTarget {

    static final String HELP = "Target: each option falls back to the AUTHFN_* variable named, then to the running "
            + "./authfn start-api, else AWS with the default credential chain and AWS_REGION (else AWS_DEFAULT_REGION).";

    @Option(names = "--dynamodb-endpoint", paramLabel = "URL", converter = Converters.Endpoint.class,
            description = "the DynamoDB API (else AUTHFN_DYNAMODB_ENDPOINT)")
    private URI endpoint;

    @Option(names = "--users-table", paramLabel = "NAME", description = "the users table (else AUTHFN_USERS_TABLE)")
    private String usersTable;

    @Option(names = "--sessions-table", paramLabel = "NAME", description = "the sessions table (else AUTHFN_SESSIONS_TABLE)")
    private String sessionsTable;

    /**
     * The root over the chosen tables, built the way a function builds it (its stores found on the
     * classpath): an emulator gets the local run's pretend account, AWS the process's region and
     * credentials (no region is guessed). Says on stderr where it acts.
     */
    Components components(Terminal terminal) {
        if (terminal.localRoot().isPresent()) {
            return terminal.localRoot().get(); // run inside a start-api on in-memory stores
        }
        Map<String, String> env = terminal.environment();
        Map<String, String> local = localState();
        Optional<URI> uri = endpoint(env, local);
        String users = Optional.ofNullable(usersTable).or(() -> nonBlank(env.get("AUTHFN_USERS_TABLE")))
                .or(() -> Optional.ofNullable(local.get("users_table")))
                .orElseThrow(() -> new UsageException("which users table? Start ./authfn start-api, or pass"
                        + " --users-table (or set AUTHFN_USERS_TABLE) for AWS"));
        String sessions = Optional.ofNullable(sessionsTable).or(() -> nonBlank(env.get("AUTHFN_SESSIONS_TABLE")))
                .or(() -> Optional.ofNullable(local.get("sessions_table")))
                .orElseThrow(() -> new UsageException("which sessions table? Start ./authfn start-api, or pass"
                        + " --sessions-table (or set AUTHFN_SESSIONS_TABLE) for AWS"));
        terminal.err().println("authfn: using " + uri.map(URI::toString).orElse("AWS (default credentials)")
                + ", tables " + users + " and " + sessions);
        return Components.fromEnvironment(functionEnvironment(uri, users, sessions, env),
                EnumSet.of(AuthfnConfig.Requirement.USERS_TABLE, AuthfnConfig.Requirement.SESSIONS_TABLE));
    }

    /**
     * The rules for a new password ({@code users add}, {@code users passwd}) from the
     * {@code AUTHFN_PASSWORD_*} variables. Against AWS the range API is asked by default, as the
     * account routes ask it; against the local API (an emulator endpoint, or inside a
     * {@code start-api}) only when {@code AUTHFN_PASSWORD_BREACH_API} says so: local accounts are
     * not real people's, and a local run sends nothing out. A range API that does not answer is
     * reported on stderr (one JSON line). Inside a {@code start-api} the variables are that
     * process's, not the forwarding CLI's.
     */
    PasswordPolicy passwordPolicy(Terminal terminal) {
        Map<String, String> env = new HashMap<>(terminal.environment());
        boolean local = terminal.localRoot().isPresent() || endpoint(env, localState())
                .filter(uri -> !uri.getHost().endsWith("amazonaws.com")).isPresent();
        if (local && nonBlank(env.get(PasswordPolicies.ENV_BREACH_API)).isEmpty()) {
            env.put(PasswordPolicies.ENV_BREACH_API, PasswordPolicies.OFF);
        }
        return PasswordPolicies.fromEnvironment(env, terminal.err()::println);
    }

    private Optional<URI> endpoint(Map<String, String> env, Map<String, String> local) {
        return Optional.ofNullable(endpoint)
                .or(() -> nonBlank(env.get("AUTHFN_DYNAMODB_ENDPOINT")).map(AdminTarget::endpointFromEnvironment))
                .or(() -> Optional.ofNullable(local.get("dynamodb_endpoint")).map(URI::create));
    }

    private static Map<String, String> localState() {
        return new LocalState(LocalState.besideTemplate(
                Path.of(System.getProperty("authfn.template", "template.yaml")))).read().orElse(Map.of());
    }

    private static Map<String, String> functionEnvironment(Optional<URI> endpoint, String users, String sessions,
            Map<String, String> env) {
        Map<String, String> environment = new HashMap<>();
        if (endpoint.isPresent() && !endpoint.get().getHost().endsWith("amazonaws.com")) {
            environment.put("AWS_REGION", LocalAws.REGION);
            environment.put("AWS_ACCESS_KEY_ID", "test");
            environment.put("AWS_SECRET_ACCESS_KEY", "test");
        } else {
            environment.putAll(env);
            environment.keySet().removeIf(name -> name.startsWith("AUTHFN_"));
        }
        environment.put(AuthfnConfig.ENV_USERS_TABLE, users);
        environment.put(AuthfnConfig.ENV_SESSIONS_TABLE, sessions);
        endpoint.ifPresent(uri -> environment.put(AuthfnConfig.ENV_DYNAMODB_ENDPOINT, uri.toString()));
        return environment;
    }

    private static URI endpointFromEnvironment(String value) {
        return Converters.endpoint(value).orElseThrow(
                () -> new UsageException("AUTHFN_DYNAMODB_ENDPOINT must be an http(s) URL, got " + value));
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }
}
