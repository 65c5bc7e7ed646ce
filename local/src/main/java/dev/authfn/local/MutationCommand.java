package dev.authfn.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ./authfn mutation}: PIT over shared/core and shared/auth, then the per-package gate
 * ({@code .ci/MutationGate.java}, docs/SECURITY.md "Mutation testing").
 */
@Command(name = "mutation", header = "Mutation testing (PIT) of shared/core and shared/auth.",
        description = {
            "Runs PIT on shared/core and shared/auth (the 'mutation' profile binds it to process-test-classes in those "
                    + "two modules; -am compiles what they need from this checkout, and no other module runs anything), "
                    + "then .ci/MutationGate.java, which prints the mutation score of every gated package and fails when "
                    + "one is below 90%%, listing its surviving mutants.",
            "",
            "Reports: shared/core/target/pit-reports/ and shared/auth/target/pit-reports/ (index.html, mutations.xml)."})
final class MutationCommand implements Callable<Integer> {

    static final int THRESHOLD = 90;
    static final String GATED_CORE = "dev.authfn.core.cookie,dev.authfn.core.csrf,dev.authfn.core.jwt,"
            + "dev.authfn.core.token,dev.authfn.core.keys,dev.authfn.core.password,dev.authfn.core.user,dev.authfn.core.authz,"
            + "dev.authfn.core.account,dev.authfn.core.mail,dev.authfn.core.mfa,dev.authfn.core.passkey,"
            + "dev.authfn.core.oauth";
    static final String GATED_AUTH = "dev.authfn.auth";

    @Mixin
    private HelpOption help;

    @Parameters(paramLabel = "MAVEN_ARG", description = "passed to Maven, e.g. -o")
    private List<String> mavenArguments = List.of();

    @Override
    public Integer call() throws Exception {
        List<String> arguments = new ArrayList<>(List.of("-B", "-Pmutation", "-pl", "shared/core,shared/auth", "-am"));
        arguments.addAll(mavenArguments);
        arguments.add("process-test-classes");
        int built = Maven.run(arguments);
        if (built != 0) {
            return built;
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process gate = new ProcessBuilder(java.toString(), ".ci/MutationGate.java", Integer.toString(THRESHOLD),
                "shared/core/target/pit-reports/mutations.xml=" + GATED_CORE,
                "shared/auth/target/pit-reports/mutations.xml=" + GATED_AUTH)
                .directory(Maven.root().toFile()).inheritIO().start();
        return gate.waitFor();
    }
}
