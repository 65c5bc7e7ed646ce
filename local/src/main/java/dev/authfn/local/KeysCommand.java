package dev.authfn.local;

import com.nimbusds.jose.JWSAlgorithm;
import dev.authfn.core.keys.KeySet;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ./authfn keys generate}: a new key set for the Secrets Manager secret or {@code start-api --keys}. */
@Command(name = "keys", header = "Key sets: generate.")
final class KeysCommand extends CommandGroup {

    /** The algorithms a key set may sign with, as --alg takes them. */
    enum Algorithm { RS256, PS256, ES256, EdDSA, HS256 }

    static CommandLine commandLine(Terminal terminal, Clock clock) {
        return new CommandLine(new KeysCommand()).addSubcommand(new Generate(terminal, clock));
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
