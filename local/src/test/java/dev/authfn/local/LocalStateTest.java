package dev.authfn.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStateTest {

    @TempDir
    Path directory;

    @Test
    void readsWhatALiveProcessRecorded() throws Exception {
        LocalState state = new LocalState(directory.resolve(".authfn/local-api.json"));
        Map<String, String> values = Map.of("users_table", "UsersTable", "pid", Long.toString(ProcessHandle.current().pid()));
        state.write(values);

        assertThat(state.read()).contains(values);
    }

    @Test
    void ignoresAFileLeftByAProcessThatIsGone() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        LocalState state = new LocalState(directory.resolve(".authfn/local-api.json"));
        state.write(Map.of("users_table", "UsersTable", "pid", Long.toString(gone.pid())));

        assertThat(state.read()).isEmpty();
    }

    @Test
    void trustsAFileWithoutAPidAndIgnoresAMissingOne() throws Exception {
        LocalState state = new LocalState(directory.resolve(".authfn/local-api.json"));
        assertThat(state.read()).isEmpty();

        state.write(Map.of("users_table", "UsersTable"));

        assertThat(state.read()).contains(Map.of("users_table", "UsersTable"));
    }
}
