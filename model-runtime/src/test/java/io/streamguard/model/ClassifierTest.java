package io.streamguard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.model.batch.BatchPlanner;
import io.streamguard.model.batch.BatchPolicy;
import io.streamguard.model.batch.PlannedBatch;
import io.streamguard.model.encoder.Embeddings;
import io.streamguard.model.encoder.Encoder;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderException;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.Classification;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.IncompatibleHeadsException;
import io.streamguard.model.heads.Scores;
import io.streamguard.model.heads.TestHeads;
import io.streamguard.model.tokenizer.EncodedBatch;
import io.streamguard.model.tokenizer.Encoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The classifier on the real MiniLM encoder with seeded random heads. */
class ClassifierTest {

    private static final double TOLERANCE = 1e-4;

    private static LoadedEncoder minilm;
    private static List<String> texts;
    private static AtomicBoolean viewClosed;

    @BeforeAll
    static void load() throws IOException {
        minilm = EncoderFactory.create(EncoderConfig.of(EncoderConfig.MINILM_L6));
        Path datasets = Path.of(System.getProperty("streamguard.datasets.dir", "../../shared/datasets"));
        List<String> mixed = new ArrayList<>();
        try (var lines = Files.lines(datasets.resolve("sst2/dev.tsv"))) {
            lines.skip(1)
                    .limit(34)
                    .map(line -> line.substring(line.indexOf('\t') + 1))
                    .forEach(mixed::add);
        }
        mixed.addAll(List.of(
                "ok",
                "",
                "BUY CHEAP PILLS NOW!!! click here",
                "you are an idiot",
                "what a lovely day " + "and another lovely day ".repeat(40),
                "thanks"));
        texts = List.copyOf(mixed);
    }

    @AfterAll
    static void close() {
        minilm.close();
    }

