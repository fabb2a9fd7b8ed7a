package io.streamguard.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStackTest {
    @TempDir
    Path dataDir;

    @Test
    void aStackOnADataDirInUseStartsNothingAndWritesNothing() throws Exception {
        try (DataDirLock held = DataDirLock.acquire(dataDir)) {
            EmbeddedStack.Builder second =
                    EmbeddedStack.builder().dataDir(dataDir).ephemeralPorts();
            assertThatThrownBy(second::lockDataDir).isInstanceOf(DataDirInUseException.class);
            assertThatThrownBy(second::start)
                    .isInstanceOf(DataDirInUseException.class)
                    .hasMessageContaining("(pid " + ProcessHandle.current().pid() + ")");
        }
        try (var files = Files.list(dataDir)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("no registry log or database, no broker storage")
                    .containsExactly(DataDirLock.FILE_NAME);
        }
    }

    @Test
    void theStackHoldsTheDirFromLockDataDirUntilItIsClosed() {
        EmbeddedStack.Builder builder = EmbeddedStack.builder()
                .dataDir(dataDir)
                .withoutRegistry()
                .ephemeralPorts()
                .lockDataDir();
        assertThatThrownBy(() -> DataDirLock.acquire(dataDir)).isInstanceOf(DataDirInUseException.class);
        assertThatThrownBy(() -> builder.dataDir(dataDir.resolve("other")).lockDataDir())
                .isInstanceOf(IllegalStateException.class);
        try (EmbeddedStack stack = builder.dataDir(dataDir).start()) {
            assertThat(stack.dataDir()).isEqualTo(dataDir.toAbsolutePath().normalize());
            assertThatThrownBy(() -> DataDirLock.acquire(dataDir)).isInstanceOf(DataDirInUseException.class);
        }
        DataDirLock.acquire(dataDir).close();
    }
}
