package dev.authfn.local;

import com.nimbusds.jose.JWSAlgorithm;
import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.keys.KeySet;
import dev.authfn.auth.Components;
import dev.authfn.auth.UserAdministration;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.config.ConfigException;
import dev.authfn.core.session.SessionStore;
import dev.authfn.core.user.UserStore;
import dev.authfn.core.password.PasswordHasher;
import dev.authfn.password.Argon2idHasher;
import dev.authfn.core.session.Session;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.core.user.Usernames;
import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

/**
 * The admin CLI: users, sessions and keys, against the running local API (found through the file
 * it leaves in {@code .authfn/}) or any DynamoDB endpoint, or real AWS with the default credential
 * chain when table names are given. Passwords come from a prompt or {@code --password-stdin},
 * never from an argument. Exit 0 on success, 1 when the operation is refused, 2 on a usage error.
 */
final class Admin {

    private static final String HELP = """
            Usage:
              ./authfn users add <name> [--role R]... [--permission P]... [--password-stdin] [target]
              ./authfn users disable <name> [target]        (also ends their sessions)
              ./authfn users passwd <name> [--password-stdin] [target]   (also ends their sessions)
              ./authfn sessions list <name> [target]
              ./authfn sessions revoke-all <name> [target]
              ./authfn keys generate [--alg RS256|PS256|ES256|EdDSA|HS256]

            target (each falls back to the AUTHFN_* variable named, then to the running
            ./authfn start-api, else AWS with the default credential chain):
              --dynamodb-endpoint URL   AUTHFN_DYNAMODB_ENDPOINT
              --users-table NAME        AUTHFN_USERS_TABLE
              --sessions-table NAME     AUTHFN_SESSIONS_TABLE

            Passwords: 8 to 1024 characters, read from an interactive prompt (asked twice) or,
            with --password-stdin, from standard input (one trailing newline is dropped).
            """;

    private static final Set<String> VALUED = Set.of("--role", "--permission", "--alg", "--dynamodb-endpoint",
            "--users-table", "--sessions-table");

    private Admin() {
    }

