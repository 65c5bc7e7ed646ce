package dev.authfn.local;

import com.nimbusds.jose.JWSAlgorithm;
import dev.authfn.core.keys.KeyPurpose;
import dev.authfn.core.keys.KeySet;
import dev.authfn.core.keys.KeySetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code ./authfn keys generate}: a new key set for the Secrets Manager secret or {@code start-api --keys};
 * {@code ./authfn keys rotate PURPOSE}: the same set with a new active key of one purpose.
 */
@Command(name = "keys", header = "Key sets: generate, rotate.")
final class KeysCommand extends CommandGroup {

    /** The algorithms a key set may sign with, as --alg takes them. */
    enum Algorithm { RS256, PS256, ES256, EdDSA, HS256 }

    static CommandLine commandLine(Terminal terminal, Clock clock) {
        return new CommandLine(new KeysCommand())
                .addSubcommand(new Generate(terminal, clock))
                .addSubcommand(new Rotate(terminal, clock));
    }

    /** A key purpose by its wire name: {@code jwt}, {@code cookie}, {@code csrf} or {@code mfa}. */
    static final class Purpose implements ITypeConverter<KeyPurpose> {
        @Override
        public KeyPurpose convert(String value) {
            try {
                return KeyPurpose.fromWireName(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("must be one of jwt, cookie, csrf, mfa, got " + value);
            }
        }
    }

    @Command(name = "rotate", header = "Read a key set on stdin; print it with a new active key for PURPOSE.",
            description = {"The purpose's active key becomes verify-only, so what it signed stays valid until it "
                    + "expires; retire it later by editing its status (docs/OPERATIONS.md, \"Keys and rotation\"). "
                    + "On a key set from before the second factor, 'rotate mfa' adds its first mfa key. A jwt key "
                    + "keeps its algorithm.",
                "It reads and prints private keys: use files or the secret, not a terminal others can see."})
    static final class Rotate implements Callable<Integer> {

        @Mixin
        private HelpOption help;
        private final Terminal terminal;
        private final Clock clock;

        @Parameters(paramLabel = "PURPOSE", converter = Purpose.class, description = "jwt, cookie, csrf or mfa")
        private KeyPurpose purpose;

        Rotate(Terminal terminal, Clock clock) {
            this.terminal = terminal;
            this.clock = clock;
        }

        @Override
        public Integer call() throws IOException {
            KeySet keys;
            try {
                keys = KeySet.parse(new String(terminal.in().readAllBytes(), StandardCharsets.UTF_8));
            } catch (KeySetException e) {
                // The problems name kids and never hold key material.
                throw new UsageException("stdin holds no valid key set: " + String.join("; ", e.problems()));
            }
            terminal.out().println(keys.rotate(purpose, clock).toJson());
            return 0;
        }
    }

    @Command(name = "generate", header = "Print a new key set (JWK set JSON) on stdout.",
            description = {"It holds private keys: write it to a file or straight into the secret, not a terminal "
                    + "others can see."})
    static final class Generate implements Callable<Integer> {

        @Mixin
        private HelpOption help;
        private final Terminal terminal;
        private final Clock clock;

        @Option(names = "--alg", paramLabel = "ALG", defaultValue = "RS256",
                description = "the signing algorithm: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
        private Algorithm algorithm;

        @Option(names = "--json", description = "print JSON (the output is the JWK set JSON either way)")
        private boolean json;

        Generate(Terminal terminal, Clock clock) {
            this.terminal = terminal;
            this.clock = clock;
        }

        @Override
        public Integer call() {
            terminal.out().println(KeySet.generate(JWSAlgorithm.parse(algorithm.name()), clock).toJson());
            return 0;
        }
    }
}
