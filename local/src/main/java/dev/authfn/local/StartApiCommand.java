package dev.authfn.local;

import dev.authfn.local.template.AuthorizerSpec;
import dev.authfn.local.template.RouteSpec;
import dev.authfn.local.template.SamTemplate;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./authfn start-api}: the template's HTTP API on 127.0.0.1 until Ctrl-C. */
@Command(name = "start-api",
        header = "Serve the template's HTTP API locally, like sam local start-api.",
        description = {
            "Serves the SAM template's HTTP API on http://127.0.0.1:<port> in this process, as sam local "
                    + "start-api does but without Docker: routes, the Lambda authorizer and each function's "
                    + "environment come from the template; requests reach the handlers as the payload format 2.0 "
                    + "events API Gateway sends, the authorizer first on guarded routes. Ctrl-C stops it.",
            "",
            "Users and sessions go to DynamoDB or to memory (--store). With --dynamodb-endpoint, that "
                    + "endpoint (tables created when missing); else, with moto_server on the PATH, a moto_server "
                    + "started on a free port for the run; else the in-memory stores, which need only the JDK and "
                    + "forget everything when the run stops (the admin commands reach them through the running "
                    + "API). A key set is generated for the run unless --keys gives one. The Issuer parameter "
                    + "defaults to the local API's URL.",
            "",
            "An application behind authfn's authorizer (--template examples/orders/template.yaml) is served "
                    + "together with authfn's own routes on the one port, its authorizer run by authfn's; "
                    + "--parameter values go to each template that declares them."})
final class StartApiCommand implements Callable<Integer> {

    @Mixin
    private HelpOption help;

    static final int DEFAULT_PORT = 3000;

    private final Terminal terminal;

    @Option(names = "--port", paramLabel = "N", converter = Converters.Port.class, defaultValue = "3000",
            description = "port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE})")
    private int port;

    @Option(names = "--store", paramLabel = "memory|dynamodb", converter = Converters.Store.class,
            description = "where users and sessions go (default: dynamodb when --dynamodb-endpoint is given or "
                    + "moto_server is on the PATH, else memory)")
    private LocalStore store;

    @Mixin
    private TemplateOptions options;

    @Option(names = "--authfn-template", paramLabel = "FILE",
            description = "when --template is an application behind authfn's authorizer (its authorizer's "
                    + "FunctionArn is a parameter, as in examples/orders/template.yaml), the authfn template whose "
                    + "routes and authorizer are served beside it (default: template.yaml at the repository root)")
    private Path authfnTemplate;

    StartApiCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /** Serves until the process is stopped; returns only when interrupted. */
    @Override
    public Integer call() throws IOException {
        PrintStream out = terminal.out();
        LocalStore chosen = LocalStore.choose(Optional.ofNullable(store), options.dynamodbEndpoint(),
                terminal.environment().get("PATH"));
        // Mails go beside authfn's template, where ./authfn mail looks (for an application served
        // beside authfn, that is authfn's template, not the application's).
        Path mailsBeside = authfnTemplate != null ? authfnTemplate
                : Path.of(System.getProperty("authfn.template", options.template().toString()));
        LocalApi api = LocalApi.start(options.template(), Optional.ofNullable(authfnTemplate), port, chosen,
                options.dynamodbEndpoint(), options.keySet(), options.parameters(), options.debug, LocalTables.DEFAULT,
                terminal.err(), Optional.of(LocalState.outboxBesideTemplate(mailsBeside)));
        try {
            api.recordRun(LocalState.besideTemplate(api.authfnTemplate()));
        } catch (IOException | RuntimeException e) {
            api.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(api::close, "authfn-local-shutdown"));
        describe(api.template(), options.template(), api.baseUri(), out);
        out.println(storeLine(api) + "; key set " + options.keySetSource());
        out.println("authfn: add a user in another terminal:  ./authfn users add alice --role user --permission posts:create");
        out.println("authfn: then log in:  curl -i -X POST " + api.baseUri() + "/auth/login"
                + " -H 'content-type: application/json' -d '{\"username\":\"alice\",\"password\":\"…\"}'");
        out.println("authfn: or in a browser, on the demo page:  " + api.baseUri() + "/");
        if (api.template().parameters().containsKey("WebAuthnRpId")) {
            out.println("authfn: passkeys work on the page at " + Main.localOrigin(api.baseUri())
                    + "/ (their relying party is localhost: an IP address cannot be one)");
        }
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Which store serves, and for memory how to get DynamoDB instead. */
    private static String storeLine(LocalApi api) {
        if (api.store() == LocalStore.MEMORY) {
            return "authfn: users and sessions in memory (in-memory stores; they go when this stops). For DynamoDB: "
                    + LocalStore.THREE_WAYS;
        }
        return "authfn: DynamoDB at " + api.dynamodbEndpoint()
                + (api.startedMoto() ? " (moto_server started for this run; its data goes when it stops)" : "");
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
}
