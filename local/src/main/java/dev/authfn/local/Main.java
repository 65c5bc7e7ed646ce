package dev.authfn.local;

import dev.authfn.local.runtime.HandlerLoadException;
import dev.authfn.local.runtime.HostedFunction;
import dev.authfn.local.template.AuthorizerSpec;
import dev.authfn.local.template.FunctionSpec;
import dev.authfn.local.template.RouteSpec;
import dev.authfn.local.template.SamTemplate;
import dev.authfn.local.template.TemplateException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The local tool's command line: {@code start-api} and {@code invoke}, run by {@code ./authfn}.
 * Exit status 2 means the command line, the template or a handler class is wrong; {@code invoke}
 * exits 1 when the handler throws.
 */
public final class Main {

    /** Handler instances per function, like that many warm Lambda execution environments. */
    public static final int INSTANCES_PER_FUNCTION = 4;

    private static final int DEFAULT_PORT = 3000;
    private static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            Usage: ./authfn <command> [options]

            Commands:
              start-api   Serve the template's HTTP API on 127.0.0.1, like sam local start-api.
              invoke      Call one function once with an event file, like sam local invoke.
              users       add | disable | passwd: manage users (local API or AWS).
              sessions    list | revoke-all: a user's sessions (local API or AWS).
              keys        generate: print a new key set.

            Every command takes --help.
            """;

    private static final String START_API_HELP = """
            Usage: ./authfn start-api [--port 3000] [--dynamodb-endpoint URL] [--keys FILE] [--template template.yaml]
                                      [--parameter Name=Value]... [--debug]

            Serves the SAM template's HTTP API on http://127.0.0.1:<port> in this process, as
            sam local start-api does but without Docker: routes, the Lambda authorizer and each
            function's environment come from the template; requests reach the handlers as the
            payload format 2.0 events API Gateway sends, the authorizer first on guarded routes.

            Without --dynamodb-endpoint it starts moto_server on a free port, creates the
            tables there and stops it on exit; with it, it uses that endpoint (LocalStack,
            DynamoDB Local, AWS) and creates the tables when missing. A key set is generated
            for the run unless --keys gives one (see ./authfn keys generate).

              --port N                 port to listen on; 0 picks a free one (default 3000)
              --dynamodb-endpoint URL  use this DynamoDB API instead of starting moto_server
              --keys FILE              the key set JSON to use instead of a generated one
              --template FILE          the SAM template (default: template.yaml)
              --parameter N=V          value for a template parameter, over its Default (repeatable);
                                       Issuer defaults to the local API's URL
              --debug                  log the stack trace of a failing handler
            """;

    private static final String INVOKE_HELP = """
            Usage: ./authfn invoke <LogicalId> -e <event.json> [--dynamodb-endpoint URL] [--keys FILE]
                                   [--template template.yaml] [--parameter Name=Value]... [--debug]

            Calls one function's handler once, as sam local invoke does without Docker: the event
            file is read into the handler's input type as the Lambda Java runtime reads it, and the
            result is printed as JSON on stdout. Exits 1 when the handler throws, with the
            exception's class and message on stderr.

            DynamoDB: --dynamodb-endpoint, else the running ./authfn start-api's, else a moto_server
            started for this call (empty tables). The key set: --keys, else one generated for the call.

