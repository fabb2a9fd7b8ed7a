package io.streamguard.model.encoder.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bge-small-zh rebuilt in TensorFlow against ONNX Runtime on the int8 model its weights came from. The
 * two do not compute the same function, by design: ONNX Runtime also rounds every activation to uint8
 * before each int8 MatMul ({@code DynamicQuantizeLinear}), our graph multiplies float32 activations by the
 * dequantized int8 weights. So parity is measured, not exact: the sentence vectors ([CLS], what the heads
 * read) must point the same way (cosine), and the hidden states stay within the rounding noise of 8-bit
 * activations. Texts: COLD and ChnSentiCorp dev sentences, mixed Chinese/English and emoji cases.
 */
class BgeSmallZhParityTest {

    /** Measured 2026-12-07: see the printed lines; the floors leave room for CPU kernel differences only. */
    private static final double MIN_COSINE = 0.98;

    private static final double MIN_MEAN_COSINE = 0.99;

    private static final List<String> HARD_CASES = List.of(
            "这个product真的很好!!",
            "iPhone 15 Pro 价格 ¥8999，太贵了吧？",
            "全角标点，数字１２３和ＡＢＣ。",
            "繁體中文的句子也要能處理",
            "😀👍🏻 哈哈哈 👨‍👩‍👧",
            "你",
            "日本語のテキストと中文混合 text",
            "垃圾".repeat(200));

    private static OnnxBertEncoder encoder;
    private static OnnxRuntimeReference reference;
    private static BertTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        encoder = OnnxBertEncoder.load(OnnxBertModel.BGE_SMALL_ZH, Device.CPU);
        reference = new OnnxRuntimeReference(OnnxBertModel.BGE_SMALL_ZH);
        tokenizer = OnnxBertModel.BGE_SMALL_ZH.bundledTokenizer();
    }

    @AfterAll
    static void close() throws Exception {
        encoder.close();
        reference.close();
    }

    @Test
    void describesTheChineseModel() {
        assertThat(encoder.info().id()).isEqualTo("bge-small-zh");
        assertThat(encoder.info().hidden()).isEqualTo(512);
        assertThat(tokenizer.vocabulary().size()).isEqualTo(21_128);
        assertThat(encoder.info().vocabHash()).isEqualTo(tokenizer.vocabulary().vocabHash());
    }

    @Test
    void realChineseSentencesPointTheSameWayAsOnnxRuntime() throws Exception {
        Path datasets = Path.of(System.getProperty("streamguard.datasets.dir", "../../shared/datasets"));
        assumeTrue(Files.isDirectory(datasets.resolve("cold")), "shared datasets are absent");
        List<String> texts = new ArrayList<>();
        texts.addAll(lastColumn(datasets.resolve("cold/dev.csv"), ',', 4, 16));
        texts.addAll(lastColumn(datasets.resolve("chnsenticorp/dev.tsv"), '\t', 1, 16));
        assertThat(texts).hasSize(32);
        assertParity("datasets", texts.subList(0, 16));
        assertParity("datasets", texts.subList(16, 32));
    }

    @Test
    void mixedScriptsAndEmojiPointTheSameWayAsOnnxRuntime() throws Exception {
        EncodedBatch batch = tokenizer.encodeBatch(HARD_CASES);
        assertThat(batch.truncated()[HARD_CASES.size() - 1]).isTrue();
        assertParity("hard cases", HARD_CASES);
    }

    @Test
    void pooledIsTheClsStateAndMeanTheMaskedMean() {
        EncodedBatch batch = tokenizer.encodeBatch(List.of("今天天气很好", "这家店的服务太差了，再也不来了"));
        OnnxBertEncoder.HiddenStates states = encoder.encodeWithHiddenStates(batch);
        Embeddings embeddings = encoder.encode(batch);
        int h = states.hidden();
        int l = states.sequenceLength();
        for (int b = 0; b < batch.size(); b++) {
            float[] cls = new float[h];
            System.arraycopy(states.lastHidden(), b * l * h, cls, 0, h);
            assertThat(OnnxBertEncoderTest.maxAbsDiff(embeddings.pooledRow(b), cls))
                    .isLessThan(1e-5);
        }
        assertThat(OnnxBertEncoderTest.maxAbsDiff(
                        embeddings.mean(), OnnxRuntimeReference.meanPool(states.lastHidden(), batch, h)))
                .isLessThan(1e-4);
        assertThat(OnnxBertEncoderTest.maxAbsDiff(embeddings.pooled(), embeddings.mean()))
                .isGreaterThan(0.01);
    }

    private static void assertParity(String what, List<String> texts) throws Exception {
        EncodedBatch batch = tokenizer.encodeBatch(texts);
        OnnxBertEncoder.HiddenStates ours = encoder.encodeWithHiddenStates(batch);
        float[] expected = reference.lastHidden(batch);
        int h = ours.hidden();
        int l = batch.sequenceLength();
        double minCosine = 1;
        double sumCosine = 0;
        double maxDiff = 0;
        for (int b = 0; b < batch.size(); b++) {
            double cosine = cosine(ours.pooled(), b * h, expected, b * l * h, h);
            minCosine = Math.min(minCosine, cosine);
            sumCosine += cosine;
            for (int t = 0; t < l; t++) {
                if (batch.attentionMask()[b * l + t] == 1) {
                    for (int d = 0; d < h; d++) {
                        int i = (b * l + t) * h + d;
                        maxDiff = Math.max(maxDiff, Math.abs(ours.lastHidden()[i] - expected[i]));
                    }
                }
            }
        }
        double meanCosine = sumCosine / batch.size();
        System.out.printf(
                "bge-small-zh parity (%s) %dx%d: [CLS] cosine mean %.5f min %.5f, max |hidden diff| %.3g%n",
                what, batch.size(), l, meanCosine, minCosine, maxDiff);
        assertThat(minCosine).isGreaterThanOrEqualTo(MIN_COSINE);
        assertThat(meanCosine).isGreaterThanOrEqualTo(MIN_MEAN_COSINE);
    }

    private static double cosine(float[] a, int aFrom, float[] b, int bFrom, int n) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < n; i++) {
            dot += (double) a[aFrom + i] * b[bFrom + i];
            na += (double) a[aFrom + i] * a[aFrom + i];
            nb += (double) b[bFrom + i] * b[bFrom + i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** The text column of a dataset file: what follows the {@code before}-th separator (quotes stripped). */
    private static List<String> lastColumn(Path file, char separator, int before, int n) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.skip(1)
                    .map(line -> {
                        int at = -1;
                        for (int i = 0; i < before; i++) {
                            at = line.indexOf(separator, at + 1);
                        }
                        String text = line.substring(at + 1);
                        return text.startsWith("\"") && text.endsWith("\"")
                                ? text.substring(1, text.length() - 1).replace("\"\"", "\"")
                                : text;
                    })
                    .limit(n)
                    .toList();
        }
    }
}
