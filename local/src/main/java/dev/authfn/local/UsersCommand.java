package dev.authfn.local;

import dev.authfn.auth.Components;
import dev.authfn.auth.UserAdministration;
import dev.authfn.core.account.Emails;
import dev.authfn.core.user.User;
import dev.authfn.core.user.UserStatus;
import dev.authfn.password.Argon2idHasher;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./authfn users add | disable | passwd | mfa-reset}: exit 0 on success, 1 when the store
 * refuses (no such user, the name is taken), 2 on a usage error (including a refused password).
 */
@Command(name = "users", header = "Manage users: add, disable, passwd, mfa-reset (local API or AWS).",
        footerHeading = "%n", footer = AdminTarget.HELP)
final class UsersCommand extends CommandGroup {

    private static final String PASSWORD_HELP = "Passwords: 12 (AUTHFN_PASSWORD_MIN_LENGTH) to 1024 characters, not "
            + "common or breached, not built on the user name (docs/API.md \"Password rules\"), read from an interactive "
            + "prompt (asked twice) or, with --password-stdin, from standard input (one trailing newline is dropped).";

    static CommandLine commandLine(Terminal terminal) {
        return new CommandLine(new UsersCommand())
                .addSubcommand(new Add(terminal))
                .addSubcommand(new Disable(terminal))
                .addSubcommand(new Passwd(terminal))
                .addSubcommand(new MfaReset(terminal));
    }

    @Command(name = "add", header = "Add a user with roles, permissions and a password.",
            footerHeading = "%n", footer = {PASSWORD_HELP, "", AdminTarget.HELP})
    static final class Add implements Callable<Integer> {

        @Mixin
        private HelpOption help;
        private final Terminal terminal;

        @Parameters(paramLabel = "NAME", converter = Converters.UserName.class, description = "the user name")
        private String username;

        @Option(names = "--role", paramLabel = "ROLE", converter = Converters.AccessName.class,
                description = "a role of the user (repeatable)")
        private List<String> roles = List.of();

        @Option(names = "--permission", paramLabel = "PERMISSION", converter = Converters.AccessName.class,
                description = "a permission of the user (repeatable)")
        private List<String> permissions = List.of();

        @Option(names = "--password-stdin", description = "read the password from standard input, not a prompt")
        private boolean passwordStdin;

        @Option(names = "--email", paramLabel = "ADDRESS",
                description = "the user's email address (counts as verified; unique among users)")
        private String email;

        @Mixin
        private AdminTarget target;

        Add(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            String address = null;
            if (email != null) {
                if (!(Emails.normalize(email) instanceof Emails.Normal normal)) {
                    throw new UsageException("--email: not an email address (one @, a domain with a dot, no spaces)");
                }
                address = normal.address();
            }
            Components components = target.components(terminal);
            String password = Passwords.read(passwordStdin, terminal.in(), "Password for " + username);
            NewPasswords.require(target.passwordPolicy(terminal), password, username);
            Set<String> roleSet = new LinkedHashSet<>(roles);
            Set<String> permissionSet = new LinkedHashSet<>(permissions);
            User user = new User(username, UUID.randomUUID().toString(), new Argon2idHasher().hash(password), roleSet,
                    permissionSet, UserStatus.ACTIVE, 0, Instant.EPOCH, 0, address, true);
            String exists = "user " + username + " exists; use ./authfn users passwd to change the password";
            if (address == null) {
                if (!components.stores().users().create(user)) {
                    throw new CommandFailedException(exists);
                }
            } else {
                // Checked first: a sign-up's register would hold the name with a stand-in.
                if (components.stores().accounts().findByEmail(address).isPresent()) {
                    throw new CommandFailedException("another user has the address " + address);
                }
                switch (components.stores().accounts().register(user, components.clock().instant().plus(components.config().accounts().verificationTokenTtl()))) {
                    case CREATED -> { }
                    case USERNAME_TAKEN -> throw new CommandFailedException(exists);
                    case EMAIL_TAKEN -> throw new CommandFailedException("another user has the address " + address);
                }
            }
            terminal.out().println("authfn: added user " + username + " (id " + user.userId() + ")"
                    + (address == null ? "" : " <" + address + ">") + " with roles "
                    + sorted(roleSet) + " and permissions " + sorted(permissionSet));
            return 0;
        }
    }