              -e, --event FILE    the event JSON (for example events/login-json.json)
              --template FILE     the SAM template (default: template.yaml)
              --parameter N=V     value for a template parameter, over its Default (repeatable);
                                  Issuer defaults to http://127.0.0.1:3000
              --debug             print the handler's stack trace when it throws
            """;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; {@code start-api} returns only when it could not start (or is interrupted). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = args.length == 0 ? "--help" : args[0];
        String[] rest = List.of(args).subList(Math.min(1, args.length), args.length).toArray(String[]::new);
        try {
            return switch (command) {
                case "start-api" -> startApi(Options.parse(rest,
                        Set.of("--port", "--template", "--parameter", "--dynamodb-endpoint", "--keys")), out, err);
                case "invoke" -> invoke(Options.parse(rest,
                        Set.of("--event", "--template", "--parameter", "--dynamodb-endpoint", "--keys")), out, err);
                case "users", "sessions", "keys" -> Admin.run(command, rest, System.in, out, err);
                case "-h", "--help", "help" -> {
                    out.print(USAGE_TEXT);
                    yield 0;
                }
                default -> throw new UsageException("unknown command: " + command + "\n" + USAGE_TEXT);
            };
        } catch (UsageException | TemplateException | HandlerLoadException e) {
            err.println("authfn: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("authfn: " + e);
            return USAGE;
        }
    }

    private static int startApi(Options options, PrintStream out, PrintStream err) throws IOException {
        if (options.help()) {
            out.print(START_API_HELP);
            return 0;
        }
        options.requirePositional(0, START_API_HELP);
        int port = options.port(DEFAULT_PORT);
        Optional<URI> endpoint = options.value("--dynamodb-endpoint").map(Main::endpoint);
        Optional<String> keys = options.value("--keys").map(Main::readKeys);
        LocalApi api = LocalApi.start(options.template(), port, endpoint, keys, options.parameters(), options.debug(), err);
        try {
            api.recordRun(LocalState.besideTemplate(options.template()));
        } catch (IOException | RuntimeException e) {
            api.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(api::close, "authfn-local-shutdown"));
        describe(api.template(), options.template(), api.baseUri(), out);
        out.println("authfn: DynamoDB at " + api.dynamodbEndpoint()
                + (api.startedMoto() ? " (moto_server started for this run; its data goes when it stops)" : "")
                + "; key set " + (keys.isPresent() ? "from " + options.value("--keys").get() : "generated for this run"));
        out.println("authfn: add a user in another terminal:  ./authfn users add alice --role user --permission posts:create");
        out.println("authfn: then log in:  curl -i -X POST " + api.baseUri() + "/auth/login"
                + " -H 'content-type: application/json' -d '{\"username\":\"alice\",\"password\":\"…\"}'");
        out.println("authfn: or in a browser, on the demo page:  " + api.baseUri() + "/");
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static int invoke(Options options, PrintStream out, PrintStream err) throws IOException {
        if (options.help()) {
            out.print(INVOKE_HELP);
            return 0;
        }
        options.requirePositional(1, INVOKE_HELP);
        Path event = options.value("--event").map(Path::of)
                .orElseThrow(() -> new UsageException("invoke needs -e <event.json>\n" + INVOKE_HELP));
        Optional<URI> given = options.value("--dynamodb-endpoint").map(Main::endpoint);
        Optional<String> keys = options.value("--keys").map(Main::readKeys);
        SamTemplate template = SamTemplate.load(options.template());
        // The running start-api's DynamoDB, when there is one, so the users it has are the ones invoked against.
        Optional<URI> endpoint = given.or(() -> new LocalState(LocalState.besideTemplate(options.template())).read()
                .map(state -> state.get("dynamodb_endpoint")).map(URI::create));
        // The command line's parameters are checked before any emulator starts.
        LocalEnvironment base = localEnvironment(template, options.parameters(), URI.create("http://127.0.0.1:" + DEFAULT_PORT));
        try (LocalInfrastructure infrastructure = LocalInfrastructure.start(template, endpoint, keys, err)) {
            LocalEnvironment environment = infrastructure.bind(base);
            return new Invoke(template, environment).run(options.positional().get(0), event, options.debug(), out, err);
        }
    }

    /**
     * What this run binds the template to: tables and the secret named by logical id, the
     * {@code Issuer} parameter set to the local API's URL, then the command line's parameters.
     * Local infrastructure (a DynamoDB emulator, its tables, a generated key set) extends the
     * returned environment with {@link LocalEnvironment#withResourceName} and
     * {@link LocalEnvironment#withVariable}.
     */
    static LocalEnvironment localEnvironment(SamTemplate template, Map<String, String> parameters, URI baseUri) {
        LocalEnvironment environment = LocalEnvironment.namedByLogicalId(template);
        if (template.parameters().containsKey("Issuer")) {
            environment = environment.withParameter("Issuer", baseUri.toString());
        }
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            if (!template.parameters().containsKey(parameter.getKey())) {
                throw new UsageException("--parameter " + parameter.getKey() + ": the template has no such parameter; it has "
                        + template.parameters().keySet());
            }
            environment = environment.withParameter(parameter.getKey(), parameter.getValue());
        }
        return environment;
    }

    private static URI endpoint(String value) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() != null && (uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                    && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new UsageException("--dynamodb-endpoint must be an http(s) URL, got " + value);
    }

    private static String readKeys(String file) {
        try {
            return java.nio.file.Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UsageException("--keys: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The functions the API calls: every route's and every authorizer a route uses. */
    static Set<String> servedFunctions(SamTemplate template) {
        Set<String> ids = new LinkedHashSet<>();
        for (RouteSpec route : template.routes()) {
            ids.add(route.functionId());
            route.authorizer().map(name -> template.authorizers().get(name).functionId()).ifPresent(ids::add);
        }
        return ids;
    }

    /** Loads every function's handler class, reporting all that fail at once. */
    static Map<String, HostedFunction> host(SamTemplate template, LocalEnvironment environment, Collection<String> ids,
            PrintStream log) {
        Map<String, HostedFunction> hosted = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String id : ids) {
            FunctionSpec spec = template.function(id);
            try {
                hosted.put(id, HostedFunction.load(spec, environment.functionEnvironment(template, spec),
                        Main.class.getClassLoader(), INSTANCES_PER_FUNCTION, log));
            } catch (TemplateException | HandlerLoadException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new HandlerLoadException("cannot host the template's functions:\n  " + String.join("\n  ", problems));
        }
        return hosted;
    }

    private static void describe(SamTemplate template, Path file, URI baseUri, PrintStream out) {
        out.println("authfn: serving " + file + " on " + baseUri + " (Ctrl-C stops)");
        for (RouteSpec route : template.routes()) {
            out.printf("  %-7s %-38s %s%s%n", route.method(), route.path(), route.functionId(),
                    route.authorizer().map(name -> " (authorizer " + name + ")").orElse(" (public)"));
        }
        for (AuthorizerSpec authorizer : template.authorizers().values()) {
            if (authorizer.reauthorizeEverySeconds().orElse(0) > 0) {
                out.println("authfn: authorizer " + authorizer.name() + " caches results for "
                        + authorizer.reauthorizeEverySeconds().getAsInt() + " s in AWS; locally it runs on every request");
            }
        }
    }

    /** A command line that does not fit the command. */
    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    /** Options after the command: {@code --name value}, {@code --name=value}, flags, positional arguments. */
    private record Options(List<String> positional, Map<String, List<String>> values, Set<String> flags) {

        private static final Set<String> FLAGS = Set.of("--help", "--debug");

        static Options parse(String[] args, Set<String> valued) {
            List<String> positional = new ArrayList<>();
            Map<String, List<String>> values = new HashMap<>();
            Set<String> flags = new LinkedHashSet<>();
            for (int i = 0; i < args.length; i++) {
                String arg = switch (args[i]) {
                    case "-h" -> "--help";
                    case "-e" -> "--event";
                    default -> args[i];
                };
                String inline = null;
                int equals = arg.indexOf('=');
                if (arg.startsWith("--") && equals > 0) {
                    inline = arg.substring(equals + 1);
                    arg = arg.substring(0, equals);
                }
                if (FLAGS.contains(arg) && inline == null) {
                    flags.add(arg);
                } else if (valued.contains(arg)) {
                    if (inline == null && i + 1 >= args.length) {
                        throw new UsageException(arg + " needs a value");
                    }
                    values.computeIfAbsent(arg, k -> new ArrayList<>()).add(inline != null ? inline : args[++i]);
                } else if (arg.startsWith("-")) {
                    throw new UsageException("unknown option: " + args[i] + " (see --help)");
                } else {
                    positional.add(arg);
                }
            }
            return new Options(positional, values, flags);
        }

        boolean help() {
            return flags.contains("--help");
        }

        boolean debug() {
            return flags.contains("--debug");
        }

        Optional<String> value(String name) {
            List<String> given = values.getOrDefault(name, List.of());
            if (given.size() > 1) {
                throw new UsageException(name + " given more than once");
            }
            return given.stream().findFirst();
        }

        void requirePositional(int count, String help) {
            if (positional.size() != count) {
                throw new UsageException((count == 0 ? "unexpected argument: " + positional.get(0)
                        : "expected " + count + " argument(s), got " + positional) + "\n" + help);
            }
        }

        Path template() {
            return Path.of(value("--template").orElse(System.getProperty("authfn.template", "template.yaml")));
        }

        int port(int fallback) {
            String port = value("--port").orElse(Integer.toString(fallback));
            try {
                int parsed = Integer.parseInt(port);
                if (parsed >= 0 && parsed <= 65535) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new UsageException("--port must be a number from 0 to 65535, got " + port);
        }

        Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String assignment : values.getOrDefault("--parameter", List.of())) {
                int equals = assignment.indexOf('=');
                if (equals <= 0) {
                    throw new UsageException("--parameter takes Name=Value, got " + assignment);
                }
                parameters.put(assignment.substring(0, equals), assignment.substring(equals + 1));
            }
            return parameters;
        }
    }
}
