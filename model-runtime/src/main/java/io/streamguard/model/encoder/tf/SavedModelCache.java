package io.streamguard.model.encoder.tf;

import io.streamguard.model.encoder.EncoderException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Unpacks a zipped SavedModel into a cache directory once and reuses it across restarts.
 *
 * <p>Unpacking goes to a sibling temp directory that is renamed into place only after a marker
 * listing every file and its size has been written, so a crash mid-unpack never leaves a directory
 * that looks complete. Reuse checks the marker's source and every listed size, which catches
 * truncated or deleted files without rereading 420 MB; a cache that fails the check is replaced.
 * Several processes may race: each unpacks privately and the first rename wins.
 */
final class SavedModelCache {

    static final String MARKER = ".streamguard-unpacked";
    private static final String MARKER_VERSION = "streamguard-savedmodel-cache 1";
    private static final String TEMP_INFIX = ".tmp-";
    /** Temp directories older than this are leftovers of crashed unpacks, not a concurrent one. */
    private static final Duration STALE_TEMP = Duration.ofHours(6);

    private static final Logger LOG = LoggerFactory.getLogger(SavedModelCache.class);
    private static final Object LOCK = new Object();

    /** An openable zip of a SavedModel plus a stable description used to tell caches apart. */
    interface Source {
        String id();

        /** A fresh stream over the zip bytes; the caller closes it. */
        InputStream open() throws IOException;
    }

    private SavedModelCache() {}

    /**
     * The unpacked model in {@code target}, unpacking {@code source} first if the cache is missing,
     * incomplete or from a different source.
     */
    static Path unpacked(Source source, Path target) {
        Objects.requireNonNull(source, "source");
        Path dir = target.toAbsolutePath().normalize();
        synchronized (LOCK) {
            if (isComplete(dir, source.id())) {
                LOG.debug("reusing unpacked model {}", dir);
                return dir;
            }
            try {
                Files.createDirectories(dir.getParent());
                deleteStaleTemps(dir);
                if (Files.exists(dir)) {
                    LOG.warn("model cache {} is incomplete or stale; unpacking again", dir);
                    discard(dir);
                }
                Path temp = Files.createTempDirectory(dir.getParent(), dir.getFileName() + TEMP_INFIX);
                try {
                    long started = System.nanoTime();
                    unzip(source, temp);
                    publish(temp, dir);
                    LOG.info(
                            "unpacked {} into {} in {} ms",
                            source.id(),
                            dir,
                            (System.nanoTime() - started) / 1_000_000);
                } finally {
                    deleteRecursively(temp);
                }
            } catch (IOException | UncheckedIOException e) {
                throw new EncoderException(
                        "cannot unpack model " + source.id() + " into " + dir + ": " + e.getMessage(), e);
            }
            if (!isComplete(dir, source.id())) {
                throw new EncoderException("model cache " + dir + " failed verification right after unpacking");
            }
            return dir;
        }
    }

    /**
     * The bytes of one file of the zipped model, streamed past the others without unpacking anything:
     * for reading the vocabulary of a model whose weights this process will never load.
     *
     * @throws IOException if the zip has no entry {@code name}
     */
    static byte[] readEntry(Source source, String name) throws IOException {
        try (InputStream raw = source.open();
                ZipInputStream zip = new ZipInputStream(raw)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().equals(name)) {
                    return zip.readAllBytes();
                }
            }
        }
        throw new IOException(source.id() + " has no entry " + name);
    }

    /** True if {@code dir} holds a finished unpack of {@code sourceId} with every file at its recorded size. */
    static boolean isComplete(Path dir, String sourceId) {
        Path marker = dir.resolve(MARKER);
        if (!Files.isRegularFile(marker)) {
            return false;
        }
        try (BufferedReader in = Files.newBufferedReader(marker, StandardCharsets.UTF_8)) {
            if (!MARKER_VERSION.equals(in.readLine()) || !("source\t" + sourceId).equals(in.readLine())) {
                return false;
            }
            int files = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int tab = line.lastIndexOf('\t');
                if (tab < 0) {
                    return false;
                }
                Path file = dir.resolve(line.substring(0, tab));
                if (!Files.isRegularFile(file) || Files.size(file) != Long.parseLong(line.substring(tab + 1))) {
                    return false;
                }
                files++;
            }
            return files > 0;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    private static void unzip(Source source, Path temp) throws IOException {
        Map<String, Long> sizes = new LinkedHashMap<>();
        try (InputStream raw = source.open();
                ZipInputStream zip = new ZipInputStream(raw)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                Path out = temp.resolve(entry.getName()).normalize();
                if (!out.startsWith(temp) || out.equals(temp)) {
                    throw new IOException("zip entry escapes the model directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                long size = Files.copy(zip, out);
                sizes.put(temp.relativize(out).toString().replace('\\', '/'), size);
            }
        }
        if (!sizes.containsKey("saved_model.pb")) {
            throw new IOException(source.id() + " holds no saved_model.pb at its root; entries: " + sizes.keySet());
        }
        List<String> lines = new ArrayList<>();
        lines.add(MARKER_VERSION);
        lines.add("source\t" + source.id());
        sizes.forEach((name, size) -> lines.add(name + "\t" + size));
        // Written last: its presence is what makes the directory count as complete.
        Files.write(temp.resolve(MARKER), lines, StandardCharsets.UTF_8);
    }

    private static void publish(Path temp, Path dir) throws IOException {
        try {
            Files.move(temp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // Another process finished first; its result is as good as ours if it verifies.
            if (!Files.isRegularFile(dir.resolve(MARKER))) {
                throw e;
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cache directory " + dir.getParent() + " does not support atomic rename", e);
        }
    }

    /** Renames a bad cache aside first, so no reader can see it half-deleted under the real name. */
    private static void discard(Path dir) throws IOException {
        Path aside = dir.resolveSibling(dir.getFileName() + TEMP_INFIX + "discard-" + System.nanoTime());
        Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(aside);
    }

    private static void deleteStaleTemps(Path dir) throws IOException {
        String prefix = dir.getFileName() + TEMP_INFIX;
        FileTime cutoff = FileTime.from(Instant.now().minus(STALE_TEMP));
        try (Stream<Path> siblings = Files.list(dir.getParent())) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                if (p.getFileName().toString().startsWith(prefix)
                        && Files.getLastModifiedTime(p).compareTo(cutoff) < 0) {
                    deleteRecursively(p);
                }
            }
        }
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException ignored) {
                    // Already gone (a concurrent cleaner); the goal is reached.
                }
            }
        }
    }
}
