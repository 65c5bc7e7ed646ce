package dev.authfn.local;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands ({@code users}, {@code sessions}, {@code keys}): run alone, a usage error. */
abstract class CommandGroup implements Callable<Integer> {

    @Mixin
    private HelpOption help;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new UsageException(spec.qualifiedName() + " needs a subcommand: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
