package dev.authfn.local;

import dev.authfn.core.json.Json;
import dev.authfn.core.mail.DirectoryOutbox;
import dev.authfn.core.mail.StoredMail;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./authfn mail list | show | link | clear}: the local outbox, where the local API's mails
 * land ({@link DirectoryOutbox}, {@code .authfn/outbox} beside the template).
 */
@Command(name = "mail", header = "The local outbox: list, show, link, clear.",
        footerHeading = "%n", footer = MailCommand.HELP)
final class MailCommand extends CommandGroup {

    static final String HELP = "The outbox is .authfn/outbox beside the template, where ./authfn start-api's mails go; "
            + "--outbox reads another.";

    /** The first link of a mail that carries a token: {@code <link base>#verify=…} or {@code #reset=…}. */
    static final Pattern TOKEN_LINK = Pattern.compile("https?://[^\\s\"<>#]*#(?:verify|reset)=[A-Za-z0-9._~-]+");

    static CommandLine commandLine(Terminal terminal) {
        return new CommandLine(new MailCommand())
                .addSubcommand(new ListMail(terminal))
                .addSubcommand(new Show(terminal))
                .addSubcommand(new Link(terminal))
                .addSubcommand(new Clear(terminal));
    }

    /** {@code --outbox DIR}, else the outbox beside the template. */
    static final class OutboxOption {

        @Option(names = "--outbox", paramLabel = "DIR", description = "the outbox directory (default: .authfn/outbox "
                + "beside the template)")
        private Path dir;

        DirectoryOutbox outbox() {
            return new DirectoryOutbox(dir != null ? dir
                    : LocalState.outboxBesideTemplate(Path.of(System.getProperty("authfn.template", "template.yaml"))));
        }
    }

    /** Which mail: an id, else the newest (to {@code --to} when given). */
    static final class Selection {

        @Parameters(paramLabel = "ID", arity = "0..1", description = "the mail's id, as list shows it "
                + "(default: the newest)")
        private String id;

        @Option(names = "--to", paramLabel = "ADDRESS", description = "the newest mail to this address")
        private String to;

        StoredMail select(DirectoryOutbox outbox) {
            if (id != null) {
                if (to != null) {
                    throw new UsageException("give an ID or --to, not both");
                }
                return outbox.get(id).orElseThrow(() -> new CommandFailedException("no mail " + id + " in "
                        + outbox.dir()));
            }
            List<StoredMail> mails = outbox.list();
            for (int i = mails.size() - 1; i >= 0; i--) {
                if (to == null || mails.get(i).mail().to().equalsIgnoreCase(to)) {
                    return mails.get(i);
                }
            }
            throw new CommandFailedException(to == null ? "no mail in " + outbox.dir()
                    : "no mail to " + to + " in " + outbox.dir());
        }
    }

    @Command(name = "list", header = "List the mails in the outbox, oldest first.",
            description = "A table: time sent, recipient, subject and id, then the count. With --json one object: "
                    + "{\"mails\": [{\"id\", \"sent_at\", \"to\", \"subject\"}, ...]}.",
            footerHeading = "%n", footer = HELP)
    static final class ListMail implements Callable<Integer> {

        private static final String ROW = "%-20s  %-30s  %-50s  %s%n";

        @Mixin
        private HelpOption help;
        private final Terminal terminal;

        @Option(names = "--json", description = "print JSON instead of the table")
        private boolean json;

        @Mixin
        private OutboxOption outbox;

        ListMail(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            List<StoredMail> mails = outbox.outbox().list();
            PrintStream out = terminal.out();
            if (json) {
                out.println(Json.write(Map.of("mails", mails.stream().map(ListMail::summary).toList())));
                return 0;
            }
            out.printf(ROW, "sent", "to", "subject", "id");
            for (StoredMail mail : mails) {
                out.printf(ROW, mail.sentAt().truncatedTo(ChronoUnit.SECONDS), mail.mail().to(), mail.mail().subject(),
                        mail.id());
            }
            out.println(mails.size() + " mail(s)");
            return 0;
        }

        private static Map<String, String> summary(StoredMail mail) {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("id", mail.id());
            row.put("sent_at", mail.sentAt().toString());
            row.put("to", mail.mail().to());
            row.put("subject", mail.mail().subject());
            return row;
        }
    }

    @Command(name = "show", header = "Print one mail: its headers and text body.",
            description = "The newest mail unless an ID or --to says which. --html prints the HTML body instead, "
                    + "--link only the mail's verify or reset link, --json the whole stored mail.",
            footerHeading = "%n", footer = HELP)
    static final class Show implements Callable<Integer> {

        @Mixin
        private HelpOption help;
        private final Terminal terminal;

        @Mixin
        private Selection selection;

        @ArgGroup(exclusive = true)
        private Format format;

        static final class Format {
            @Option(names = "--html", description = "print the HTML body instead of the text")
            boolean html;

            @Option(names = "--link", description = "print only the mail's first verify or reset link")
            boolean link;

            @Option(names = "--json", description = "print the stored mail as JSON")
            boolean json;
        }

        @Mixin
        private OutboxOption outbox;

        Show(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            StoredMail stored = selection.select(outbox.outbox());
            PrintStream out = terminal.out();
            if (format != null && format.link) {
                out.println(tokenLink(stored));
            } else if (format != null && format.json) {
                Map<String, String> json = new LinkedHashMap<>();
                json.put("id", stored.id());
                json.put("sent_at", stored.sentAt().toString());
                json.put("to", stored.mail().to());
                json.put("subject", stored.mail().subject());
                json.put("text", stored.mail().text());
                json.put("html", stored.mail().html());
                out.println(Json.write(json));
            } else {
                out.println("id:      " + stored.id());
                out.println("sent:    " + stored.sentAt());
                out.println("to:      " + stored.mail().to());
                out.println("subject: " + stored.mail().subject());
                out.println();
                out.print(format != null && format.html ? stored.mail().html() : stored.mail().text());
            }
            return 0;
        }
    }

    @Command(name = "link", header = "Print the verify or reset link of a mail.",
            description = "The first <link base>#verify=… or #reset=… link in the newest mail (or the one an ID or "
                    + "--to names): what a test or the demo opens. Exit status 1 when that mail has none.",
            footerHeading = "%n", footer = HELP)
    static final class Link implements Callable<Integer> {

        @Mixin
        private HelpOption help;
        private final Terminal terminal;

        @Mixin
        private Selection selection;

        @Mixin
        private OutboxOption outbox;

        Link(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            terminal.out().println(tokenLink(selection.select(outbox.outbox())));
            return 0;
        }
    }

    @Command(name = "clear", header = "Delete every mail in the outbox.", footerHeading = "%n", footer = HELP)
    static final class Clear implements Callable<Integer> {

        @Mixin
        private HelpOption help;
        private final Terminal terminal;

        @Mixin
        private OutboxOption outbox;

        Clear(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            DirectoryOutbox box = outbox.outbox();
            terminal.out().println("authfn: deleted " + box.clear() + " mail(s) from " + box.dir());
            return 0;
        }
    }

    static String tokenLink(StoredMail stored) {
        return firstTokenLink(stored.mail().text()).orElseThrow(() -> new CommandFailedException(
                "mail " + stored.id() + " (" + stored.mail().subject() + ") has no verify or reset link"));
    }

    static Optional<String> firstTokenLink(String text) {
        Matcher matcher = TOKEN_LINK.matcher(text);
        return matcher.find() ? Optional.of(matcher.group()) : Optional.empty();
    }
}
