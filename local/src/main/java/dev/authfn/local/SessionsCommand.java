package dev.authfn.local;

import dev.authfn.auth.Components;
import dev.authfn.core.json.Json;
import dev.authfn.core.session.Session;
import dev.authfn.core.user.User;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./authfn sessions list | revoke-all}: a user's live sessions. */
@Command(name = "sessions", header = "A user's sessions: list, revoke-all (local API or AWS).",
        footerHeading = "%n", footer = AdminTarget.HELP)
final class SessionsCommand extends CommandGroup {

    static CommandLine commandLine(Terminal terminal, Clock clock) {
        return new CommandLine(new SessionsCommand())
                .addSubcommand(new ListSessions(terminal, clock))
                .addSubcommand(new RevokeAll(terminal));
    }

    @Command(name = "list", header = "List a user's live sessions.",
            description = "A table, one session a line, then the count. With --json one object instead: "
                    + "{\"username\": NAME, \"sessions\": [{\"id\", \"created\", \"last_seen\", \"expires\", \"ip\", "
                    + "\"user_agent\"}, ...]}, the same values (the user agent unmasked but JSON-escaped).",
            footerHeading = "%n", footer = AdminTarget.HELP)
    static final class ListSessions implements Callable<Integer> {

        @Mixin
        private HelpOption help;
        private static final String ROW = "%-24s %-22s %-22s %-22s %-15s %s%n";

        private final Terminal terminal;
        private final Clock clock;

        @Parameters(paramLabel = "NAME", converter = Converters.UserName.class, description = "the user name")
        private String username;

        @Option(names = "--json", description = "print JSON instead of the table")
        private boolean json;

        @Mixin
        private AdminTarget target;

        ListSessions(Terminal terminal, Clock clock) {
            this.terminal = terminal;
            this.clock = clock;
        }

        @Override
        public Integer call() {
            Components components = target.components(terminal);
            User user = components.stores().users().get(username)
                    .orElseThrow(() -> new CommandFailedException("no user " + username));
            List<Map<String, String>> rows = components.stores().sessions().listLive(user.userId(), clock.instant())
                    .stream().map(ListSessions::row).toList();
            if (json) {
                Map<String, Object> document = new LinkedHashMap<>();
                document.put("username", username);
                document.put("sessions", rows);
                terminal.out().println(Json.write(document));
            } else {
                table(rows, terminal.out());
            }
            return 0;
        }

        /** One session as both outputs show it: instants to the second, in the header's order. */
        private static Map<String, String> row(Session session) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("id", session.id());
            row.put("created", seconds(session.createdAt()));
            row.put("last_seen", seconds(session.lastSeenAt()));
            row.put("expires", seconds(session.expiresAt()));
            row.put("ip", session.sourceIp());
            row.put("user_agent", session.userAgent());
            return row;
        }

        private static void table(List<Map<String, String>> rows, PrintStream out) {
            out.printf(ROW, "id", "created", "last seen", "expires", "ip", "user agent");
            for (Map<String, String> row : rows) {
                out.printf(ROW, row.get("id"), row.get("created"), row.get("last_seen"), row.get("expires"),
                        row.get("ip"), row.get("user_agent").replaceAll("\\p{Cntrl}", "?"));
            }
            out.println(rows.size() + " live session(s)");
        }

        private static String seconds(Instant instant) {
            return instant.truncatedTo(ChronoUnit.SECONDS).toString();
        }
    }

    @Command(name = "revoke-all", header = "End every session of a user.", footerHeading = "%n", footer = AdminTarget.HELP)
    static final class RevokeAll implements Callable<Integer> {

        @Mixin
        private HelpOption help;
        private final Terminal terminal;

        @Parameters(paramLabel = "NAME", converter = Converters.UserName.class, description = "the user name")
        private String username;

        @Mixin
        private AdminTarget target;

        RevokeAll(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            OptionalInt ended = target.components(terminal).userAdministration().endSessions(username);
            if (ended.isEmpty()) {
                throw new CommandFailedException("no user " + username);
            }
            terminal.out().println("authfn: ended " + ended.getAsInt() + " session(s) of " + username);
            return 0;
        }
    }
}
