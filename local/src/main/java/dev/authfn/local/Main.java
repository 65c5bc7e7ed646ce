package dev.authfn.local;

import dev.authfn.core.StoreUnavailableException;
import dev.authfn.core.Stores;
import dev.authfn.core.config.ConfigException;
import dev.authfn.local.runtime.HandlerLoadException;
import dev.authfn.local.runtime.HostedFunction;
import dev.authfn.local.template.FunctionSpec;
import dev.authfn.local.template.RouteSpec;
import dev.authfn.local.template.SamTemplate;
import dev.authfn.local.template.TemplateException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code ./authfn} command line, every command parsed by picocli. Exit status 0 on success,
 * 1 when the command failed (one line on stderr: a handler that threw, a store that refused or did
 * not answer, a configuration that does not hold), 2 on a usage error (with picocli's suggestions
 * for a mistyped command or option).
 */
@Command(name = "./authfn",
        header = "authfn's developer tool: local API, invoke, admin, tests and packaging.",
        synopsisSubcommandLabel = "COMMAND",
        footerHeading = "%n",
        footer = {"Every command takes --help.", "",
            "Environment:",
            "  JAVA_HOME   a JDK 21 or newer; else ./authfn uses the newest in /usr/lib/jvm"})
public final class Main implements Callable<Integer> {

    /** Handler instances per function, like that many warm Lambda execution environments. */
    public static final int INSTANCES_PER_FUNCTION = 4;

    /** The passkeys' relying party ID locally: the local API's page is at http://localhost:<port>. */
    static final String LOCAL_RP_ID = "localhost";

    private static final int FAILED = 1;
    private static final int USAGE = 2;

