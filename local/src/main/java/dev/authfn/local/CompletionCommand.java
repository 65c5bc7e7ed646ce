package dev.authfn.local;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ./authfn completion}: picocli's bash/zsh completion script for every command and option. */
@Command(name = "completion", header = "Print a bash/zsh completion script for ./authfn.",
        description = {
            "Generated from the commands themselves, so it knows every subcommand and option. Load it into "
                    + "the current shell with:",
            "",
            "  source <(./authfn completion)",
            "",
            "zsh needs bash completion first: autoload -U +X bashcompinit && bashcompinit."})
final class CompletionCommand implements Callable<Integer> {

    @Mixin
    private HelpOption help;

    private final Terminal terminal;

    @Spec
    private CommandSpec spec;

    CompletionCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        terminal.out().print(AutoComplete.bash("authfn", spec.root().commandLine()));
        return 0;
    }
}
