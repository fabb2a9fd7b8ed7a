package io.streamguard.model.encoder.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.EncoderClosedException;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderException;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.SessionBaseline;
import io.streamguard.model.encoder.tf.TfDevices;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxBertEncoderTest {

    private static OnnxBertEncoder encoder;
    private static BertTokenizer tokenizer;

    @BeforeAll
    static void load() {
        encoder = OnnxBertEncoder.load(OnnxBertModel.MINILM_L6, Device.CPU);
        tokenizer = OnnxBertModel.MINILM_L6.bundledTokenizer();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void infoDescribesTheModelAndItsVocabulary() {
        assertThat(encoder.info().id()).isEqualTo("minilm-l6");
        assertThat(encoder.info().hidden()).isEqualTo(384);
        assertThat(encoder.info().maxSequenceLength()).isEqualTo(512);
        assertThat(encoder.info().vocabHash()).isEqualTo(tokenizer.vocabulary().vocabHash());
        assertThat(encoder.info().device()).isEqualTo(Device.CPU);
        assertThat(tokenizer.options().maxLength()).isEqualTo(OnnxBertEncoder.DEFAULT_MAX_LENGTH);
    }

    @Test
    void aTextAlonePaddedInABatchGivesTheSameEmbedding() {
        String text = "the service was slow but the staff were friendly";
        Embeddings alone = encoder.encode(tokenizer.encodeBatch(List.of(text)));
        EncodedBatch batch = tokenizer.encodeBatch(List.of(
                "a much longer message that forces the short one to be padded with many pad tokens at the end",
                text,
                "ok"));
        assertThat(batch.lengths()[1]).isLessThan(batch.sequenceLength());
        Embeddings padded = encoder.encode(batch);
        assertThat(maxAbsDiff(alone.meanRow(0), padded.meanRow(1))).isLessThanOrEqualTo(1e-5);
        assertThat(padded.pooled()).isSameAs(padded.mean());
    }

    @Test
    void similarSentencesAreCloserThanUnrelatedOnes() {
        Embeddings e = encoder.encode(tokenizer.encodeBatch(
                List.of("a cat sits on the mat", "a kitten is sitting on a rug", "stock markets fell sharply today")));
        double similar = cosine(e.meanRow(0), e.meanRow(1));
        double unrelated = cosine(e.meanRow(0), e.meanRow(2));
        assertThat(similar).isGreaterThan(unrelated + 0.2);
    }

    @Test
    void hiddenStatesHaveTheBatchShapeAndTheirMaskedMeanIsThePooledVector() {
        EncodedBatch batch = tokenizer.encodeBatch(List.of("hello world", "a longer second sentence here"));
        OnnxBertEncoder.HiddenStates out = encoder.encodeWithHiddenStates(batch);
        assertThat(out.lastHidden()).hasSize(2 * batch.sequenceLength() * 384);
        int len = batch.lengths()[0];
        for (int d = 0; d < 384; d += 37) {
            double sum = 0;
            for (int t = 0; t < len; t++) {
                sum += out.lastHidden()[t * 384 + d];
            }
            assertThat(out.mean()[d]).isCloseTo((float) (sum / len), Offset.offset(1e-5f));
        }
    }

    @Test
    void emptyBatchNeedsNoSession() {
        Embeddings e = encoder.encode(tokenizer.encodeBatch(List.of()));
        assertThat(e.batchSize()).isZero();
        assertThat(e.mean()).isEmpty();
    }

    @Test
    void idsOutsideTheVocabularyAreRejectedBeforeTensorFlow() {
        EncodedBatch batch = new EncodedBatch(
                1, 3, new int[] {101, 30522, 102}, new int[] {1, 1, 1}, new int[] {3}, new boolean[] {false});
        assertThatThrownBy(() -> encoder.encode(batch))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining("30522");
    }

    @Test
    void sequencesLongerThanThePositionTableAreRejected() {
        int n = 513;
        EncodedBatch batch = new EncodedBatch(1, n, new int[n], new int[n], new int[] {n}, new boolean[] {false});
        assertThatThrownBy(() -> encoder.encode(batch))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining("513");
    }

    @Test
    void gpuRequestRunsWhereTensorFlowCanAndClosedEncoderRefusesWork() {
        try (OnnxBertEncoder gpu = OnnxBertEncoder.load(OnnxBertModel.MINILM_L6, Device.GPU)) {
            // The CPU build (default) falls back to the CPU; the -Pgpu build on a CUDA host keeps the GPU.
            Device expected = TfDevices.available().contains("GPU") ? Device.GPU : Device.CPU;
            assertThat(gpu.info().device()).isEqualTo(expected);
            assertThat(gpu.encode(tokenizer.encodeBatch(List.of("hi"))).hidden())
                    .isEqualTo(384);
            gpu.close();
            assertThatThrownBy(() -> gpu.encode(tokenizer.encodeBatch(List.of("hi"))))
                    .isInstanceOf(EncoderClosedException.class);
        }
    }

    /** Same type as {@code TfBertEncoderTest}'s: a closed engine is the caller's bug, not a failed batch. */
    @Test
    void aClosedEncoderRefusesEveryCallWithEncoderClosedException() {
        EncodedBatch batch = tokenizer.encodeBatch(List.of("hello there"));
        OnnxBertEncoder own = OnnxBertEncoder.load(OnnxBertModel.MINILM_L6, Device.CPU);
        SessionBaseline.BareRun stale = own.prepare(batch);
        own.close();
        own.close(); // idempotent
        assertThatThrownBy(() -> own.encode(batch))
                .isInstanceOf(EncoderClosedException.class)
                .isNotInstanceOf(EncoderException.class)
                .hasMessage("minilm-l6 encoder is closed");
        assertThatThrownBy(() -> own.encodeWithHiddenStates(batch)).isInstanceOf(EncoderClosedException.class);
        assertThatThrownBy(() -> own.prepare(batch)).isInstanceOf(EncoderClosedException.class);
        assertThatThrownBy(stale::run).isInstanceOf(EncoderClosedException.class);
        stale.close();
    }

    @Test
    void bareSessionRunsReuseTheirInputsAndStopWithTheEncoder() {
        EncodedBatch batch = tokenizer.encodeBatch(List.of("hello there", "hi"));
        try (OnnxBertEncoder own = OnnxBertEncoder.load(OnnxBertModel.MINILM_L6, Device.CPU)) {
            try (SessionBaseline.BareRun bare = own.prepare(batch)) {
                bare.run();
                bare.run();
            }
            int n = 513;
            assertThatThrownBy(() -> own.prepare(
                            new EncodedBatch(1, n, new int[n], new int[n], new int[] {n}, new boolean[] {false})))
                    .isInstanceOf(EncoderException.class)
                    .hasMessageContaining("513");
            SessionBaseline.BareRun stale = own.prepare(batch);
            own.close();
            // Its session is gone: a run must fail cleanly, not reach freed native memory.
            assertThatThrownBy(stale::run).isInstanceOf(EncoderClosedException.class);
            stale.close();
        }
    }

    @Test
    void createFromConfigPairsEncoderWithTokenizerOfTheRequestedLength(@TempDir Path cache) {
        EncoderConfig config =
                EncoderConfig.of(EncoderConfig.MINILM_L6).withCacheDir(cache).withMaxLength(64);
        try (LoadedEncoder loaded = OnnxBertEncoder.create(config)) {
            assertThat(loaded.tokenizer().options().maxLength()).isEqualTo(64);
            assertThat(loaded.encoder().info().id()).isEqualTo("minilm-l6");
            Embeddings fromFactory = loaded.encoder().encode(loaded.tokenizer().encodeBatch(List.of("hello")));
            Embeddings direct = encoder.encode(tokenizer.encodeBatch(List.of("hello")));
            assertThat(maxAbsDiff(fromFactory.mean(), direct.mean())).isLessThanOrEqualTo(1e-6);
        }
        assertThatThrownBy(() -> OnnxBertEncoder.create(EncoderConfig.of(EncoderConfig.BERT_BASE_UNCASED)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createReadsAnUnpackedModelDirectoryAndReportsAMissingFile(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> OnnxBertEncoder.create(
                        EncoderConfig.of(EncoderConfig.MINILM_L6).withModelPath(dir)))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining(OnnxBertModel.MINILM_L6.tokenizerResource());
        Files.write(dir.resolve("not-a-jar.bin"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> OnnxBertEncoder.create(
                        EncoderConfig.of(EncoderConfig.MINILM_L6).withModelPath(dir.resolve("not-a-jar.bin"))))
                .isInstanceOf(EncoderException.class);
    }

    @Test
    void garbageIsNotAModel() {
        assertThatThrownBy(() -> OnnxBertWeights.read(
                        new ByteArrayInputStream(new byte[] {(byte) 0xff, 0x7, 0x1}), OnnxBertConfig.ALL_MINILM_L6_V2))
                .isInstanceOf(InvalidModelException.class);
        // A valid but empty ModelProto: the first missing weight is named.
        assertThatThrownBy(() ->
                        OnnxBertWeights.read(new ByteArrayInputStream(new byte[0]), OnnxBertConfig.ALL_MINILM_L6_V2))
                .isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("embeddings.word_embeddings.weight");
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
