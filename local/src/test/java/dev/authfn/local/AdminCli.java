package dev.authfn.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The admin CLI ({@code ./authfn users …}, {@code ./authfn clients …}) run in this process against
 * a {@link LocalApi}'s DynamoDB tables, as an operator would run it with {@code --dynamodb-endpoint}
 * and the table names: for tests that register users and OAuth clients through the commands
 * themselves rather than by writing items.
 */
final class AdminCli {

    /** What one command did: its exit status and what it printed. */
    record Result(int status, String out, String err) {

        /** This result, or an {@link AssertionError} showing both streams when the command failed. */
        Result succeeded() {
            if (status != 0) {
                throw new AssertionError("the admin command exited " + status + System.lineSeparator() + "stdout: " + out
                        + System.lineSeparator() + "stderr: " + err);
            }
            return this;
        }

        /**
         * The secret {@code clients add --confidential} printed: the line after the one announcing
         * it (it is printed once, and only its hash is stored).
         */
        String clientSecret() {
            List<String> lines = out.lines().toList();
            for (int i = 0; i < lines.size() - 1; i++) {
                if (lines.get(i).startsWith("authfn: the client secret is on the next line.")) {
                    return lines.get(i + 1);
                }
            }
            throw new AssertionError("the command printed no client secret; stdout: " + out);
        }
    }

    private final LocalApi api;

    AdminCli(LocalApi api) {
        this.api = api;
    }

    /** Runs {@code args} with {@code stdin} as standard input (a password for {@code --password-stdin}). */
    Result run(String stdin, String... args) {
        List<String> withTarget = new ArrayList<>(List.of(args));
        withTarget.addAll(List.of("--dynamodb-endpoint", api.dynamodbEndpoint().toString(),
                "--users-table", api.usersTable(), "--sessions-table", api.sessionsTable()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(withTarget.toArray(String[]::new), new Terminal(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of()));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code users add NAME --password-stdin} with these extra options; fails the test when refused. */
    void addUser(String username, String password, String... options) {
        List<String> args = new ArrayList<>(List.of("users", "add", username, "--password-stdin"));
        args.addAll(List.of(options));
        run(password + "\n", args.toArray(String[]::new)).succeeded();
    }

    /** {@code clients add ID --public --redirect-uri URI --scope SCOPES}; fails the test when refused. */
    void addPublicClient(String clientId, String redirectUri, String scope) {
        run("", "clients", "add", clientId, "--public", "--redirect-uri", redirectUri, "--scope", scope).succeeded();
    }

    /** {@code clients add ID --confidential …}; the secret it printed. */
    String addConfidentialClient(String clientId, String redirectUri, String scope) {
        return run("", "clients", "add", clientId, "--confidential", "--redirect-uri", redirectUri, "--scope", scope)
                .succeeded().clientSecret();
    }
}
