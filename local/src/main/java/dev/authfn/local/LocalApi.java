package dev.authfn.local;

import dev.authfn.auth.Components;
import dev.authfn.core.config.AuthfnConfig;
import dev.authfn.core.keys.KeySet;
import dev.authfn.local.api.EventFactory;
import dev.authfn.local.api.LocalApiServer;
import dev.authfn.local.api.StaticFiles;
import dev.authfn.local.runtime.HostedFunction;
import dev.authfn.local.template.SamTemplate;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running local API — what {@code ./authfn start-api} serves — as an object: the template's
 * routes on {@code http://127.0.0.1:<port>}, its functions hosted in this process, DynamoDB at an
 * endpoint given or a moto server started for it (tables created), a key set given or generated.
 * End-to-end tests start one per test class; {@link StartApiCommand} wraps one for the command line.
 *
 * <p>It writes no {@code .authfn/local-api.json}: that file tells the admin CLI where <em>the</em>
 * local API of a checkout is, and a test or tool that starts its own API must not point the
 * developer's CLI at it (or delete the file of the API they are running). Only
 * {@code ./authfn start-api} records its run there (through the package-private
 * {@link #recordRun}), and then {@link #close} deletes the file.
 *
 * <pre>{@code
 * try (LocalApi api = LocalApi.start(Path.of("template.yaml"), 0, Optional.empty(), Optional.empty(),
 *         Map.of(), System.err)) {
 *     HttpRequest login = HttpRequest.newBuilder(api.baseUri().resolve("/auth/login")) ...
 * }
 * }</pre>
 */
public final class LocalApi implements AutoCloseable {

    private final SamTemplate template;
    private final LocalApiServer server;
    private final LocalInfrastructure infrastructure;
    private final Optional<LocalAdminChannel> admin;
    private final Optional<MailDriver> mailDriver;
    private final Path mailDirectory;
    private final boolean temporaryMailDirectory;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Path authfnTemplate;

    private LocalApi(SamTemplate template, LocalApiServer server, LocalInfrastructure infrastructure,
            Optional<LocalAdminChannel> admin, Optional<MailDriver> mailDriver, Path mailDirectory,
            boolean temporaryMailDirectory, Path authfnTemplate) {
        this.temporaryMailDirectory = temporaryMailDirectory;
        this.authfnTemplate = authfnTemplate;
        this.template = template;
        this.server = server;
        this.infrastructure = infrastructure;
        this.admin = admin;
        this.mailDriver = mailDriver;
        this.mailDirectory = mailDirectory;
    }

    /**
     * As {@link #start(Path, int, Optional, Optional, Map, boolean, PrintStream)} without stack
     * traces in the log.
     */
    public static LocalApi start(Path template, int port, Optional<URI> dynamodbEndpoint, Optional<String> keySetJson,
            Map<String, String> parameters, PrintStream log) throws IOException {
        return start(template, port, dynamodbEndpoint, keySetJson, parameters, false, log);
    }

    /**
     * Binds the port, starts (or connects to) DynamoDB and creates the tables, hosts every function
     * the template's routes and authorizers name, and serves. On failure nothing is left running.
     *
     * @param template         the SAM template ({@code template.yaml})
     * @param port             the port on 127.0.0.1; {@code 0} picks a free one (see {@link #baseUri()})
     * @param dynamodbEndpoint a DynamoDB API to use (LocalStack, DynamoDB Local, AWS); empty starts
     *                         {@code moto_server} from the PATH, stopped by {@link #close()}
     * @param keySetJson       the key set (JWK set JSON) the functions use; empty generates one
     * @param parameters       template parameter values over their defaults; {@code Issuer}
     *                         defaults to the API's own URL
     * @param stackTraces      whether a failing handler's stack trace goes to the log too
     * @param log              where access lines, the handlers' log lines and failures go
     * @throws IOException when the port cannot be bound, the template read, or DynamoDB reached
     * @throws dev.authfn.local.template.TemplateException when the template is wrong
     * @throws dev.authfn.local.runtime.HandlerLoadException when a handler cannot be hosted
     */
    public static LocalApi start(Path template, int port, Optional<URI> dynamodbEndpoint, Optional<String> keySetJson,
            Map<String, String> parameters, boolean stackTraces, PrintStream log) throws IOException {
        return start(template, port, dynamodbEndpoint, keySetJson, parameters, stackTraces, LocalTables.DEFAULT, log);
    }

    /**
     * As {@link #start(Path, int, Optional, Optional, Map, boolean, PrintStream)}, with tables of
     * the given names: tests that share one DynamoDB API (moto for the whole run, LocalStack, AWS)
     * give each API its own.
     */
    public static LocalApi start(Path template, int port, Optional<URI> dynamodbEndpoint, Optional<String> keySetJson,
            Map<String, String> parameters, boolean stackTraces, LocalTables tables, PrintStream log)
            throws IOException {
        return start(template, port, LocalStore.DYNAMODB, dynamodbEndpoint, keySetJson, parameters, stackTraces, tables,
                log, Optional.empty());
    }

    /**
     * The API on the store given: {@link LocalStore#DYNAMODB} as above, or {@link LocalStore#MEMORY}
     * (no endpoint: every function shares one set of in-memory stores, and the admin CLI reaches
     * them through a {@link LocalAdminChannel} that {@link #recordRun} records).
     *
     * @param mailDirectory where the mailer writes mails ({@code ./authfn start-api}: the
     *     {@code .authfn/outbox} that {@code ./authfn mail} reads); empty makes a temporary one,
     *     deleted by {@link #close()}
     */
    public static LocalApi start(Path template, int port, LocalStore store, Optional<URI> dynamodbEndpoint,
            Optional<String> keySetJson, Map<String, String> parameters, boolean stackTraces, LocalTables tables,
            PrintStream log, Optional<Path> mailDirectory) throws IOException {
        return start(template, Optional.empty(), port, store, dynamodbEndpoint, keySetJson, parameters, stackTraces,
                tables, log, mailDirectory);
    }

    /**
     * As above; when {@code template} is an application behind authfn's authorizer (an authorizer
     * whose {@code FunctionArn} is {@code !Ref} of a parameter, like {@code examples/orders}), its
     * routes are served together with those of {@code authfnTemplate} (default: the
     * {@code authfn.template} system property, which {@code ./authfn} sets to the repository's
     * {@code template.yaml}), that authorizer run by authfn's authorizer function
     * ({@link SamTemplate#compose}); {@code parameters} go to each template that declares them.
     */
    public static LocalApi start(Path template, Optional<Path> authfnTemplate, int port, LocalStore store,
            Optional<URI> dynamodbEndpoint, Optional<String> keySetJson, Map<String, String> parameters,
            boolean stackTraces, LocalTables tables, PrintStream log, Optional<Path> mailDirectory) throws IOException {
        SamTemplate given = SamTemplate.load(template, parameters);
        SamTemplate loaded = given;
        Path stateTemplate = template;
        if (!given.externalAuthorizers().isEmpty()) {
            Path authfn = authfnTemplate.orElseGet(() -> Path.of(System.getProperty("authfn.template", "template.yaml")));
            if (!java.nio.file.Files.isRegularFile(authfn)) {
                throw new dev.authfn.local.template.TemplateException(template + ": its authorizer "
                        + given.externalAuthorizers().getFirst().name() + " is another stack's (FunctionArn: !Ref "
                        + given.externalAuthorizers().getFirst().functionArnParameter().orElseThrow()
                        + "), and authfn's template to serve beside it is not at " + authfn + " (--authfn-template)");
            }
            loaded = SamTemplate.compose(SamTemplate.load(authfn, parameters), given);
            stateTemplate = authfn;
        }
        // The port first: a port in use fails before moto starts.
        LocalApiServer server = LocalApiServer.bind(port, log, stackTraces);
        LocalInfrastructure infrastructure;
        try {
            infrastructure = store == LocalStore.MEMORY
                    ? LocalInfrastructure.startInMemory(keySetJson)
                    : LocalInfrastructure.start(loaded, dynamodbEndpoint, keySetJson, tables, log);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        LocalAdminChannel admin = null;
        MailDriver mailDriver = null;
        Path mails = null;
        try {
            mails = mailDirectory.isPresent() ? Files.createDirectories(mailDirectory.get())
                    : Files.createTempDirectory("authfn-mail-");
            LocalEnvironment environment = infrastructure.bind(
                    Main.localEnvironment(loaded, parameters, server.baseUri()))
                    .withVariable(MAIL_OUTBOX_VARIABLE, mails.toString());
            Map<String, HostedFunction> functions =
                    Main.host(loaded, environment, infrastructure.memoryStores(), Main.servedFunctions(loaded), log);
            mailDriver = mailDriver(loaded, environment, infrastructure, log).orElse(null);
            if (store == LocalStore.MEMORY) {
                admin = LocalAdminChannel.start(adminRoot(infrastructure), System.getenv(), new SecureRandom());
            }
            if (mailDriver != null) {
                MailDriver driver = mailDriver;
                Set<String> writers = outboxWriters(loaded, environment);
                server.afterInvocation(functionId -> {
                    if (writers.contains(functionId)) {
                        driver.nudge();
                    }
                });
            }
            server.start(loaded, functions, new EventFactory(Clock.systemUTC()), StaticFiles.demoPage());
        } catch (IOException | RuntimeException e) {
            server.close();
            if (mailDriver != null) {
                mailDriver.close();
            }
            if (admin != null) {
                admin.close();
            }
            infrastructure.close();
            throw e;
        }
        return new LocalApi(loaded, server, infrastructure, Optional.ofNullable(admin), Optional.ofNullable(mailDriver),
                mails, mailDirectory.isEmpty(), stateTemplate);
    }

    /** The functions whose environment names an outbox table: after each of their invocations the driver delivers. */
    private static Set<String> outboxWriters(SamTemplate template, LocalEnvironment environment) {
        Set<String> writers = new java.util.HashSet<>();
        template.functions().forEach((id, spec) -> {
            String table = environment.functionEnvironment(template, spec).get("AUTHFN_OUTBOX_TABLE");
            if (table != null && !table.isBlank()) {
                writers.add(id);
            }
        });
        return writers;
    }

    /** Where the mailer function writes locally ({@code dev.authfn.functions.mailer.MailerHandler#ENV_MAIL_OUTBOX}). */
    static final String MAIL_OUTBOX_VARIABLE = "AUTHFN_MAIL_OUTBOX";

    /**
     * Hosts the function the outbox table's stream triggers, if the template has one, and a
     * driver that feeds it what the account routes write there.
     */
    private static Optional<MailDriver> mailDriver(SamTemplate template, LocalEnvironment environment,
            LocalInfrastructure infrastructure, PrintStream log) {
        Optional<String> consumer = template.streamConsumers().entrySet().stream()
                .filter(entry -> entry.getValue().equals("OutboxTable")).map(Map.Entry::getKey).findFirst();
        if (consumer.isEmpty()) {
            return Optional.empty();
        }
        HostedFunction mailer = Main.host(template, environment, infrastructure.memoryStores(), List.of(consumer.get()),
                log).get(consumer.get());
        return Optional.of(new MailDriver(infrastructure.outbox(), mailer, log));
    }

    /**
     * The directory the mailer writes this run's mails to, one JSON file each (what
     * {@code ./authfn mail} reads); a temporary one is deleted by {@link #close()}.
     */
    public Path mailDirectory() {
        return mailDirectory;
    }

    /** Delivers every waiting mail request now, instead of at the driver's next round; for tests. */
    public void deliverMail() {
        mailDriver.ifPresent(MailDriver::drain);
    }

    /** What the admin commands act on in a memory run: its stores, the run's key set, the default settings. */
    private static Components adminRoot(LocalInfrastructure infrastructure) {
        KeySet keys = KeySet.parse(infrastructure.keySetJson());
        return Components.of(AuthfnConfig.fromEnvironment(Map.of(), EnumSet.noneOf(AuthfnConfig.Requirement.class)),
                infrastructure.memoryStores().orElseThrow(), () -> keys, Clock.systemUTC());
    }

    private void deleteMails() {
        try (var files = Files.list(mailDirectory)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(mailDirectory);
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public URI baseUri() {
        return server.baseUri();
    }

    /** Where users and sessions are kept. */
    public LocalStore store() {
        return infrastructure.store();
    }

    /**
     * The DynamoDB endpoint the functions use: the one given, or the moto server started for this API.
     *
     * @throws IllegalStateException on {@link LocalStore#MEMORY}
     */
    public URI dynamodbEndpoint() {
        return infrastructure.endpoint();
    }

    /** True when this API started moto itself (and stops it on {@link #close()}). */
    public boolean startedMoto() {
        return infrastructure.startedMoto();
    }

    /** The users table's name at {@link #dynamodbEndpoint()}. */
    public String usersTable() {
        return infrastructure.tables().users();
    }

    /** The sessions table's name at {@link #dynamodbEndpoint()}. */
    public String sessionsTable() {
        return infrastructure.tables().sessions();
    }

    /**
     * The authfn template this API serves: the template given, or for an application behind
     * authfn's authorizer the authfn template served beside it (the admin CLI finds the run's
     * state file beside this one).
     */
    public Path authfnTemplate() {
        return authfnTemplate;
    }

    /** The template this API serves (composed with authfn's, for an application behind authfn's authorizer). */
    public SamTemplate template() {
        return template;
    }

    /**
     * Writes {@code stateFile} ({@code .authfn/local-api.json}) for the admin CLI; {@link #close()}
     * deletes it. Only {@code ./authfn start-api} calls this.
     */
    void recordRun(Path stateFile) throws IOException {
        infrastructure.recordRun(stateFile, baseUri(), admin, mailDirectory);
    }

    /** Stops serving, stops moto when this API started it, and deletes the state file if one was written. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                server.close();
                mailDriver.ifPresent(MailDriver::close);
                admin.ifPresent(LocalAdminChannel::close);
            } finally {
                infrastructure.close();
                if (temporaryMailDirectory) {
                    deleteMails();
                }
            }
        }
    }
}
