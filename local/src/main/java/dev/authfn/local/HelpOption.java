package dev.authfn.local;

import picocli.CommandLine.Option;

/** {@code -h, --help} on every command, mixed into each. */
final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
    boolean help;
}
