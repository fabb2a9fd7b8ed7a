package io.streamguard.launcher.stack;

import io.streamguard.launcher.cli.LauncherException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;

/**
 * An exclusive lock on a data dir ({@value #FILE_NAME} in it), taken before anything is written
 * under the dir and held until {@link #close()}. The broker's own {@code .lock} comes too late: a
 * second broker on the same dir has already opened, and written into, the first one's metadata log
 * when it fails to get it, which corrupts that log. The lock file holds the holder's pid so the
 * refusal can name it; the operating system drops the lock when the process dies, so a crash leaves
 * nothing stale (the file itself stays: deleting it would let two processes lock two different
 * files of the same name).
 */
public final class DataDirLock implements AutoCloseable {
    public static final String FILE_NAME = ".streamguard.lock";

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dataDir} if needed and locks it.
     *
     * @throws DataDirInUseException if another process (or another stack in this JVM) holds it
     * @throws LauncherException if the dir or the lock file cannot be created
     */
    public static DataDirLock acquire(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(
                    dir.resolve(FILE_NAME),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new LauncherException("cannot use data dir " + dir + ": " + e, e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldInThisJvm) {
                lock = null;
            }
            if (lock == null) {
                OptionalLong holder = readPid(channel);
                channel.close();
                throw new DataDirInUseException(dir, holder);
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            channel.force(false);
            return new DataDirLock(dir, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new LauncherException("cannot lock data dir " + dir + ": " + e, e);
        }
    }

    /** The pid the holder wrote; empty while it has not written it yet (or wrote nothing readable). */
    private static OptionalLong readPid(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The locked dir, absolute and normalized. */
    public Path dir() {
        return dir;
    }

    /** Releases the lock (and clears the pid). Idempotent. */
    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            channel.truncate(0);
            lock.release();
        } catch (IOException e) {
            // Closing the channel below releases the lock all the same.
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
