package dev.authfn.local;

import java.io.ByteArrayOutputStream;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A new password for {@code users add} and {@code users passwd}: from standard input with
 * {@code --password-stdin} (one trailing newline dropped), else the terminal, asked twice. Never
 * from an argument, which would sit in the shell's history and the process list.
 */
final class Passwords {

    private static final int MAX_BYTES = 8192;

    private Passwords() {
    }

    /** The password as read; the command checks it ({@link NewPasswords}) where it runs. */
    static String read(boolean fromStdin, InputStream stdin, String prompt) {
        return fromStdin ? stripOneNewline(readAll(stdin)) : fromConsole(prompt);
    }

    private static String fromConsole(String prompt) {
        Console console = System.console();
        if (console == null) {
            throw new UsageException("no terminal to ask for the password: pipe it in with --password-stdin");
        }
        char[] first = console.readPassword("%s: ", prompt);
        char[] second = console.readPassword("Again: ");
        try {
            if (first == null || second == null || !Arrays.equals(first, second)) {
                throw new UsageException("the passwords differ");
            }
            return new String(first);
        } finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (second != null) {
                Arrays.fill(second, '\0');
            }
        }
    }

    /** Standard input as it is (at most 8 KiB), for a command that passes it on unread. */
    static String readRaw(InputStream stdin) {
        return readAll(stdin);
    }

    private static String readAll(InputStream stdin) {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            byte[] chunk = new byte[1024];
            int read;
            while ((read = stdin.read(chunk)) > 0 && buffer.size() <= MAX_BYTES) {
                buffer.write(chunk, 0, read);
            }
            return buffer.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read the password from standard input");
        }
    }

    private static String stripOneNewline(String value) {
        if (value.endsWith("\r\n")) {
            return value.substring(0, value.length() - 2);
        }
        return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }
}
