package dev.authfn.testkit.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MotoServerTest {

    @Test
    void findsTheFirstExecutableMotoServerOnThePath(@TempDir Path root) throws Exception {
        Path empty = Files.createDirectory(root.resolve("empty"));
        Path notExecutable = Files.createDirectory(root.resolve("plain"));
        Files.createFile(notExecutable.resolve("moto_server"));
        Path bin = Files.createDirectory(root.resolve("bin"));
        Path executable = Files.createFile(bin.resolve("moto_server"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        String path = String.join(File.pathSeparator, empty.toString(), "", notExecutable.toString(), bin.toString());

        assertThat(MotoServer.findOnPath(path)).contains(executable);
    }

    @Test
    void findsNothingOnAnEmptyPath() {
        assertThat(MotoServer.findOnPath("")).isEmpty();
        assertThat(MotoServer.findOnPath(null)).isEmpty();
    }
}
