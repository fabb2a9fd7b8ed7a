package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.TestAdapters;
import io.streamguard.model.heads.Feature;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {

    /** 40 texts of very different lengths, so sorting by length really reorders them across two batches. */
    private static final List<String> TEXTS = new ArrayList<>();

    static {
        String[] base = {
            "ok",
            "you are an idiot and everyone knows it",
            "WINNER!! As a valued network customer you have been selected to receive a £900 prize reward! "
                    + "To claim call 09061701461. Claim code KL341. Valid 12 hours only.",
            "the film is a charming , often hilarious portrait of a family",
            "@user @user shut up",
            "a",
            "this restaurant was fine i guess , nothing special but the staff were friendly and quick",
            "refugees welcome",
            "Free entry in 2 a wkly comp to win FA Cup final tkts",
            "meh",
        };
        for (int i = 0; i < 40; i++) {
            TEXTS.add(base[i % base.length] + (i >= base.length ? " " + "again ".repeat(i / 3) : ""));
        }
    }

    private static LoadedEncoder minilm;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() {
        minilm = EncoderFactory.create(EncoderConfig.of(EncoderConfig.MINILM_L6).withDevice(Device.CPU));
    }

    @AfterAll
    static void close() {
        minilm.close();
    }

    @Test
    void rowsFollowInputOrderAndEqualEncodingEachTextAlone() {
        FeatureMatrix m = new FeatureCache(dir).features(minilm, TEXTS, ProgressListener.NONE);
        assertThat(m.rows()).isEqualTo(TEXTS.size());
        assertThat(m.hidden()).isEqualTo(384);
        for (int i = 0; i < TEXTS.size(); i += 3) {
            Embeddings alone = minilm.encoder().encode(minilm.tokenizer().encodeBatch(List.of(TEXTS.get(i))));
            float[] row = Arrays.copyOfRange(m.mean(), i * 384, (i + 1) * 384);
            assertThat(maxAbsDiff(row, alone.meanRow(0))).as("row %d", i).isLessThan(1e-4);
        }
        float[] both = m.matrix(Feature.POOLED_AND_MEAN);
        assertThat(both).hasSize(TEXTS.size() * 768);
        assertThat(Arrays.copyOfRange(both, 5 * 768 + 384, 6 * 768))
                .containsExactly(Arrays.copyOfRange(m.mean(), 5 * 384, 6 * 384));
    }

    @Test
    void aHitReturnsIdenticalFloatsWithoutEncoding() throws Exception {
        FeatureCache cache = new FeatureCache(dir);
        AtomicLong calls = new AtomicLong();
        FeatureMatrix first = cache.features(minilm, TEXTS, (done, total, elapsed) -> calls.incrementAndGet());
        long extractionCalls = calls.get();
        assertThat(extractionCalls).isEqualTo(1 + 2); // start, then one per batch of 32
        Path file = cache.file(minilm, TEXTS);
        assertThat(file).exists();
        // MiniLM's pooled vector is its mean: stored once.
        assertThat(Files.size(file)).isEqualTo(8 + 32 + 12 + 40L * 384 * 4 + 8);
        assertThat(Files.list(dir)).containsExactly(file); // no temp file left behind

        FeatureMatrix second = cache.features(minilm, TEXTS, (done, total, elapsed) -> {
            calls.incrementAndGet();
            assertThat(done).isEqualTo(total);
        });
        assertThat(calls.get()).isEqualTo(extractionCalls + 1);
        assertThat(second.pooled()).containsExactly(first.pooled());
        assertThat(second.mean()).containsExactly(first.mean());

        List<String> changed = new ArrayList<>(TEXTS);
        changed.set(7, changed.get(7) + "!");
        assertThat(cache.file(minilm, changed)).isNotEqualTo(file);
    }

    @Test
    void truncatedOrCorruptFilesAreRecomputed() throws Exception {
        FeatureCache cache = new FeatureCache(dir);
        List<String> texts = TEXTS.subList(0, 20);
        FeatureMatrix original = cache.features(minilm, texts, ProgressListener.NONE);
        Path file = cache.file(minilm, texts);
        long size = Files.size(file);

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size - 100);
        }
        AtomicLong calls = new AtomicLong();
        FeatureMatrix recomputed = cache.features(minilm, texts, (d, t, e) -> calls.incrementAndGet());
        assertThat(calls.get()).as("extracted again").isEqualTo(2);
        assertThat(recomputed.mean()).containsExactly(original.mean());
        assertThat(Files.size(file)).isEqualTo(size);

        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(size / 2);
            raf.write(raf.read() ^ 0x40); // one flipped bit in a float: only the checksum sees it
        }
        calls.set(0);
        FeatureMatrix again = cache.features(minilm, texts, (d, t, e) -> calls.incrementAndGet());
        assertThat(calls.get()).isEqualTo(2);
        assertThat(again.mean()).containsExactly(original.mean());
    }

    @Test
    void anUnwritableCacheStillReturnsTheFeatures() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        List<String> texts = TEXTS.subList(0, 3);
        FeatureMatrix m = new FeatureCache(notADirectory).features(minilm, texts, ProgressListener.NONE);
        assertThat(m.rows()).isEqualTo(3);
        assertThat(Files.readString(notADirectory)).isEqualTo("x");
    }

    @Test
    void selectPicksRows() {
        FeatureMatrix m = new FeatureMatrix(3, 2, new float[] {1, 2, 3, 4, 5, 6}, new float[] {7, 8, 9, 10, 11, 12});
        FeatureMatrix s = m.select(new int[] {2, 0});
        assertThat(s.pooled()).containsExactly(5, 6, 1, 2);
        assertThat(s.mean()).containsExactly(11, 12, 7, 8);
        assertThat(m.matrix(Feature.POOLED_AND_MEAN)).containsExactly(1, 2, 7, 8, 3, 4, 9, 10, 5, 6, 11, 12);
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void adaptersAreInTheKeySoTunedFeaturesNeverPassForFrozenOnes() {
        // The key reads the encoder's identity, not its weights: a view that claims adapters is enough.
        LoadedEncoder tuned = new LoadedEncoder(minilm.encoder(), minilm.tokenizer(), TestAdapters.tiny(1));
        LoadedEncoder otherTuning = new LoadedEncoder(minilm.encoder(), minilm.tokenizer(), TestAdapters.tiny(2));
        FeatureCache cache = new FeatureCache(dir);

        assertThat(cache.file(tuned, TEXTS)).isNotEqualTo(cache.file(minilm, TEXTS));
        assertThat(cache.file(otherTuning, TEXTS)).isNotEqualTo(cache.file(tuned, TEXTS));
        assertThat(cache.file(new LoadedEncoder(minilm.encoder(), minilm.tokenizer(), TestAdapters.tiny(1)), TEXTS))
                .isEqualTo(cache.file(tuned, TEXTS));
        // The key is the encoder's identity, not the object's: another handle on the frozen encoder shares it.
        assertThat(cache.file(new LoadedEncoder(minilm.encoder(), minilm.tokenizer()), TEXTS))
                .isEqualTo(cache.file(minilm, TEXTS));
    }
}
