package io.streamguard.model.encoder.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.EncoderClosedException;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderException;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.encoder.Precision;
import io.streamguard.model.encoder.SessionBaseline;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import io.streamguard.model.tokenizer.Encoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real bert-base-uncased weights, loaded once for the class (unpacked into target/ on first run). */
class TfBertEncoderTest {

    static final Path CACHE = Path.of("target", "model-cache");
    private static final int H = TfBertEncoder.HIDDEN;
    private static final int MASK_ID = 103;

    private static LoadedEncoder loaded;
    private static TfBertEncoder encoder;
    private static BertTokenizer tokenizer;

    @BeforeAll
    static void load() {
        loaded = EncoderFactory.create(
                EncoderConfig.of(EncoderConfig.BERT_BASE_UNCASED).withCacheDir(CACHE));
        encoder = (TfBertEncoder) loaded.encoder();
        tokenizer = loaded.tokenizer();
    }

    @AfterAll
    static void close() {
        if (loaded != null) {
            loaded.close();
        }
    }

    @Test
    void describesItselfAndItsVocabulary() throws Exception {
        var info = encoder.info();
        assertThat(info.id()).isEqualTo("bert-base-uncased");
        assertThat(info.hidden()).isEqualTo(768);
        assertThat(info.maxSequenceLength()).isEqualTo(512);
        // AUTO: CPU on the default native build, GPU under -Pgpu on a host with a card
        assertThat(info.device()).isEqualTo(TfDevices.available().contains("GPU") ? Device.GPU : Device.CPU);
        byte[] vocabTxt = Files.readAllBytes(CACHE.resolve("bert-base-uncased/assets/vocab.txt"));
        assertThat(info.vocabHash())
                .isEqualTo(HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(vocabTxt)))
                .isEqualTo(tokenizer.vocabulary().vocabHash());
        assertThat(tokenizer.vocabulary().size()).isEqualTo(30522);
        assertThat(tokenizer.vocabulary().token(MASK_ID)).isEqualTo("[MASK]");
        assertThat(tokenizer.options().maxLength()).isEqualTo(128);
    }

    /** Runs BERT's own masked-LM head (from the checkpoint) in Java: only real BERT weights predict "paris". */
    @Test
    void maskedLanguageModelHeadPredictsParis() {
        int[] left = inner(tokenizer.encode("the capital of france is"));
        int[] right = inner(tokenizer.encode("."));
        int[] ids = new int[left.length + right.length + 3];
        ids[0] = tokenizer.vocabulary().id(BertTokenizer.CLS).getAsInt();
        System.arraycopy(left, 0, ids, 1, left.length);
        int maskPos = left.length + 1;
        ids[maskPos] = MASK_ID;
        System.arraycopy(right, 0, ids, maskPos + 1, right.length);
        ids[ids.length - 1] = tokenizer.vocabulary().id(BertTokenizer.SEP).getAsInt();
        int l = ids.length;
        int[] mask = new int[l];
        Arrays.fill(mask, 1);
        float[] sequence = encoder.sequenceOutput(new EncodedBatch(1, l, ids, mask, new int[] {l}, new boolean[1]));
        float[] h = Arrays.copyOfRange(sequence, maskPos * H, (maskPos + 1) * H);

        float[] kernel = encoder.variable("cls/predictions/transform/dense/kernel", H * H); // [in, out]
        float[] bias = encoder.variable("cls/predictions/transform/dense/bias", H);
        float[] gamma = encoder.variable("cls/predictions/transform/LayerNorm/gamma", H);
        float[] beta = encoder.variable("cls/predictions/transform/LayerNorm/beta", H);
        int vocab = tokenizer.vocabulary().size();
        float[] embeddings = encoder.variable("bert/embeddings/word_embeddings", vocab * H); // tied output matrix
        float[] outputBias = encoder.variable("cls/predictions/output_bias", vocab);

        double[] t = new double[H];
        for (int o = 0; o < H; o++) {
            double x = bias[o];
            for (int i = 0; i < H; i++) {
                x += h[i] * (double) kernel[i * H + o];
            }
            // This checkpoint's graph uses Google BERT's tanh GELU (Pow/Tanh ops under
            // cls/predictions/transform/dense), so the reference does too; erf differs by < 1e-3.
            t[o] = 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
        }
        double mu = Arrays.stream(t).average().orElseThrow();
        double var = Arrays.stream(t).map(x -> (x - mu) * (x - mu)).average().orElseThrow();
        for (int i = 0; i < H; i++) {
            t[i] = (t[i] - mu) / Math.sqrt(var + 1e-12) * gamma[i] + beta[i];
        }
        double[] logits = new double[vocab];
        for (int v = 0; v < vocab; v++) {
            double s = outputBias[v];
            for (int i = 0; i < H; i++) {
                s += t[i] * embeddings[v * H + i];
            }
            logits[v] = s;
        }
        List<String> top5 = IntStream.range(0, vocab)
                .boxed()
                .sorted((a, b) -> Double.compare(logits[b], logits[a]))
                .limit(5)
                .map(v -> tokenizer.vocabulary().token(v) + String.format(" (%.2f)", logits[v]))
                .toList();
        System.out.println("masked-LM top-5 for 'the capital of france is [MASK] .': " + top5);
        assertThat(top5.get(0)).startsWith("paris ");
    }

    @Test
    void paddingInABatchDoesNotChangeEmbeddings() {
        String text = "you are great";
        Embeddings alone = encoder.encode(tokenizer.encodeBatch(List.of(text)));
        EncodedBatch padded = tokenizer.encodeBatch(
                List.of("this much longer message makes the short one get padded with many tokens", text));
        assertThat(padded.sequenceLength()).isGreaterThan(padded.lengths()[1]);
        Embeddings together = encoder.encode(padded);

        assertThat(together.pooledRow(1)).containsExactly(alone.pooledRow(0), within(1e-4f));
        assertThat(together.meanRow(1)).containsExactly(alone.meanRow(0), within(1e-4f));
        assertThat(together.pooledRow(0)).isNotEqualTo(together.pooledRow(1));
    }

    @Test
    void idsUnderAZeroAttentionMaskAreIgnored() {
        EncodedBatch batch = tokenizer.encodeBatch(List.of("hello there, friend", "hi"));
        int[] noisy = batch.ids().clone();
        Random random = new Random(7);
        int changed = 0;
        for (int i = 0; i < noisy.length; i++) {
            if (batch.attentionMask()[i] == 0) {
                noisy[i] = 1000 + random.nextInt(20000);
                changed++;
            }
        }
        assertThat(changed).isPositive();
        Embeddings clean = encoder.encode(batch);
        Embeddings withNoise = encoder.encode(new EncodedBatch(
                batch.size(),
                batch.sequenceLength(),
                noisy,
                batch.attentionMask(),
                batch.lengths(),
                batch.truncated()));

        assertThat(withNoise.pooled()).containsExactly(clean.pooled(), within(1e-4f));
        assertThat(withNoise.mean()).containsExactly(clean.mean(), within(1e-4f));
    }

    @Test
    void meanIsTheAttentionMaskedMeanOfTheLastLayer() {
        EncodedBatch batch = tokenizer.encodeBatch(List.of("spam spam spam and eggs", "ok"));
        float[] sequence = encoder.sequenceOutput(batch);
        Embeddings embeddings = encoder.encode(batch);
        int l = batch.sequenceLength();
        for (int r = 0; r < batch.size(); r++) {
            float[] expected = new float[H];
            for (int p = 0; p < batch.lengths()[r]; p++) {
                for (int i = 0; i < H; i++) {
                    expected[i] += sequence[(r * l + p) * H + i] / batch.lengths()[r];
                }
            }
            assertThat(embeddings.meanRow(r)).containsExactly(expected, within(1e-4f));
        }
        // pooled is BERT's tanh pooler, not the mean
        for (float x : embeddings.pooled()) {
            assertThat(Math.abs(x)).isLessThanOrEqualTo(1f);
        }
    }

    @Test
    void runsSequencesLongerThanTheSignaturesDeclared128() {
        String longText = String.join(" ", Collections.nCopies(200, "word"));
        EncodedBatch full = BertTokenizer.create(
                        tokenizer.vocabulary(), tokenizer.options().withMaxLength(160))
                .encodeBatch(List.of(longText));
        assertThat(full.sequenceLength()).isEqualTo(160);
        Embeddings embeddings = encoder.encode(full);
        assertThat(embeddings.batchSize()).isEqualTo(1);
        for (float x : embeddings.pooled()) {
            assertThat(Float.isFinite(x)).isTrue();
        }
    }

    @Test
    void rejectsBatchesBeyond512PositionsAndAcceptsEmptyOnes() {
        int l = 513;
        EncodedBatch tooLong = new EncodedBatch(1, l, new int[l], new int[l], new int[] {l}, new boolean[1]);
        assertThatThrownBy(() -> encoder.encode(tooLong))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining("513");
        Embeddings none = encoder.encode(tokenizer.encodeBatch(List.of()));
        assertThat(none.batchSize()).isZero();
        assertThat(none.pooled()).isEmpty();
    }

    @Test
    void bareSessionRunsReuseTheirInputsAndRejectWhatEncodeRejects() {
        try (SessionBaseline.BareRun bare = encoder.prepare(tokenizer.encodeBatch(List.of("hello there", "hi")))) {
            bare.run();
            bare.run();
        }
        int l = 513;
        EncodedBatch tooLong = new EncodedBatch(1, l, new int[l], new int[l], new int[] {l}, new boolean[1]);
        assertThatThrownBy(() -> encoder.prepare(tooLong))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining("513");
    }

    /** Same type as {@code OnnxBertEncoderTest}'s: a closed engine is the caller's bug, not a failed batch. */
    @Test
    void aClosedEncoderRefusesEveryCallWithEncoderClosedException() {
        EncodedBatch batch = tokenizer.encodeBatch(List.of("hello there"));
        LoadedEncoder own = EncoderFactory.create(
                EncoderConfig.of(EncoderConfig.BERT_BASE_UNCASED).withCacheDir(CACHE));
        TfBertEncoder bert = (TfBertEncoder) own.encoder();
        SessionBaseline.BareRun stale = bert.prepare(batch);
        own.close();
        own.close(); // idempotent
        assertThatThrownBy(() -> bert.encode(batch))
                .isInstanceOf(EncoderClosedException.class)
                .isNotInstanceOf(EncoderException.class)
                .hasMessage("bert-base-uncased encoder is closed");
        assertThatThrownBy(() -> bert.sequenceOutput(batch)).isInstanceOf(EncoderClosedException.class);
        assertThatThrownBy(() -> bert.prepare(batch)).isInstanceOf(EncoderClosedException.class);
        assertThatThrownBy(stale::run).isInstanceOf(EncoderClosedException.class);
        stale.close();
    }

    /** Its hate head loses 0.6 points in bfloat16 (README "Lower precision"), so auto means float32 here. */
    @Test
    void autoPrecisionStaysFloat32AndAnExplicitBfloat16IsHonoured() {
        EncoderConfig config = EncoderConfig.of(EncoderConfig.BERT_BASE_UNCASED)
                .withCacheDir(CACHE)
                .withDevice(Device.CPU);
        try (LoadedEncoder auto = EncoderFactory.create(config.withPrecision(Precision.AUTO))) {
            assertThat(auto.encoder().info().precision()).isEqualTo(Precision.FP32);
        }
        try (LoadedEncoder bf16 = EncoderFactory.create(config.withPrecision(Precision.BF16))) {
            assertThat(bf16.encoder().info().precision())
                    .isEqualTo(Precision.BF16.resolve(Device.CPU, Precision.cpuFlags()));
        }
    }

    @Test
    void concurrentCallersGetTheSameResultsAsSequentialOnes() throws Exception {
        List<String> texts = List.of("first message", "a second, slightly longer message", "third");
        List<EncodedBatch> batches =
                texts.stream().map(t -> tokenizer.encodeBatch(List.of(t))).toList();
        List<float[]> expected =
                batches.stream().map(b -> encoder.encode(b).pooled()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<float[]>> futures = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                EncodedBatch b = batches.get(i % 3);
                futures.add(pool.submit(() -> encoder.encode(b).pooled()));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).containsExactly(expected.get(i % 3), within(1e-5f));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reusesTheUnpackedCache() throws Exception {
        Path cached = CACHE.resolve("bert-base-uncased");
        var markerTime = Files.getLastModifiedTime(cached.resolve(SavedModelCache.MARKER));
        Path dir = ModelSource.modelDir(
                EncoderConfig.of(EncoderConfig.BERT_BASE_UNCASED).withCacheDir(CACHE));
        assertThat(dir).isEqualTo(cached.toAbsolutePath());
        assertThat(Files.getLastModifiedTime(dir.resolve(SavedModelCache.MARKER)))
                .isEqualTo(markerTime); // not re-unpacked
        assertThat(dir.resolve("saved_model.pb")).isRegularFile();
        assertThat(dir.resolve("variables/variables.data-00000-of-00001")).isRegularFile();
    }

    private static int[] inner(Encoding encoding) {
        return Arrays.copyOfRange(encoding.ids(), 1, encoding.length() - 1);
    }
}