    @Mixin
    private HelpOption help;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, Terminal.system()));
    }

    /** Runs one command; {@code start-api} returns only when it could not start (or is interrupted). */
    static int run(String[] args, Terminal terminal) {
        Optional<Integer> forwarded;
        try {
            forwarded = LocalAdminChannel.forward(args, terminal, LocalState.besideTemplate(
                    java.nio.file.Path.of(System.getProperty("authfn.template", "template.yaml"))));
        } catch (UsageException | CommandFailedException e) {
            terminal.err().println("authfn: " + e.getMessage());
            return e instanceof UsageException ? USAGE : FAILED;
        }
        if (forwarded.isPresent()) {
            return forwarded.get();
        }
        CommandLine cli = commandLine(terminal);
        try {
            return cli.execute(args);
        } finally {
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }

    /** Every command, with the handlers that turn a usage error into status 2 and a failure into one line and 1. */
    static CommandLine commandLine(Terminal terminal) {
        Clock clock = Clock.systemUTC();
        CommandLine cli = new CommandLine(new Main())
                .addSubcommand(new StartApiCommand(terminal))
                .addSubcommand(new InvokeCommand(terminal))
                .addSubcommand(UsersCommand.commandLine(terminal))
                .addSubcommand(SessionsCommand.commandLine(terminal, clock))
                .addSubcommand(ClientsCommand.commandLine(terminal))
                .addSubcommand(KeysCommand.commandLine(terminal, clock))
                .addSubcommand(MailCommand.commandLine(terminal))
                .addSubcommand(new TestCommand(terminal))
                .addSubcommand(new MutationCommand())
                .addSubcommand(new PackageCommand(terminal))
                .addSubcommand(new CompletionCommand(terminal))
                .addSubcommand(new CommandLine.HelpCommand());
        cli.getSubcommands().get("test").setUnmatchedOptionsArePositionalParams(true);
        cli.getSubcommands().get("mutation").setUnmatchedOptionsArePositionalParams(true);
        cli.setHelpSectionKeys(synopsisFirst(cli.getHelpSectionKeys()));
        style(cli);
        cli.setOut(new PrintWriter(terminal.out(), true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(terminal.err(), true, StandardCharsets.UTF_8));
        cli.setParameterExceptionHandler(Main::usageError);
        cli.setExecutionExceptionHandler(Main::failure);
        return cli;
    }

    /** {@code ./authfn} alone: the list of commands. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** "Usage: ..." first, then the one-line header and the rest: the way man pages and git read. */
    private static List<String> synopsisFirst(List<String> sections) {
        List<String> ordered = new ArrayList<>(List.of(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING,
                CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS));
        sections.stream().filter(key -> !ordered.contains(key)).forEach(ordered::add);
        return ordered;
    }

    /** One help layout for every command: a blank line between the synopsis, the text and the lists. */
    private static void style(CommandLine command) {
        CommandSpec spec = command.getCommandSpec();
        spec.usageMessage().sortOptions(false).headerHeading("%n")
                .descriptionHeading(spec.usageMessage().description().length == 0 ? "" : "%n").parameterListHeading("%n")
                .optionListHeading(spec.positionalParameters().isEmpty() ? "%n" : "").commandListHeading("%nCommands:%n");
        command.getSubcommands().values().forEach(Main::style);
    }

    private static int usageError(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("authfn: " + shownMessage(e));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
        return USAGE;
    }

    /**
     * picocli's message, except that a command reading a password never echoes an argument it did
     * not expect: that argument may be the password, typed where it must not go.
     */
    private static String shownMessage(ParameterException e) {
        boolean takesPassword = e.getCommandLine().getCommandSpec().findOption("--password-stdin") != null;
        if (takesPassword && e instanceof UnmatchedArgumentException) {
            return "unknown option or extra argument (not shown: it may be a password, which comes only from "
                    + "the prompt or --password-stdin)";
        }
        return e.getMessage();
    }

    /** An expected failure is one line without a stack trace; anything else is a bug and keeps its trace. */
    private static int failure(Exception e, CommandLine command, ParseResult parsed) throws Exception {
        PrintWriter err = command.getErr();
        if (e instanceof UsageException) {
            err.println("authfn: " + e.getMessage());
            err.println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
            return USAGE;
        }
        err.println("authfn: " + failureMessage(e).orElseThrow(() -> e));
        return FAILED;
    }

    private static Optional<String> failureMessage(Exception e) {
        if (e instanceof CommandFailedException || e instanceof ConfigException || e instanceof TemplateException
                || e instanceof HandlerLoadException) {
            return Optional.of(e.getMessage());
        }
        if (e instanceof StoreUnavailableException) {
            return Optional.of("the DynamoDB API did not answer (" + e.getMessage()
                    + "). Is ./authfn start-api running, or are the endpoint and tables right?");
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            return Optional.of(e.toString());
        }
        return Optional.empty();
    }

    /**
     * What this run binds the template to: tables and the secret named by logical id, the
     * {@code Issuer} parameter set to the local API's URL, the passkeys' relying party
     * ({@code WebAuthnRpId}, {@code WebAuthnOrigins}) to {@code localhost} and
     * {@code http://localhost:<port>}, then the command line's parameters.
     * Local infrastructure (a DynamoDB emulator, its tables, a generated key set) extends the
     * returned environment with {@link LocalEnvironment#withResourceName} and
     * {@link LocalEnvironment#withVariable}.
     */
    static LocalEnvironment localEnvironment(SamTemplate template, Map<String, String> parameters, URI baseUri) {
        LocalEnvironment environment = LocalEnvironment.namedByLogicalId(template);
        if (template.parameters().containsKey("Issuer")) {
            environment = environment.withParameter("Issuer", baseUri.toString());
        }
        // Locally anyone may sign up, and must verify (docs/API.md §15): the mails go to the run's outbox.
        if (template.parameters().containsKey("Signup")) {
            environment = environment.withParameter("Signup", "verified");
        }
        if (template.parameters().containsKey("MailLinkBase")) {
            environment = environment.withParameter("MailLinkBase", baseUri + "/");
        }
        // No network here but the package registries: the offline list alone, unless asked.
        if (template.parameters().containsKey("PasswordBreachApi")) {
            environment = environment.withParameter("PasswordBreachApi", "off");
        }
        if (template.parameters().containsKey("MailFrom")) {
            environment = environment.withParameter("MailFrom", "authfn@mail.localhost");
        }
        // An IP address is no WebAuthn RP ID, so the issuer's 127.0.0.1 cannot be the passkeys'
        // relying party: they are for the same API reached as http://localhost:<port>, which
        // browsers count as a secure context (and so let run the ceremonies over plain http).
        if (template.parameters().containsKey("WebAuthnRpId")) {
            environment = environment.withParameter("WebAuthnRpId", LOCAL_RP_ID);
        }
        if (template.parameters().containsKey("WebAuthnOrigins")) {
            environment = environment.withParameter("WebAuthnOrigins", localOrigin(baseUri));
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

    /** {@code http://localhost:<port>}: the local API under the name the passkeys' relying party is. */
    static String localOrigin(URI baseUri) {
        return "http://" + LOCAL_RP_ID + ":" + baseUri.getPort();
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
        return host(template, environment, Optional.empty(), ids, log);
    }

    /** As {@link #host(SamTemplate, LocalEnvironment, Collection, PrintStream)}, every function on {@code stores} when given. */
    static Map<String, HostedFunction> host(SamTemplate template, LocalEnvironment environment, Optional<Stores> stores,
            Collection<String> ids, PrintStream log) {
        Map<String, HostedFunction> hosted = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (String id : ids) {
            FunctionSpec spec = template.function(id);
            try {
                hosted.put(id, HostedFunction.load(spec, environment.functionEnvironment(template, spec), stores,
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

}
