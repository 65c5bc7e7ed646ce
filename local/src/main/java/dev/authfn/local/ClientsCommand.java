package dev.authfn.local;

import dev.authfn.auth.Components;
import dev.authfn.core.json.Json;
import dev.authfn.core.oauth.OAuthClient;
import dev.authfn.core.oauth.OAuthCredential;
import dev.authfn.core.oauth.OAuthStore;
import dev.authfn.core.oauth.RedirectUris;
import dev.authfn.core.oauth.Scopes;
import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./authfn clients add | list | remove}: the OAuth clients an operator registers
 * (docs/API.md §18.1). Exit 0 on success, 1 when the store refuses (the id is taken, no such
 * client), 2 on a usage error (a bad id, redirect URI or scope). A confidential client's secret is
 * printed once, on stdout, and only its hash is stored.
 */
@Command(name = "clients", header = "OAuth clients: add, list, remove (local API or AWS).",
        footerHeading = "%n", footer = AdminTarget.HELP)
final class ClientsCommand extends CommandGroup {

    /** What a client may ask for unless {@code --scope} says otherwise. */
    static final String DEFAULT_SCOPE = "openid profile email offline_access";

    private static final List<String> OPENID_ORDER = List.of(Scopes.OPENID, Scopes.PROFILE, Scopes.EMAIL,
            Scopes.OFFLINE_ACCESS);

    static CommandLine commandLine(Terminal terminal) {
        return new CommandLine(new ClientsCommand())
                .addSubcommand(new Add(terminal))
                .addSubcommand(new ListClients(terminal))
                .addSubcommand(new Remove(terminal));
    }

    @Command(name = "add", header = "Register an OAuth client: its redirect URIs and the scopes it may ask for.",
            description = {"A public client (the default: a single-page or native app) has no secret; PKCE is its only "
                    + "proof, and its https and loopback redirect URIs' origins may call the token, revocation, userinfo "
                    + "and discovery endpoints from a browser. A confidential client gets a secret (256 random bits, 43 "
                    + "characters), printed once on stdout; only its hash is stored, so it cannot be shown again: to "
                    + "replace it, remove the client and add it again.",
                "",
                "Redirect URIs (1 to 10) are compared exactly: absolute, no fragment, no user info, and https, loopback "
                    + "http (127.0.0.1, [::1] or localhost) or a private-use scheme with a dot (com.example.app:/cb)."},
            footerHeading = "%n", footer = AdminTarget.HELP)
    static final class Add implements Callable<Integer> {

        @Mixin
        private HelpOption help;
        private final Terminal terminal;

        @Parameters(paramLabel = "ID", converter = Converters.ClientId.class, description = "the client id")
        private String clientId;

        @Option(names = "--redirect-uri", paramLabel = "URI", required = true,
                description = "a redirect URI of the client (repeatable)")
        private List<String> redirectUris = List.of();

        @ArgGroup(exclusive = true)
        private Kind kind;

        static final class Kind {
            @Option(names = "--public", description = "no secret: a single-page or native app (the default)")
            boolean isPublic;

            @Option(names = "--confidential", description = "generate a secret, printed once: a server-side app")
            boolean confidential;
        }

        @Option(names = "--scope", paramLabel = "SCOPES",
                description = "the scopes it may ask for, space-separated (default: '" + DEFAULT_SCOPE + "')")
        private String scope = DEFAULT_SCOPE;

        @Mixin
        private AdminTarget target;