    /**
     * The shared encoder behind a classifier that must not close it: a view that fails the call
     * numbered {@code failCall} and whose close only sets {@link #viewClosed}.
     */
    private static LoadedEncoder shared(int failCall) {
        Encoder real = minilm.encoder();
        AtomicInteger calls = new AtomicInteger();
        viewClosed = new AtomicBoolean();
        AtomicBoolean closed = viewClosed;
        Encoder view = new Encoder() {
            @Override
            public EncoderInfo info() {
                return real.info();
            }

            @Override
            public Embeddings encode(EncodedBatch batch) {
                if (calls.getAndIncrement() == failCall) {
                    throw new EncoderException("simulated engine failure");
                }
                return real.encode(batch);
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        return new LoadedEncoder(view, minilm.tokenizer());
    }

    private static LoadedEncoder shared() {
        return shared(-1);
    }

    private static HeadsModel heads(String version, long seed) {
        EncoderInfo info = minilm.encoder().info();
        return TestHeads.random(
                version,
                seed,
                info.id(),
                info.vocabHash(),
                info.hidden(),
                Feature.MEAN,
                minilm.tokenizer().options().maxLength());
    }

    /** What {@code model} gives {@code text} encoded alone, with no padding at all. */
    private static Scores alone(HeadsModel model, String text) {
        return model.score(minilm.encoder().encode(minilm.tokenizer().encodeBatch(List.of(text))))
                .get(0);
    }

    private static void assertClose(Scores actual, Scores expected) {
        assertThat(actual.labels().keySet())
                .containsExactlyElementsOf(expected.labels().keySet());
        expected.labels()
                .forEach((label, p) ->
                        assertThat((double) actual.label(label)).as(label).isCloseTo(p, within(TOLERANCE)));
        assertThat(actual.classes().keySet())
                .containsExactlyElementsOf(expected.classes().keySet());
        expected.classes().forEach((head, c) -> {
            Classification a = actual.classes().get(head);
            c.probabilities()
                    .forEach((label, p) -> assertThat((double) a.probabilities().get(label))
                            .as(head + "." + label)
                            .isCloseTo(p, within(TOLERANCE)));
        });
    }

    @Test
    void batchingIsInvisibleInTheResults() {
        HeadsModel model = heads("v1", 1);
        // Small batches force several encoder calls, padding and reordering.
        try (Classifier classifier = Classifier.create(shared(), model, new BatchPolicy(8, 400))) {
            List<Encoding> encodings =
                    texts.stream().map(classifier.tokenizer()::encode).toList();
            ClassifiedBatch result = classifier.classifyWithStats(encodings);
            List<PlannedBatch> plan = BatchPlanner.forTokenizer(classifier.tokenizer(), classifier.policy())
                    .plan(encodings);
            assertThat(result.encoderCalls()).isEqualTo(plan.size()).isGreaterThan(texts.size() / 8);
            assertThat(result.paddedTokens())
                    .isEqualTo(
                            plan.stream().mapToLong(PlannedBatch::paddedTokens).sum());
            assertThat(result.encoderNanos()).isPositive();
            assertThat(result.headsNanos()).isPositive();
            assertThat(result.modelVersion()).isEqualTo("v1");
            System.out.printf(
                    "classifier: %d texts (%d real tokens) in %d encoder calls, %d padded cells, "
                            + "encoder %.1f ms, heads %.2f ms%n",
                    texts.size(),
                    encodings.stream().mapToInt(Encoding::length).sum(),
                    result.encoderCalls(),
                    result.paddedTokens(),
                    result.encoderNanos() / 1e6,
                    result.headsNanos() / 1e6);

            List<Prediction> predictions = result.predictions();
            assertThat(predictions).hasSize(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                Prediction p = predictions.get(i);
                assertClose(p.scores(), alone(model, texts.get(i)));
                assertThat(p.tokens()).isEqualTo(encodings.get(i).length());
                assertThat(p.truncated()).isEqualTo(encodings.get(i).truncated());
                assertThat(p.modelVersion()).isEqualTo("v1");
            }
            assertThat(predictions.stream().filter(Prediction::truncated).count())
                    .isEqualTo(1);
            // The random heads separate texts, so a mix-up of rows would show.
            assertThat(predictions.stream()
                            .map(p -> p.scores().label("spam"))
                            .distinct()
                            .count())
                    .isGreaterThan(texts.size() - 3);

            List<Prediction> fromTexts = classifier.classify(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertClose(fromTexts.get(i).scores(), predictions.get(i).scores());
            }
        }
    }

    @Test
    void resultsFollowInputOrder() {
        HeadsModel model = heads("v1", 2);
        try (Classifier classifier = Classifier.create(shared(), model, BatchPolicy.DEFAULT)) {
            List<String> shuffled = new ArrayList<>(texts);
            Collections.shuffle(shuffled, new Random(3));
            List<Prediction> forward = classifier.classify(texts);
            List<Prediction> permuted = classifier.classify(shuffled);
            for (int i = 0; i < shuffled.size(); i++) {
                assertClose(
                        permuted.get(i).scores(),
                        forward.get(texts.indexOf(shuffled.get(i))).scores());
            }
            assertThat(classifier.classify(List.of())).isEmpty();
            assertThat(classifier.classifyWithStats(List.of()).encoderCalls()).isZero();
        }
    }

    @Test
    void incompatibleHeadsAreRefused() {
        EncoderInfo info = minilm.encoder().info();
        int maxLength = minilm.tokenizer().options().maxLength();
        BatchPolicy policy = BatchPolicy.DEFAULT;
        assertThatThrownBy(() -> Classifier.create(
                        shared(),
                        TestHeads.random(
                                "b", 1, "bert-base-uncased", info.vocabHash(), info.hidden(), Feature.MEAN, maxLength),
                        policy))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("not minilm-l6");
        assertThatThrownBy(() -> Classifier.create(
                        shared(),
                        TestHeads.random("b", 1, info.id(), "other-vocab", info.hidden(), Feature.MEAN, maxLength),
                        policy))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("vocabulary other-vocab");
        assertThatThrownBy(() -> Classifier.create(
                        shared(),
                        TestHeads.random("b", 1, info.id(), info.vocabHash(), 768, Feature.MEAN, maxLength),
                        policy))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("heads read 768 features");
        HeadsModel shortTexts = TestHeads.random("b", 1, info.id(), info.vocabHash(), info.hidden(), Feature.MEAN, 64);
        assertThatThrownBy(() -> Classifier.create(shared(), shortTexts, policy))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("truncated at 64 tokens, this tokenizer truncates at " + maxLength);

        try (Classifier classifier = Classifier.create(shared(), heads("v1", 1), policy)) {
            assertThatThrownBy(() -> classifier.swapHeads(shortTexts)).isInstanceOf(IncompatibleHeadsException.class);
            assertThat(classifier.heads().version()).isEqualTo("v1");
            Encoding tooLong = new Encoding(new int[maxLength + 1], new int[maxLength + 1], maxLength + 1, false);
            assertThatThrownBy(() -> classifier.classifyEncoded(List.of(tooLong)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("encoding 0 has " + (maxLength + 1) + " tokens");
        }
    }

    @Test
    void swapsDuringConcurrentCallsGiveEachCallOneExistingVersion() throws Exception {
        List<HeadsModel> versions = List.of(heads("v1", 11), heads("v2", 12), heads("v3", 13), heads("v4", 14));
        List<String> pool = texts.subList(0, 24);
        // Expected scores per (version, text), each text encoded alone.
        Map<String, Map<String, Scores>> expected = new HashMap<>();
        for (HeadsModel v : versions) {
            Map<String, Scores> byText = new HashMap<>();
            for (String text : pool) {
                byText.put(text, alone(v, text));
            }
            expected.put(v.version(), byText);
        }
        try (Classifier classifier = Classifier.create(shared(), versions.get(0), new BatchPolicy(4, 4096))) {
            Set<String> seen = ConcurrentHashMap.newKeySet();
            ExecutorService workers = Executors.newFixedThreadPool(4);
            List<Future<List<List<Object>>>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                futures.add(workers.submit(() -> {
                    Random random = new Random(seed);
                    List<List<Object>> calls = new ArrayList<>();
                    for (int call = 0; call < 12; call++) {
                        List<String> batch = new ArrayList<>();
                        for (int i = 0, n = 3 + random.nextInt(8); i < n; i++) {
                            batch.add(pool.get(random.nextInt(pool.size())));
                        }
                        calls.add(List.of(batch, classifier.classify(batch)));
                    }
                    return calls;
                }));
            }
            workers.shutdown();
            int swaps = 0;
            Set<HeadsModel> replaced = new HashSet<>();
            while (!workers.awaitTermination(3, TimeUnit.MILLISECONDS)) {
                HeadsModel previous = classifier.swapHeads(versions.get(++swaps % versions.size()));
                replaced.add(previous);
            }
            assertThat(swaps).isGreaterThan(4);
            assertThat(replaced).isSubsetOf(versions);

            int predictions = 0;
            for (Future<List<List<Object>>> f : futures) {
                for (List<Object> call : f.get()) {
                    @SuppressWarnings("unchecked")
                    List<String> batch = (List<String>) call.get(0);
                    @SuppressWarnings("unchecked")
                    List<Prediction> out = (List<Prediction>) call.get(1);
                    String version = out.get(0).modelVersion();
                    seen.add(version);
                    assertThat(expected).containsKey(version);
                    for (int i = 0; i < batch.size(); i++) {
                        assertThat(out.get(i).modelVersion()).isEqualTo(version); // one snapshot per call
                        assertClose(out.get(i).scores(), expected.get(version).get(batch.get(i)));
                        predictions++;
                    }
                }
            }
            System.out.printf(
                    "hot swap: %d swaps during %d calls (%d predictions), versions seen %s%n",
                    swaps, 4 * 12, predictions, seen);
            assertThat(seen).hasSizeGreaterThan(1);
        }
    }

    @Test
    void anEncoderFailureNamesTheBatchAndItsTexts() {
        BatchPolicy policy = new BatchPolicy(4, 4096);
        try (Classifier classifier = Classifier.create(shared(1), heads("v1", 1), policy)) {
            List<Encoding> encodings = texts.subList(0, 10).stream()
                    .map(classifier.tokenizer()::encode)
                    .toList();
            PlannedBatch second = BatchPlanner.forTokenizer(classifier.tokenizer(), policy)
                    .plan(encodings)
                    .get(1);
            assertThatThrownBy(() -> classifier.classifyEncoded(encodings))
                    .isInstanceOfSatisfying(BatchFailedException.class, e -> {
                        assertThat(e.batch()).isEqualTo(1);
                        assertThat(e.batches()).isEqualTo(3);
                        assertThat(e.indices()).containsExactly(second.indices());
                        assertThat(e)
                                .hasMessageContaining("encoder batch 2 of 3 (4 texts, input indices ")
                                .hasMessageContaining("simulated engine failure");
                    })
                    .isInstanceOf(EncoderException.class);
        }
    }

    @Test
    void loadReadsAHeadsFileAndRefusesAMismatchBeforeLoadingTheEncoder(@TempDir Path dir) {
        HeadsModel model = heads("v9", 9);
        Path file = dir.resolve("heads.json");
        HeadsFile.write(model, file);
        try (Classifier classifier =
                Classifier.load(EncoderConfig.of(EncoderConfig.MINILM_L6), file, BatchPolicy.DEFAULT)) {
            assertThat(classifier.heads()).isEqualTo(model);
            assertThat(classifier.encoderInfo().id()).isEqualTo("minilm-l6");
            assertClose(classifier.classify(List.of(texts.get(0))).get(0).scores(), alone(model, texts.get(0)));
        }
        assertThatThrownBy(() -> Classifier.load(
                        EncoderConfig.of(EncoderConfig.MINILM_L6).withMaxLength(64), file, BatchPolicy.DEFAULT))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("configured maxLength is 64");
        assertThatThrownBy(() ->
                        Classifier.load(EncoderConfig.of(EncoderConfig.BERT_BASE_UNCASED), file, BatchPolicy.DEFAULT))
                .isInstanceOf(IncompatibleHeadsException.class)
                .hasMessageContaining("need encoder minilm-l6");
    }

    @Test
    void aClosedClassifierRefusesWorkAndClosesItsEncoder() {
        Classifier classifier = Classifier.create(shared(), heads("v1", 1), BatchPolicy.DEFAULT);
        AtomicBoolean encoderClosed = viewClosed;
        assertThat(classifier.classify(List.of("hello"))).hasSize(1);
        assertThat(encoderClosed).isFalse();
        classifier.close();
        classifier.close(); // idempotent
        assertThat(encoderClosed).isTrue();
        assertThatThrownBy(() -> classifier.classify(List.of("hello")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("classifier is closed");
        assertThatThrownBy(() -> classifier.classifyEncoded(List.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> classifier.swapHeads(heads("v2", 2))).isInstanceOf(IllegalStateException.class);
    }
}
