package dev.authfn.local;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ./authfn test}: the whole suite through Maven; its arguments go to Maven as they are. */
@Command(name = "test", header = "Run every test: unit, integration and end-to-end (mvn verify).",
        description = {
            "Runs mvn -B verify from the repository root with the JDK ./authfn found; exits with Maven's status. "
                    + "Integration tests need a DynamoDB API: AUTHFN_TEST_AWS_ENDPOINT if set, else LocalStack "
                    + "through Testcontainers when Docker answers, else a moto_server on the PATH.",
            "",
            "-Pbrowser adds the browser test (the demo page in headless Chromium), which needs Debian's "
                    + "/usr/bin/chromium: apt-get update && apt-get install -y chromium."})
final class TestCommand implements Callable<Integer> {

    @Mixin
    private HelpOption help;

    private final Terminal terminal;

    @Parameters(paramLabel = "MAVEN_ARG", description = "passed to Maven, e.g. -pl shared/core or -Pbrowser")
    private List<String> mavenArguments = List.of();

    TestCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws Exception {
        terminal.out().println("authfn: testing with " + System.getProperty("java.home")
                + " (Java " + Runtime.version().feature() + ")");
        List<String> arguments = new ArrayList<>(List.of("-B", "verify"));
        arguments.addAll(mavenArguments);
        return Maven.run(arguments);
    }
}
