package dev.authfn.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a function that adds authfn-handler gets at run time, from the dependency list Maven
 * resolved for this module (maven-dependency-plugin, runtime scope, transitive): the two Lambda
 * libraries and nothing else. The enforcer rule in the pom refuses the same at build time.
 */
class HandlerDependenciesTest {

    @Test
    void theRuntimeClasspathIsTheTwoLambdaLibrariesOnly() throws IOException {
        List<String> artifacts = Files.readAllLines(Path.of(System.getProperty("authfn.handler.dependencies"))).stream()
                .map(String::trim)
                .filter(line -> line.matches("[\\w.-]+:[\\w.-]+:jar:.*"))
                .map(line -> line.substring(0, line.indexOf(":jar:")))
                .toList();

        assertThat(artifacts).containsExactlyInAnyOrder("com.amazonaws:aws-lambda-java-core",
                "com.amazonaws:aws-lambda-java-events");
    }
}