    static int run(String command, String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        Set<String> flags = new LinkedHashSet<>();
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                out.print(HELP);
                return 0;
            } else if (arg.equals("--password-stdin")) {
                flags.add(arg);
            } else if (VALUED.contains(arg)) {
                if (i + 1 >= args.length) {
                    return usage(err, arg + " needs a value");
                }
                values.computeIfAbsent(arg, k -> new ArrayList<>()).add(args[++i]);
            } else if (arg.startsWith("-")) {
                return usage(err, "unknown option: " + arg);
            } else {
                positional.add(arg);
            }
        }
        String action = command + " " + (positional.isEmpty() ? "" : positional.get(0));
        try {
            return switch (action) {
                case "keys generate" -> keysGenerate(first(values, "--alg").orElse("RS256"), out, err);
                case "users add", "users disable", "users passwd", "sessions list", "sessions revoke-all" -> {
                    if (positional.size() != 2) {
                        yield usage(err, action + " needs exactly one user name");
                    }
                    Optional<String> username = Usernames.canonicalize(positional.get(1)).toOptional();
                    if (username.isEmpty()) {
                        yield usage(err, "not a valid user name: letters, digits and ._@+- , 1 to 64 characters");
                    }
                    Components components = Target.resolve(values, System.getenv(), err).components();
                    UserStore users = components.stores().users();
                    SessionStore sessions = components.stores().sessions();
                    UserAdministration admin = components.userAdministration();
                    yield switch (action) {
                        case "users add" -> usersAdd(users, username.get(), values, flags, stdin, out, err);
                        case "users disable" -> usersDisable(admin, username.get(), out, err);
                        case "users passwd" -> usersPasswd(users, admin, username.get(), flags, stdin, out, err);
                        case "sessions list" -> sessionsList(users, sessions, username.get(), out, err);
                        default -> sessionsRevokeAll(admin, username.get(), out, err);
                    };
                }
                default -> usage(err, "unknown command: ./authfn " + action.trim());
            };
        } catch (UsageError e) {
            return usage(err, e.getMessage());
        } catch (ConfigException e) {
            err.println("authfn: " + e.getMessage());
            return 1;
        } catch (StoreUnavailableException e) {
            err.println("authfn: the DynamoDB API did not answer (" + e.getMessage()
                    + "). Is ./authfn start-api running, or are the endpoint and tables right?");
            return 1;
        }
    }

    private static int keysGenerate(String algorithm, PrintStream out, PrintStream err) {
        JWSAlgorithm alg = JWSAlgorithm.parse(algorithm);
        if (!List.of("RS256", "PS256", "ES256", "EdDSA", "HS256").contains(alg.getName())) {
            return usage(err, "--alg must be one of RS256, PS256, ES256, EdDSA, HS256");
        }
        out.println(KeySet.generate(alg, Clock.systemUTC()).toJson());
        return 0;
    }

    private static int usersAdd(UserStore users, String username, Map<String, List<String>> values,
            Set<String> flags, InputStream stdin, PrintStream out, PrintStream err) {
        Set<String> roles = names(values.getOrDefault("--role", List.of()), "--role");
        Set<String> permissions = names(values.getOrDefault("--permission", List.of()), "--permission");
        String password = password(flags.contains("--password-stdin"), stdin, "Password for " + username);
        User user = new User(username, UUID.randomUUID().toString(), new Argon2idHasher().hash(password), roles,
                permissions, UserStatus.ACTIVE, 0, Instant.EPOCH);
        if (!users.create(user)) {
            err.println("authfn: user " + username + " exists; use ./authfn users passwd to change the password");
            return 1;
        }
        out.println("authfn: added user " + username + " (id " + user.userId() + ") with roles " + sorted(roles)
                + " and permissions " + sorted(permissions));
        return 0;
    }

    private static int usersDisable(UserAdministration admin, String username, PrintStream out, PrintStream err) {
        if (admin.disable(username).isEmpty()) {
            err.println("authfn: no user " + username);
            return 1;
        }
        out.println("authfn: disabled " + username + " and ended their sessions");
        return 0;
    }

    private static int usersPasswd(UserStore users, UserAdministration admin, String username,
            Set<String> flags, InputStream stdin, PrintStream out, PrintStream err) {
        if (users.get(username).isEmpty()) {
            err.println("authfn: no user " + username);
            return 1;
        }
        String password = password(flags.contains("--password-stdin"), stdin, "New password for " + username);
        OptionalInt ended = admin.replacePassword(username, new Argon2idHasher().hash(password));
        if (ended.isEmpty()) {
            err.println("authfn: no user " + username);
            return 1;
        }
        out.println("authfn: changed the password of " + username + " and ended " + ended.getAsInt() + " session(s)");
        return 0;
    }

    private static int sessionsList(UserStore users, SessionStore sessions, String username,
            PrintStream out, PrintStream err) {
        Optional<User> user = users.get(username);
        if (user.isEmpty()) {
            err.println("authfn: no user " + username);
            return 1;
        }
        List<Session> live = sessions.listLive(user.get().userId(), Clock.systemUTC().instant());
        out.printf("%-24s %-22s %-22s %-22s %-15s %s%n", "id", "created", "last seen", "expires", "ip", "user agent");
        for (Session session : live) {
            out.printf("%-24s %-22s %-22s %-22s %-15s %s%n", session.id(), seconds(session.createdAt()),
                    seconds(session.lastSeenAt()), seconds(session.expiresAt()), session.sourceIp(),
                    session.userAgent().replaceAll("\\p{Cntrl}", "?"));
        }
        out.println(live.size() + " live session(s)");
        return 0;
    }

    private static int sessionsRevokeAll(UserAdministration admin, String username, PrintStream out, PrintStream err) {
        OptionalInt ended = admin.endSessions(username);
        if (ended.isEmpty()) {
            err.println("authfn: no user " + username);
            return 1;
        }
        out.println("authfn: ended " + ended.getAsInt() + " session(s) of " + username);
        return 0;
    }

    /** Reads a password: standard input with --password-stdin, else the terminal, asked twice. */
    static String password(boolean fromStdin, InputStream stdin, String prompt) {
        String password;
        if (fromStdin) {
            password = stripOneNewline(readAll(stdin));
        } else {
            Console console = System.console();
            if (console == null) {
                throw new UsageError("no terminal to ask for the password: pipe it in with --password-stdin");
            }
            char[] first = console.readPassword("%s: ", prompt);
            char[] second = console.readPassword("Again: ");
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new UsageError("the passwords differ");
            }
            password = new String(first);
            Arrays.fill(first, '\0');
            Arrays.fill(second, '\0');
        }
        Optional<PasswordHasher.Rejection> rejection = PasswordHasher.check(password);
        if (rejection.isPresent()) {
            throw new UsageError("password refused: " + switch (rejection.get()) {
                case TOO_SHORT -> "shorter than 8 characters";
                case TOO_LONG -> "longer than 1024 characters";
                case NOT_UNICODE -> "not valid Unicode text";
            });
        }
        return password;
    }

    private static String readAll(InputStream stdin) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[1024];
            int read;
            while ((read = stdin.read(chunk)) > 0 && buffer.size() <= 8192) {
                buffer.write(chunk, 0, read);
            }
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageError("cannot read the password from standard input");
        }
    }

    private static String stripOneNewline(String value) {
        if (value.endsWith("\r\n")) {
            return value.substring(0, value.length() - 2);
        }
        return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }

    private static Set<String> names(List<String> given, String option) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : given) {
            if (!name.matches("[A-Za-z0-9:._/-]{1,64}")) {
                throw new UsageError(option + " " + name + ": use 1-64 of letters, digits and :._/-");
            }
            names.add(name);
        }
        return names;
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private static String seconds(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    private static Optional<String> first(Map<String, List<String>> values, String name) {
        return values.getOrDefault(name, List.of()).stream().findFirst();
    }

    private static int usage(PrintStream err, String message) {
        err.println("authfn: " + message + "\n" + HELP);
        return 2;
    }

    /** Where the admin commands act: endpoint (or AWS) and table names. */
    private record Target(Optional<URI> endpoint, String usersTable, String sessionsTable, boolean emulator) {

        static Target resolve(Map<String, List<String>> values, Map<String, String> env, PrintStream err) {
            Map<String, String> local = new LocalState(LocalState.besideTemplate(
                    Path.of(System.getProperty("authfn.template", "template.yaml")))).read().orElse(Map.of());
            Optional<String> endpoint = first(values, "--dynamodb-endpoint")
                    .or(() -> nonBlank(env.get("AUTHFN_DYNAMODB_ENDPOINT")))
                    .or(() -> Optional.ofNullable(local.get("dynamodb_endpoint")));
            String users = first(values, "--users-table").or(() -> nonBlank(env.get("AUTHFN_USERS_TABLE")))
                    .or(() -> Optional.ofNullable(local.get("users_table")))
                    .orElseThrow(() -> new UsageError("which users table? Start ./authfn start-api, or pass"
                            + " --users-table (or set AUTHFN_USERS_TABLE) for AWS"));
            String sessions = first(values, "--sessions-table").or(() -> nonBlank(env.get("AUTHFN_SESSIONS_TABLE")))
                    .or(() -> Optional.ofNullable(local.get("sessions_table")))
                    .orElseThrow(() -> new UsageError("which sessions table? Start ./authfn start-api, or pass"
                            + " --sessions-table (or set AUTHFN_SESSIONS_TABLE) for AWS"));
            Optional<URI> uri = endpoint.map(URI::create);
            boolean emulator = uri.isPresent() && !uri.get().getHost().endsWith("amazonaws.com");
            err.println("authfn: using " + uri.map(URI::toString).orElse("AWS (default credentials)")
                    + ", tables " + users + " and " + sessions);
            return new Target(uri, users, sessions, emulator);
        }

        /**
         * The root over these tables, built the way a function builds it (its stores found on the
         * classpath): an emulator gets the local run's pretend account, AWS the process's region and
         * credentials (AWS_REGION, else AWS_DEFAULT_REGION; no region is guessed).
         */
        Components components() {
            Map<String, String> environment = new HashMap<>();
            if (emulator) {
                environment.put("AWS_REGION", LocalAws.REGION);
                environment.put("AWS_ACCESS_KEY_ID", "test");
                environment.put("AWS_SECRET_ACCESS_KEY", "test");
            } else {
                environment.putAll(System.getenv());
                environment.keySet().removeIf(name -> name.startsWith("AUTHFN_"));
            }
            environment.put(AuthfnConfig.ENV_USERS_TABLE, usersTable);
            environment.put(AuthfnConfig.ENV_SESSIONS_TABLE, sessionsTable);
            endpoint.ifPresent(uri -> environment.put(AuthfnConfig.ENV_DYNAMODB_ENDPOINT, uri.toString()));
            return Components.fromEnvironment(environment,
                    EnumSet.of(AuthfnConfig.Requirement.USERS_TABLE, AuthfnConfig.Requirement.SESSIONS_TABLE));
        }

        private static Optional<String> nonBlank(String value) {
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
        }
    }

    private static Optional<String> nonBlank(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** A command line that does not fit. */
    private static final class UsageError extends RuntimeException {
        UsageError(String message) {
            super(message);
        }
    }
}