        Add(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            Set<String> scopes = Scopes.parse(scope).filter(parsed -> !parsed.isEmpty()).orElseThrow(
                    () -> new UsageException("--scope: one or more scopes separated by single spaces, each printable "
                            + "ASCII without quotes or backslashes, got '" + scope + "'"));
            boolean confidential = kind != null && kind.confidential;
            Components components = target.components(terminal);
            Optional<String> secret = confidential ? Optional.of(OAuthCredential.generate(components.random()))
                    : Optional.empty();
            OAuthClient client;
            try {
                client = new OAuthClient(clientId, secret.map(OAuthCredential::hash), redirectUris, scopes,
                        components.clock().instant());
            } catch (IllegalArgumentException e) {
                throw new UsageException("--redirect-uri: " + e.getMessage() + redirectUris.stream()
                        .filter(uri -> RedirectUris.problem(uri).isPresent()).findFirst().map(uri -> " (" + uri + ")")
                        .orElse(""));
            }
            if (!oauth(components).addClient(client)) {
                throw new CommandFailedException("client " + clientId + " exists; to change it, remove it and add it again");
            }
            PrintStream out = terminal.out();
            out.println("authfn: added " + kind(client) + " client " + clientId);
            out.println("  redirect URIs: " + String.join(" ", client.redirectUris()));
            out.println("  scopes:        " + String.join(" ", ordered(client.scopes())));
            if (client.isPublic()) {
                out.println("  CORS origins:  " + String.join(" ", client.corsOrigins()));
            }
            secret.ifPresent(value -> {
                out.println("authfn: the client secret is on the next line. It is shown once and cannot be recovered "
                        + "(only its hash is stored); to replace it, remove the client and add it again.");
                out.println(value);
            });
            return 0;
        }
    }

    @Command(name = "list", header = "List the registered OAuth clients.",
            description = "A table, one client a line (id, public or confidential, scopes, redirect URIs), then the "
                    + "count. With --json one object instead: {\"clients\": [{\"client_id\", \"type\", \"redirect_uris\", "
                    + "\"scopes\", \"created\"}, ...]}. No secret is shown: only its hash is stored.",
            footerHeading = "%n", footer = AdminTarget.HELP)
    static final class ListClients implements Callable<Integer> {

        private static final String ROW = "%-24s %-12s %-40s %s%n";

        @Mixin
        private HelpOption help;
        private final Terminal terminal;

        @Option(names = "--json", description = "print JSON instead of the table")
        private boolean json;

        @Mixin
        private AdminTarget target;

        ListClients(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            List<OAuthClient> clients = oauth(target.components(terminal)).clients();
            PrintStream out = terminal.out();
            if (json) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (OAuthClient client : clients) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("client_id", client.clientId());
                    row.put("type", kind(client));
                    row.put("redirect_uris", client.redirectUris());
                    row.put("scopes", ordered(client.scopes()));
                    row.put("created", client.createdAt().truncatedTo(ChronoUnit.SECONDS).toString());
                    rows.add(row);
                }
                out.println(Json.write(Map.of("clients", rows)));
                return 0;
            }
            out.printf(ROW, "id", "type", "scopes", "redirect URIs");
            for (OAuthClient client : clients) {
                out.printf(ROW, client.clientId(), kind(client), String.join(",", ordered(client.scopes())),
                        String.join(" ", client.redirectUris()));
            }
            out.println(clients.size() + " client(s)");
            return 0;
        }
    }

    @Command(name = "remove", header = "Remove an OAuth client.",
            description = "While it is gone its authorization codes and refresh tokens are refused (each is checked "
                    + "against its client). They are bound to the id: adding the same id again lets the unexpired ones "
                    + "work again, with the new client's secret.",
            footerHeading = "%n", footer = AdminTarget.HELP)
    static final class Remove implements Callable<Integer> {

        @Mixin
        private HelpOption help;
        private final Terminal terminal;

        @Parameters(paramLabel = "ID", converter = Converters.ClientId.class, description = "the client id")
        private String clientId;

        @Mixin
        private AdminTarget target;

        Remove(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            if (!oauth(target.components(terminal)).removeClient(clientId)) {
                throw new CommandFailedException("no client " + clientId);
            }
            terminal.out().println("authfn: removed client " + clientId);
            return 0;
        }
    }

    /** The target's OAuth store; a target without one (a store module that has none) is a failure, not a bug. */
    private static OAuthStore oauth(Components components) {
        try {
            return components.stores().oauth();
        } catch (IllegalStateException e) {
            throw new CommandFailedException(e.getMessage());
        }
    }

    private static String kind(OAuthClient client) {
        return client.isPublic() ? "public" : "confidential";
    }

    /** The OpenID scopes in their usual order, then the API's permissions by name: the stored set has no order. */
    private static List<String> ordered(Set<String> scopes) {
        List<String> ordered = new ArrayList<>(OPENID_ORDER.stream().filter(scopes::contains).toList());
        scopes.stream().filter(scope -> !Scopes.OPENID_SCOPES.contains(scope)).sorted().forEach(ordered::add);
        return ordered;
    }
}
