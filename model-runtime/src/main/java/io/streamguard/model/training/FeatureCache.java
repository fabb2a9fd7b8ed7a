package io.streamguard.model.training;

import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.TokenizerOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encoder features computed once per (encoder, tokenizer settings, texts) and kept on disk, so retraining the
 * heads reads them back in seconds instead of re-running the encoder for an hour.
 *
 * <p>Extraction tokenizes every text, sorts by token count (longest first) so each batch of {@link #BATCH_SIZE} holds texts of
 * similar length (padding to the longest then wastes little), encodes, and scatters rows back to input order.
 *
 * <p>One file per key, {@code <dir>/<key>.features}, key = SHA-256 of the encoder id, its vocabulary hash, the
 * fingerprint of its fine-tuned adapters if it has any ({@link LoadedEncoder#adapters()}: a tuned encoder's
 * features must never be mistaken for the frozen one's), the tokenizer's settings (max length, casing) and every
 * text in order. Layout, little-endian: magic
 * {@code SGFEAT01}, the 32-byte key, rows, hidden, flags (bit 0: mean is the same as pooled and stored once), the
 * float32 matrices, then a CRC32C of everything before it. A file with the wrong size, magic, key or checksum is
 * recomputed, never trusted; files are written to a temp file and renamed into place, so a crash leaves either
 * the old file or none.
 */
public final class FeatureCache {

    /** Texts per encoder call. */
    public static final int BATCH_SIZE = 32;

    private static final Logger LOG = LoggerFactory.getLogger(FeatureCache.class);
    private static final byte[] MAGIC = "SGFEAT01".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = MAGIC.length + 32 + 3 * Integer.BYTES;
    private static final int FLAG_MEAN_IS_POOLED = 1;
    private static final int CHUNK_FLOATS = 1 << 18;

    private final Path dir;

    public FeatureCache(Path dir) {
        this.dir = dir;
    }

    /** {@code ${user.home}/.cache/streamguard/features}. */
    public static Path defaultDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "streamguard", "features");
    }

    public Path dir() {
        return dir;
    }

    /**
     * The features of {@code texts} under {@code encoder}: from the cache if a valid file is there, else
     * computed (reporting progress in texts) and stored.
     *
     * A cache file that cannot be written is logged and skipped: the features are still returned, since a
     * read-only or full cache should slow the next run down, not fail this one.
     *
     * @throws io.streamguard.model.encoder.EncoderException if the encoder fails
     */
    public FeatureMatrix features(LoadedEncoder encoder, List<String> texts, ProgressListener progress) {
        byte[] key = key(encoder, texts);
        Path file = file(key);
        long start = System.nanoTime();
        FeatureMatrix cached =
                read(file, key, texts.size(), encoder.encoder().info().hidden());
        if (cached != null) {
            progress.progress(texts.size(), texts.size(), Duration.ofNanos(System.nanoTime() - start));
            return cached;
        }
        FeatureMatrix computed = extract(encoder, texts, progress);
        try {
            write(file, key, computed);
        } catch (IOException e) {
            LOG.warn("Cannot write feature cache file {}; features not cached", file, e);
        }
        return computed;
    }

    /** Where the features of {@code texts} under {@code encoder} are (or would be) stored. */
    public Path file(LoadedEncoder encoder, List<String> texts) {
        return file(key(encoder, texts));
    }

    private Path file(byte[] key) {
        return dir.resolve(HexFormat.of().formatHex(key) + ".features");
    }

    /** Encodes {@code texts} in length-sorted batches, without touching the cache. */
    public static FeatureMatrix extract(LoadedEncoder encoder, List<String> texts, ProgressListener progress) {
        BertTokenizer tokenizer = encoder.tokenizer();
        int n = texts.size();
        int hidden = encoder.encoder().info().hidden();
        long start = System.nanoTime();
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = tokenizer.encode(texts.get(i)).length();
        }
        // Stable sort, longest first: deterministic batches (reruns give bit-identical floats), the largest
        // batch (peak memory) comes first, and an ETA counted in texts errs on the long side, then improves.
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Integer.compare(lengths[b], lengths[a]));
        float[] pooled = new float[Math.multiplyExact(n, hidden)];
        float[] mean = null;
        progress.progress(0, n, Duration.ofNanos(System.nanoTime() - start));
        for (int from = 0; from < n; from += BATCH_SIZE) {
            int to = Math.min(n, from + BATCH_SIZE);
            List<String> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(texts.get(order[i]));
            }
            Embeddings e = encoder.encoder().encode(tokenizer.encodeBatch(batch));
            boolean shared = e.pooled() == e.mean();
            if (mean == null) {
                mean = shared ? pooled : new float[pooled.length];
            }
            for (int i = from; i < to; i++) {
                int row = order[i];
                System.arraycopy(e.pooled(), (i - from) * hidden, pooled, row * hidden, hidden);
                if (mean != pooled) {
                    System.arraycopy(e.mean(), (i - from) * hidden, mean, row * hidden, hidden);
                }
            }
            progress.progress(to, n, Duration.ofNanos(System.nanoTime() - start));
        }
        return new FeatureMatrix(n, hidden, pooled, mean == null ? pooled : mean);
    }

    /** SHA-256 of everything the features depend on; see the class comment. */
    static byte[] key(LoadedEncoder encoder, List<String> texts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
        EncoderInfo info = encoder.encoder().info();
        TokenizerOptions options = encoder.tokenizer().options();
        String header = "streamguard-features-v1\n" + info.id() + "\n" + info.vocabHash() + "\n" + info.hidden()
                + "\n" + options.maxLength() + " " + options.lowerCase() + " " + options.stripAccents() + "\n"
                // The tokenizer's own normalisation, when it changes what ids a text gets (look-alikes folded).
                + "lookalikes-1\n"
                + (encoder.adapters() == null ? "" : "adapters " + encoder.adaptersFingerprint() + "\n")
                + texts.size() + "\n";
        digest.update(header.getBytes(StandardCharsets.UTF_8));
        ByteBuffer length = ByteBuffer.allocate(Integer.BYTES);
        for (String text : texts) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            // Length-prefixed, so no two different lists of texts hash the same bytes.
            digest.update(length.clear().putInt(bytes.length).array());
            digest.update(bytes);
        }
        return digest.digest();
    }

    /** The cached matrix, or null if the file is missing or not exactly what {@link #write} wrote for this key. */
    private static FeatureMatrix read(Path file, byte[] key, int rows, int hidden) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long cells = (long) rows * hidden;
            long size = channel.size();
            long oneMatrix = HEADER_BYTES + cells * Float.BYTES + Long.BYTES;
            long twoMatrices = oneMatrix + cells * Float.BYTES;
            if (size != oneMatrix && size != twoMatrices) {
                return invalid(file, "size " + size + " bytes, expected " + oneMatrix + " or " + twoMatrices);
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, header);
            header.flip();
            CRC32C crc = new CRC32C();
            crc.update(header.duplicate());
            byte[] magic = new byte[MAGIC.length];
            byte[] storedKey = new byte[32];
            header.get(magic).get(storedKey);
            int storedRows = header.getInt();
            int storedHidden = header.getInt();
            int flags = header.getInt();
            boolean meanIsPooled = (flags & FLAG_MEAN_IS_POOLED) != 0;
            if (!Arrays.equals(magic, MAGIC)
                    || !Arrays.equals(storedKey, key)
                    || storedRows != rows
                    || storedHidden != hidden
                    || (flags & ~FLAG_MEAN_IS_POOLED) != 0
                    || size != (meanIsPooled ? oneMatrix : twoMatrices)) {
                return invalid(file, "header does not match (magic, key, shape or flags)");
            }
            float[] pooled = readFloats(channel, Math.toIntExact(cells), crc);
            float[] mean = meanIsPooled ? pooled : readFloats(channel, Math.toIntExact(cells), crc);
            ByteBuffer trailer = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, trailer);
            if (trailer.flip().getLong() != crc.getValue()) {
                return invalid(file, "checksum mismatch");
            }
            return new FeatureMatrix(rows, hidden, pooled, mean);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return invalid(file, e.toString());
        }
    }

    private static FeatureMatrix invalid(Path file, String why) {
        LOG.warn("Ignoring feature cache file {} ({}); recomputing", file, why);
        return null;
    }

    private void write(Path file, byte[] key, FeatureMatrix m) throws IOException {
        boolean meanIsPooled = m.mean() == m.pooled() || Arrays.equals(m.mean(), m.pooled());
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                header.put(MAGIC)
                        .put(key)
                        .putInt(m.rows())
                        .putInt(m.hidden())
                        .putInt(meanIsPooled ? FLAG_MEAN_IS_POOLED : 0)
                        .flip();
                CRC32C crc = new CRC32C();
                crc.update(header.duplicate());
                writeFully(channel, header);
                writeFloats(channel, m.pooled(), crc);
                if (!meanIsPooled) {
                    writeFloats(channel, m.mean(), crc);
                }
                ByteBuffer trailer = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                writeFully(channel, trailer.putLong(crc.getValue()).flip());
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                if (temp != null) {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static void writeFloats(FileChannel channel, float[] values, CRC32C crc) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
            int count = Math.min(CHUNK_FLOATS, values.length - from);
            buffer.clear();
            buffer.asFloatBuffer().put(values, from, count);
            buffer.limit(count * Float.BYTES);
            crc.update(buffer.duplicate());
            writeFully(channel, buffer);
        }
    }

    private static float[] readFloats(FileChannel channel, int count, CRC32C crc) throws IOException {
        float[] values = new float[count];
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK_FLOATS * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < count; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, count - from);
            buffer.clear().limit(n * Float.BYTES);
            readFully(channel, buffer);
            buffer.flip();
            crc.update(buffer.duplicate());
            buffer.asFloatBuffer().get(values, from, n);
        }
        return values;
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
