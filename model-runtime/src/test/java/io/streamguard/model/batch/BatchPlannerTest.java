package io.streamguard.model.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.model.encoder.onnx.OnnxBertModel;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import io.streamguard.model.tokenizer.Encoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

    private static final int PAD = 0;

    private static BertTokenizer tokenizer;
    private static List<String> sentences;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = OnnxBertModel.MINILM_L6.bundledTokenizer();
        sentences = devSentences(60);
    }

    /** The first {@code n} SST-2 dev sentences (mixed lengths, 4 to ~60 tokens). */
    static List<String> devSentences(int n) throws IOException {
        Path datasets = Path.of(System.getProperty("streamguard.datasets.dir", "../../shared/datasets"));
        try (var lines = Files.lines(datasets.resolve("sst2/dev.tsv"))) {
            return lines.skip(1)
                    .limit(n)
                    .map(line -> line.substring(line.indexOf('\t') + 1))
                    .toList();
        }
    }

    /** An unpadded encoding of {@code length} tokens whose ids say which one it is. */
    private static Encoding synthetic(int tag, int length) {
        int[] ids = new int[length];
        Arrays.fill(ids, 1000 + tag);
        int[] mask = new int[length];
        Arrays.fill(mask, 1);
        return new Encoding(ids, mask, length, tag % 3 == 0);
    }

    private static List<Encoding> synthetic(int... lengths) {
        List<Encoding> out = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            out.add(synthetic(i, lengths[i]));
        }
        return out;
    }

    private static List<List<Integer>> indices(List<PlannedBatch> plan) {
        return plan.stream()
                .map(b -> Arrays.stream(b.indices()).boxed().toList())
                .toList();
    }

    @Test
    void paddingEncodingsEqualsEncodingTheBatch() {
        List<String> texts = List.of(
                "short",
                "a somewhat longer sentence with more word pieces in it",
                "",
                "tokenization of unbelievably uncommon words");
        List<Encoding> encodings = texts.stream().map(tokenizer::encode).toList();
        assertThat(tokenizer.pad(encodings)).isEqualTo(tokenizer.encodeBatch(texts));
        assertThat(EncodedBatch.of(encodings, tokenizer.padId())).isEqualTo(tokenizer.encodeBatch(texts));
        // Truncation flags survive: a text over maxLength.
        List<String> withLong = List.of("hi", "word ".repeat(300));
        EncodedBatch padded =
                tokenizer.pad(withLong.stream().map(tokenizer::encode).toList());
        assertThat(padded).isEqualTo(tokenizer.encodeBatch(withLong));
        assertThat(padded.truncated()).containsExactly(false, true);
        // Only the first length() positions of an already padded encoding count.
        EncodedBatch batch = tokenizer.encodeBatch(texts);
        List<Encoding> rows = new ArrayList<>();
        for (int r = 0; r < batch.size(); r++) {
            int from = r * batch.sequenceLength();
            rows.add(new Encoding(
                    Arrays.copyOfRange(batch.ids(), from, from + batch.sequenceLength()),
                    Arrays.copyOfRange(batch.attentionMask(), from, from + batch.sequenceLength()),
                    batch.lengths()[r],
                    batch.truncated()[r]));
        }
        assertThat(tokenizer.pad(rows)).isEqualTo(batch);
        assertThat(tokenizer.pad(List.of())).isEqualTo(tokenizer.encodeBatch(List.of()));
    }

    @Test
    void cutsGreedilyInStableLengthOrder() {
        BatchPlanner planner = new BatchPlanner(new BatchPolicy(3, 20), PAD);
        // Sorted: #1 (3), #4 (3), #3 (4), #0 (5), #2 (10). Rows cap the first batch at 3 (3 x 4 = 12 cells),
        // then #0 and #2 fit exactly: 2 x 10 = 20.
        List<PlannedBatch> plan = planner.plan(synthetic(5, 3, 10, 4, 3));
        assertThat(indices(plan)).containsExactly(List.of(1, 4, 3), List.of(0, 2));
        assertThat(plan.get(0).batch().sequenceLength()).isEqualTo(4);
        assertThat(plan.get(1).batch().sequenceLength()).isEqualTo(10);
        assertThat(plan.get(1).paddedTokens()).isEqualTo(20);
        // One cell less and #2 no longer fits beside #0.
        assertThat(indices(new BatchPlanner(new BatchPolicy(3, 19), PAD).plan(synthetic(5, 3, 10, 4, 3))))
                .containsExactly(List.of(1, 4, 3), List.of(0), List.of(2));
    }

    @Test
    void aTextLongerThanTheBudgetRunsAlone() {
        BatchPlanner planner = new BatchPlanner(new BatchPolicy(8, 20), PAD);
        List<PlannedBatch> plan = planner.plan(synthetic(50, 3, 3, 60));
        assertThat(indices(plan)).containsExactly(List.of(1, 2), List.of(0), List.of(3));
        assertThat(plan.get(1).batch().sequenceLength()).isEqualTo(50);
        assertThat(plan.get(1).batch().row(0)).isEqualTo(synthetic(0, 50));
    }

    @Test
    void noEncodingsNoBatches() {
        assertThat(new BatchPlanner(BatchPolicy.DEFAULT, PAD).plan(List.of())).isEmpty();
    }

    @Test
    void randomInputsRespectTheLimitsAndPlaceEveryTextOnce() {
        Random random = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = random.nextInt(120);
            int[] lengths = new int[n];
            for (int i = 0; i < n; i++) {
                lengths[i] = 2 + random.nextInt(random.nextBoolean() ? 20 : 200);
            }
            BatchPolicy policy = new BatchPolicy(1 + random.nextInt(40), 1 + random.nextInt(3000));
            List<Encoding> encodings = synthetic(lengths);
            List<PlannedBatch> plan = new BatchPlanner(policy, PAD).plan(encodings);

            int[] seen = new int[n];
            for (PlannedBatch b : plan) {
                EncodedBatch batch = b.batch();
                assertThat(batch.size()).isBetween(1, policy.maxBatchSize());
                if (batch.size() > 1) {
                    assertThat(b.paddedTokens()).isLessThanOrEqualTo(policy.maxTokensPerBatch());
                }
                int longest = 0;
                for (int r = 0; r < batch.size(); r++) {
                    int index = b.indices()[r];
                    seen[index]++;
                    assertThat(batch.row(r)).isEqualTo(encodings.get(index));
                    longest = Math.max(longest, lengths[index]);
                }
                // Padded to its own longest member, not to some global maximum.
                assertThat(batch.sequenceLength()).isEqualTo(longest);
            }
            int[] once = new int[n];
            Arrays.fill(once, 1);
            assertThat(seen).as("trial %d", trial).containsExactly(once);
        }
    }

    @Test
    void bucketingPadsStrictlyLessThanBatchingInArrivalOrder() {
        List<Encoding> encodings = sentences.stream().map(tokenizer::encode).toList();
        int[] lengths = encodings.stream().mapToInt(Encoding::length).toArray();
        assertThat(Arrays.stream(lengths).max().getAsInt())
                .isGreaterThan(3 * Arrays.stream(lengths).min().getAsInt());

        BatchPolicy policy = new BatchPolicy(16, 4096);
        List<PlannedBatch> plan = new BatchPlanner(policy, tokenizer.padId()).plan(encodings);
        long bucketed = plan.stream().mapToLong(PlannedBatch::paddedTokens).sum();
        long arrival = 0;
        for (int from = 0; from < encodings.size(); from += policy.maxBatchSize()) {
            arrival += tokenizer
                    .pad(encodings.subList(from, Math.min(encodings.size(), from + policy.maxBatchSize())))
                    .ids()
                    .length;
        }
        long real = Arrays.stream(lengths).sum();
        System.out.printf(
                "bucketing %d sst2 sentences (%d real tokens): %d padded cells in %d batches, " + "arrival order %d%n",
                encodings.size(), real, bucketed, plan.size(), arrival);
        assertThat(bucketed).isLessThan(arrival).isGreaterThanOrEqualTo(real);
        // Same number of encoder calls here, so the saving is pure padding.
        assertThat(plan).hasSize((encodings.size() + policy.maxBatchSize() - 1) / policy.maxBatchSize());
        assertThat(plan.stream()
                        .flatMapToInt(b -> Arrays.stream(b.indices()))
                        .boxed()
                        .collect(Collectors.toSet()))
                .hasSize(encodings.size());
    }

    @Test
    void policyLimitsMustBePositive() {
        assertThatThrownBy(() -> new BatchPolicy(0, 10)).hasMessageContaining("maxBatchSize must be at least 1");
        assertThatThrownBy(() -> new BatchPolicy(1, 0)).hasMessageContaining("maxTokensPerBatch must be at least 1");
        assertThat(BatchPolicy.DEFAULT).isEqualTo(new BatchPolicy(32, 4096));
    }
}
