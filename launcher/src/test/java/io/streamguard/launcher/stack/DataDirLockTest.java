package io.streamguard.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirLockTest {
    @TempDir
    Path dir;

    @Test
    void holderWritesItsPidAndASecondAcquireIsRefusedUntilItReleases() throws Exception {
        Path dataDir = dir.resolve("new/data");
        try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
            assertThat(lock.dir()).isEqualTo(dataDir.toAbsolutePath().normalize());
            assertThat(Files.readString(dataDir.resolve(DataDirLock.FILE_NAME)).strip())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
            assertThatThrownBy(() -> DataDirLock.acquire(dataDir))
                    .isInstanceOf(DataDirInUseException.class)
                    .hasMessage("data dir " + lock.dir() + " is in use by another streamguard up (pid "
                            + ProcessHandle.current().pid() + ")");
        }
        DataDirLock.acquire(dataDir).close();
    }

    @Test
    void anotherProcessHoldingTheDirIsNamedAndItsDeathReleasesTheDir() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(
                        javaBin, "-cp", System.getProperty("java.class.path"), Holder.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("LOCKED");
            assertThatThrownBy(() -> DataDirLock.acquire(dir))
                    .isInstanceOf(DataDirInUseException.class)
                    .hasMessageEndingWith("is in use by another streamguard up (pid " + holder.pid() + ")");
        } finally {
            holder.destroyForcibly(); // a crash, not a clean release: the operating system drops the lock
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        DataDirLock.acquire(dir).close();
    }

    @Test
    void closeIsIdempotent() {
        DataDirLock lock = DataDirLock.acquire(dir);
        lock.close();
        lock.close();
        DataDirLock.acquire(dir).close();
    }

    /** Holds the lock of {@code args[0]} until killed. */
    public static final class Holder {
        public static void main(String[] args) throws InterruptedException {
            DataDirLock.acquire(Path.of(args[0]));
            System.out.println("LOCKED");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