    @Command(name = "disable", header = "Disable a user and end their sessions.",
            footerHeading = "%n", footer = AdminTarget.HELP)
    static final class Disable implements Callable<Integer> {

        @Mixin
        private HelpOption help;
        private final Terminal terminal;

        @Parameters(paramLabel = "NAME", converter = Converters.UserName.class, description = "the user name")
        private String username;

        @Mixin
        private AdminTarget target;

        Disable(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            if (target.components(terminal).userAdministration().disable(username).isEmpty()) {
                throw new CommandFailedException("no user " + username);
            }
            terminal.out().println("authfn: disabled " + username + " and ended their sessions");
            return 0;
        }
    }

    @Command(name = "passwd", header = "Change a user's password and end their sessions.",
            footerHeading = "%n", footer = {PASSWORD_HELP, "", AdminTarget.HELP})
    static final class Passwd implements Callable<Integer> {

        @Mixin
        private HelpOption help;
        private final Terminal terminal;

        @Parameters(paramLabel = "NAME", converter = Converters.UserName.class, description = "the user name")
        private String username;

        @Option(names = "--password-stdin", description = "read the password from standard input, not a prompt")
        private boolean passwordStdin;

        @Mixin
        private AdminTarget target;

        Passwd(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            Components components = target.components(terminal);
            if (components.stores().users().get(username).isEmpty()) {
                throw new CommandFailedException("no user " + username);
            }
            String password = Passwords.read(passwordStdin, terminal.in(), "New password for " + username);
            NewPasswords.require(target.passwordPolicy(terminal), password, username);
            OptionalInt ended = components.userAdministration().replacePassword(username, new Argon2idHasher().hash(password));
            if (ended.isEmpty()) {
                throw new CommandFailedException("no user " + username);
            }
            terminal.out().println("authfn: changed the password of " + username + " and ended "
                    + ended.getAsInt() + " session(s)");
            return 0;
        }
    }

    @Command(name = "mfa-reset", header = "Remove a user's second factor (TOTP) and end their sessions.",
            description = {"For a user who lost their authenticator: they log in with their password alone until they "
                    + "enrol again, and every session they had ends. Prints one audit line (JSON) on stderr."},
            footerHeading = "%n", footer = AdminTarget.HELP)
    static final class MfaReset implements Callable<Integer> {

        @Mixin
        private HelpOption help;
        private final Terminal terminal;

        @Parameters(paramLabel = "NAME", converter = Converters.UserName.class, description = "the user name")
        private String username;

        @Mixin
        private AdminTarget target;

        MfaReset(Terminal terminal) {
            this.terminal = terminal;
        }

        @Override
        public Integer call() {
            Optional<UserAdministration.MfaReset> reset = target.components(terminal)
                    .userAdministration(terminal.err()::println).mfaReset(username);
            if (reset.isEmpty()) {
                throw new CommandFailedException("no user " + username);
            }
            UserAdministration.MfaReset done = reset.get();
            String removed = (done.factorRemoved() ? "the TOTP factor" : "")
                    + (done.factorRemoved() && done.passkeysRemoved() > 0 ? " and " : "")
                    + (done.passkeysRemoved() > 0 ? done.passkeysRemoved() + " passkey(s)" : "");
            terminal.out().println(removed.isEmpty()
                    ? "authfn: " + username + " had no second factor; ended " + done.sessionsEnded() + " session(s)"
                    : "authfn: removed " + removed + " of " + username + " and ended " + done.sessionsEnded()
                            + " session(s)");
            return 0;
        }
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
