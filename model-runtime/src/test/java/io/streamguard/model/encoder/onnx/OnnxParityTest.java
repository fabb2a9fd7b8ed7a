package io.streamguard.model.encoder.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamguard.model.encoder.Device;
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
 * The TensorFlow graph against ONNX Runtime running the very model its weights came from, on the
 * same ids and mask: real sentences from the shared datasets and hand-picked hard cases, batched
 * with padding. Only unmasked positions of the last hidden state are compared (padding rows carry
 * values that no consumer reads).
 */
class OnnxParityTest {

    private static final double TOLERANCE = 1e-4;
    private static final List<String> HARD_CASES = List.of(
            "",
            "a",
            "!!!???...",
            "Ünïcödé àccents ÅND CAPS",
            "日本語のテキストと中文混合 text",
            "emoji 😀🔥 and a url https://example.com/x?y=1",
            "supercalifragilisticexpialidocious antidisestablishmentarianism",
            "word ".repeat(300));

    private static OnnxBertEncoder encoder;
    private static OnnxRuntimeReference reference;
    private static BertTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        encoder = OnnxBertEncoder.load(OnnxBertModel.MINILM_L6, Device.CPU);
        reference = new OnnxRuntimeReference(OnnxBertModel.MINILM_L6);
        tokenizer = OnnxBertModel.MINILM_L6.bundledTokenizer();
    }

    @AfterAll
    static void close() throws Exception {
        encoder.close();
        reference.close();
    }

    @Test
    void realSentencesMatchOnnxRuntime() throws Exception {
        Path datasets = Path.of(System.getProperty("streamguard.datasets.dir", "../../shared/datasets"));
        assumeTrue(Files.isDirectory(datasets), "shared datasets folder " + datasets.toAbsolutePath() + " is absent");
        List<String> texts = new ArrayList<>();
        texts.addAll(column(datasets.resolve("sst2/dev.tsv"), 12));
        texts.addAll(lines(datasets.resolve("tweeteval/hate/val_text.txt"), 12));
        assertThat(texts).hasSize(24);
        // Two batches of 12: mixed lengths so most rows are padded.
        assertParity(texts.subList(0, 12));
        assertParity(texts.subList(12, 24));
    }

    @Test
    void hardCasesMatchOnnxRuntime() throws Exception {
        EncodedBatch batch = tokenizer.encodeBatch(HARD_CASES);
        assertThat(batch.truncated()[HARD_CASES.size() - 1]).isTrue();
        assertThat(batch.sequenceLength()).isEqualTo(OnnxBertEncoder.DEFAULT_MAX_LENGTH);
        assertParity(HARD_CASES);
    }

    private static void assertParity(List<String> texts) throws Exception {
        EncodedBatch batch = tokenizer.encodeBatch(texts);
        OnnxBertEncoder.HiddenStates ours = encoder.encodeWithHiddenStates(batch);
        float[] expected = reference.lastHidden(batch);
        int h = ours.hidden();
        double hiddenDiff = 0;
        for (int row = 0; row < batch.size() * batch.sequenceLength(); row++) {
            if (batch.attentionMask()[row] == 0) {
                continue;
            }
            for (int d = 0; d < h; d++) {
                hiddenDiff = Math.max(hiddenDiff, Math.abs(ours.lastHidden()[row * h + d] - expected[row * h + d]));
            }
        }
        double meanDiff =
                OnnxBertEncoderTest.maxAbsDiff(ours.mean(), OnnxRuntimeReference.meanPool(expected, batch, h));
        System.out.printf(
                "minilm-l6 parity %dx%d: max |hidden diff| %.3g, max |mean diff| %.3g%n",
                batch.size(), batch.sequenceLength(), hiddenDiff, meanDiff);
        assertThat(hiddenDiff).isLessThanOrEqualTo(TOLERANCE);
        assertThat(meanDiff).isLessThanOrEqualTo(TOLERANCE);
    }

    private static List<String> column(Path tsv, int n) throws IOException {
        try (var lines = Files.lines(tsv, StandardCharsets.UTF_8)) {
            return lines.skip(1)
                    .map(l -> l.substring(l.indexOf('\t') + 1))
                    .limit(n)
                    .toList();
        }
    }

    private static List<String> lines(Path file, int n) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.limit(n).toList();
        }
    }
}
