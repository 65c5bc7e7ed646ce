package dev.authfn.local;

import dev.authfn.local.template.SamTemplate;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./authfn invoke}: one function, one event, like {@code sam local invoke}. */
@Command(name = "invoke",
        header = "Call one function with an event file, like sam local invoke.",
        description = {
            "Calls one function's handler once, as sam local invoke does without Docker: the event file is "
                    + "read into the handler's input type as the Lambda Java runtime reads it, and the result "
                    + "is printed as JSON on stdout. Exits 1 when the handler throws, with the exception's "
                    + "class and message on stderr; 2 when the event does not fit the handler's input type.",
            "",
            "DynamoDB: --dynamodb-endpoint, else the running ./authfn start-api's, else a moto_server started "
                    + "for this call (empty tables). The key set: --keys, else one generated for the call. "
                    + "The Issuer parameter defaults to http://127.0.0.1:3000."})
final class InvokeCommand implements Callable<Integer> {

    @Mixin
    private HelpOption help;

    private final Terminal terminal;

    @Parameters(paramLabel = "LogicalId", description = "the function's logical id in the template, e.g. LoginFunction")
    private String logicalId;

    @Option(names = {"-e", "--event"}, paramLabel = "FILE", required = true,
            description = "the event JSON, e.g. events/login-json.json")
    private Path event;

    @Mixin
    private TemplateOptions options;

    InvokeCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws IOException {
        Optional<String> keys = options.keySet();
        SamTemplate template = SamTemplate.load(options.template());
        // The running start-api's DynamoDB, when there is one, so the users it has are the ones invoked against.
        Optional<URI> endpoint = options.dynamodbEndpoint().or(() -> new LocalState(LocalState.besideTemplate(options.template()))
                .read().map(state -> state.get("dynamodb_endpoint")).map(URI::create));
        // The command line's parameters are checked before any emulator starts.
        LocalEnvironment base = Main.localEnvironment(template, options.parameters(),
                URI.create("http://127.0.0.1:" + StartApiCommand.DEFAULT_PORT));
        try (LocalInfrastructure infrastructure = LocalInfrastructure.start(template, endpoint, keys, terminal.err())) {
            // A mailer invoked here writes into the outbox ./authfn mail reads, never to SES.
            LocalEnvironment environment = infrastructure.bind(base).withVariable(LocalApi.MAIL_OUTBOX_VARIABLE,
                    LocalState.outboxBesideTemplate(options.template()).toString());
            return new Invoke(template, environment).run(logicalId, event, options.debug, terminal.out(), terminal.err());
        }
    }
}
