package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.Classifier;
import io.streamguard.model.Prediction;
import io.streamguard.model.batch.BatchPolicy;
import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.Head;
import io.streamguard.model.heads.HeadKind;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.Provenance;
import io.streamguard.model.heads.Thresholds;
import io.streamguard.model.testing.EncoderViews;
import io.streamguard.model.testing.TinyDatasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole model version trained on {@link TinyDatasets} with the real MiniLM encoder: every task's head,
 * thresholds, metrics and provenance, reproducibly, through the feature cache. Small heads and few epochs
 * keep it to seconds.
 */
class ModelTrainerTest {

    @TempDir
    static Path tmp;

    private static LoadedEncoder minilm;
    private static Path datasets;
    private static FeatureCache cache;
    private static ModelTrainer.Settings settings;
    private static ModelTrainer.Run run;

    @BeforeAll
    static void trainOnce() {
        minilm = EncoderFactory.create(EncoderConfig.of(EncoderConfig.MINILM_L6).withDevice(Device.CPU));
        datasets = TinyDatasets.write(tmp.resolve("datasets"));
        cache = new FeatureCache(tmp.resolve("features"));
        settings = settings();
        run = new ModelTrainer(cache, new BuiltinDatasets(datasets))
                .train(minilm, settings, ModelTrainer.Listener.silent());
    }

    @AfterAll
    static void close() {
        if (minilm != null) {
            minilm.close();
        }
    }

    /** v1's settings with an 8-unit layer, no dropout and larger steps: the tiny sets need few epochs. */
    static ModelTrainer.Settings settings() {
        ModelTrainer.Settings v1 = ModelTrainer.Settings.defaults("v-test", Feature.MEAN);
        // minPredicted 2: the default 10 is more rows than the tiny validation sets flag.
        return new ModelTrainer.Settings(
                        v1.version(), v1.feature(), v1.tasks(), v1.options(), new ThresholdSelector(0.9, 2), v1.seed())
                .withOptions(o -> o.withDropout(0f, 0f)
                        .withHiddenUnits(8)
                        .withBatchSize(16)
                        .withLearningRate(1e-2f)
                        .withEpochs(12, 4));
    }

    @Test
    void hardNegativesAreWholeNegativeSentencesOutsideTheBenignSetSeeded() {
        List<LabeledText> rows = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String words = i % 4 == 3 ? "too short" : "a dull and tedious film that wastes every minute number " + i;
            rows.add(new LabeledText(words, i % 2, i + 2)); // even rows negative
        }
        Dataset sst = new Dataset(Task.SENTIMENT, "sst2/train.tsv", "0".repeat(64), rows, 0);
        BenignSet benign = BenignSet.of(
                Map.of("offensive", List.of(rows.get(0).text(), rows.get(2).text())));

        int[] picked = ModelTrainer.hardNegativeRows(sst, benign, 5, 7);

        assertThat(picked).hasSize(5).isSorted();
        for (int i : picked) {
            assertThat(rows.get(i).label()).isZero();
            assertThat(i).isNotIn(0, 2); // in the benign set: over-blocking is measured there
            assertThat(rows.get(i).text()).isNotEqualTo("too short");
        }
        assertThat(ModelTrainer.hardNegativeRows(sst, benign, 5, 7)).isEqualTo(picked);
        assertThat(ModelTrainer.hardNegativeRows(sst, benign, 100, 7))
                .as("every eligible row: 20 negatives, 2 in the benign set")
                .hasSize(18);
    }

    @Test
    void oneHeadPerTaskWithItsLabels() {
        HeadsModel model = run.model();
        assertThat(model.heads()).extracting(Head::name).containsExactly("offensive", "hate", "spam", "sentiment");
        for (String label : List.of("offensive", "hate", "spam")) {
            Head head = model.head(label);
            assertThat(head.kind()).isEqualTo(HeadKind.SIGMOID);
            assertThat(head.labels()).containsExactly(label);
            assertThat(head.layers()).hasSize(2);
            assertThat(head.layers().get(0).outputs()).isEqualTo(8);
        }
        Head sentiment = model.head("sentiment");
        assertThat(sentiment.kind()).isEqualTo(HeadKind.SOFTMAX);
        assertThat(sentiment.labels()).containsExactly("negative", "positive");
        assertThat(sentiment.inputWidth()).isEqualTo(384);
        assertThat(model.feature()).isEqualTo(Feature.MEAN);
        assertThat(model.version()).isEqualTo("v-test");
    }

    @Test
    void encoderIdentityComesFromTheEncoder() {
        HeadsModel model = run.model();
        EncoderInfo info = minilm.encoder().info();
        assertThat(model.encoderId()).isEqualTo("minilm-l6").isEqualTo(info.id());
        assertThat(model.vocabHash())
                .isEqualTo(info.vocabHash())
                .isEqualTo(minilm.tokenizer().vocabulary().vocabHash());
        assertThat(model.maxLength()).isEqualTo(minilm.tokenizer().options().maxLength());
        model.checkCompatible(info);
    }

    @Test
    void thresholdsForExactlyTheModerationLabels() {
        Map<String, Thresholds> thresholds = run.model().thresholds();
        assertThat(thresholds).containsOnlyKeys("offensive", "hate", "spam");
        thresholds.forEach((label, t) -> {
            assertThat(t.review()).as(label).isBetween(0.0, 1.0);
            assertThat(t.review()).as(label).isLessThanOrEqualTo(t.block());
            assertThat(t.block()).as(label).isLessThanOrEqualTo(1.0);
        });
        for (ModelTrainer.TaskReport report : run.reports()) {
            if (report.task() == Task.SENTIMENT) {
                assertThat(report.thresholds()).isNull();
            } else {
                assertThat(report.thresholds().thresholds())
                        .isEqualTo(thresholds.get(report.task().id()));
            }
        }
    }

    @Test
    void headsLearnedTheTasksAndMetricsSaySo() {
        Map<String, Map<String, Double>> metrics = run.model().metrics();
        assertThat(metrics).containsOnlyKeys("offensive", "hate", "spam", "sentiment");
        assertThat(metrics.get("spam")).containsKeys("cv5F1", "f1", "macroF1", "accuracy", "rocAuc", "bestEpoch");
        assertThat(metrics.get("sentiment"))
                .containsKeys("accuracy", "macroF1", "bestEpoch")
                .doesNotContainKey("cv5F1");
        assertThat(metrics.get("hate")).containsKeys("macroF1", "f1").doesNotContainKey("cv5F1");
        assertThat(run.reports())
                .extracting(ModelTrainer.TaskReport::task)
                .containsExactly(Task.OFFENSIVE, Task.HATE, Task.SPAM, Task.SENTIMENT);
        for (ModelTrainer.TaskReport report : run.reports()) {
            String task = report.task().id();
            // Chance is 0.5 (spam F1: 0.4 for always-spam); separable texts must do far better.
            assertThat(report.primary()).as(task).isGreaterThanOrEqualTo(0.8);
            String key = report.task() == Task.SPAM
                    ? "cv5F1"
                    : report.task().primaryMetric().key();
            assertThat(metrics.get(task).get(key)).as(task).isEqualTo(report.primary());
            assertThat(metrics.get(task).get("bestEpoch"))
                    .isEqualTo(report.result().bestEpoch());
            assertThat(report.result().bestEpoch()).isBetween(1, 12);
        }
        assertThat(run.reports().get(2).crossValidatedF1()).isPresent();
        assertThat(run.reports().get(0).crossValidatedF1()).isEmpty();
    }

    @Test
    void provenanceNamesEachFileRelativeToTheDatasetsWithHashAndRows() throws IOException {
        Provenance provenance = run.model().provenance();
        assertThat(provenance.seed()).isEqualTo(42);
        assertThat(provenance.parentVersion()).isNull();
        assertThat(provenance.notes()).containsKeys("options.spam", "options.sentiment", "thresholds");
        int spamValidation = (TinyDatasets.HAM + TinyDatasets.SPAM) / 5;
        assertThat(provenance.trainingData())
                .extracting(r -> r.task() + "/" + r.split() + " " + r.path() + " " + r.rows())
                .containsExactly(
                        "offensive/train tweeteval/offensive/train_text.txt + train_labels.txt 24",
                        "offensive/validation tweeteval/offensive/val_text.txt + val_labels.txt 12",
                        "hate/train tweeteval/hate/train_text.txt + train_labels.txt 24", // + 1 empty tweet skipped
                        "hate/validation tweeteval/hate/val_text.txt + val_labels.txt 12",
                        "spam/train sms-spam/train.tsv (folds 1-4) " + (90 - spamValidation),
                        "spam/validation sms-spam/train.tsv (fold 0) " + spamValidation,
                        "sentiment/train sst2/train.tsv 24",
                        "sentiment/validation sst2/dev.tsv 12");
        String sms = DatasetReader.sha256(Files.readAllBytes(datasets.resolve("sms-spam/train.tsv")));
        assertThat(provenance.trainingData())
                .filteredOn(r -> r.task().equals("spam"))
                .allSatisfy(r -> assertThat(r.sha256()).isEqualTo(sms));
        assertThat(provenance.trainingData().get(7).sha256())
                .isEqualTo(DatasetReader.sha256(Files.readAllBytes(datasets.resolve("sst2/dev.tsv"))));
        assertThat(provenance.trainingData())
                .allSatisfy(r -> assertThat(r.sha256()).matches("[0-9a-f]{64}"));
    }

    @Test
    void sameSeedSameHeadsAndTheSecondRunReadsTheCache() throws IOException {
        Map<Path, String> before = cacheFiles();
        // One file per text list: 3 tasks x (train, validation) + spam's single file.
        assertThat(before).hasSize(7);

        // The datasets dir spelled relative to the working directory, as `--datasets ../x` gives it: features
        // depend on texts only, and provenance must still name files relative to the datasets dir.
        Path relative = Path.of("").toAbsolutePath().relativize(datasets);
        ModelTrainer.Run again = new ModelTrainer(cache, new BuiltinDatasets(relative))
                .train(minilm, settings, ModelTrainer.Listener.silent());

        assertThat(again.model().heads()).isEqualTo(run.model().heads());
        assertThat(again.model().thresholds()).isEqualTo(run.model().thresholds());
        assertThat(again.model().metrics()).isEqualTo(run.model().metrics());
        assertThat(again.model().provenance().trainingData())
                .isEqualTo(run.model().provenance().trainingData());
        assertThat(cacheFiles()).as("cache files neither added nor rewritten").isEqualTo(before);
    }

    @Test
    void anotherSeedGivesOtherWeights() {
        ModelTrainer.Settings other = settings.withSeed(7).withTasks(List.of(Task.HATE));
        assertThat(other.options().values())
                .allSatisfy(o -> assertThat(o.seed()).isEqualTo(7));
        ModelTrainer.Run run7 = new ModelTrainer(cache, new BuiltinDatasets(datasets))
                .train(minilm, other, ModelTrainer.Listener.silent());

        assertThat(run7.model().provenance().seed()).isEqualTo(7);
        assertThat(run7.model().heads()).hasSize(1);
        assertThat(run7.model().head("hate")).isNotEqualTo(run.model().head("hate"));
        assertThat(run7.model().thresholds()).containsOnlyKeys("hate");
    }

    @Test
    void modelSurvivesItsFileAndServes() {
        Path file = tmp.resolve("models/v-test/minilm-l6.json");
        HeadsFile.write(run.model(), file);
        HeadsModel read = HeadsFile.read(file);
        assertThat(read).isEqualTo(run.model());

        try (Classifier classifier = Classifier.create(EncoderViews.unclosable(minilm), read, BatchPolicy.DEFAULT)) {
            List<Prediction> predictions = classifier.classify(List.of(
                    "WINNER!! You have won a FREE laptop prize. Call 09061709999 now to claim",
                    "hey, are we still on for lunch at 3 on monday? see you there",
                    "a superb and charming film , i loved it",
                    "a tedious , clumsy movie , i hated it"));
            double spamCut = read.thresholds().get("spam").review();
            assertThat(predictions.get(0).scores().label("spam")).isGreaterThanOrEqualTo((float) spamCut);
            assertThat(predictions.get(1).scores().label("spam")).isLessThan((float) spamCut);
            assertThat(predictions.get(2).scores().classes().get("sentiment").label())
                    .isEqualTo("positive");
            assertThat(predictions.get(3).scores().classes().get("sentiment").label())
                    .isEqualTo("negative");
            assertThat(predictions).allSatisfy(p -> assertThat(p.modelVersion()).isEqualTo("v-test"));
        }
    }

    @Test
    void reportsHaveARowPerTask() {
        String table = TrainingReport.table(run);
        List<String> lines = table.lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).startsWith("task").contains("metric", "value", "review", "block");
        assertThat(lines.get(1)).matches("offensive\\s+macroF1\\s+[01]\\.\\d{4} .*");
        assertThat(lines.get(2)).matches("hate\\s+macroF1\\s+[01]\\.\\d{4} .*");
        assertThat(lines.get(3)).matches("spam\\s+cv5 F1\\s+[01]\\.\\d{4} .*");
        assertThat(lines.get(4)).matches("sentiment\\s+accuracy\\s+[01]\\.\\d{4} .* - +-");

        String md = TrainingReport.markdown(run, settings, "minilm-l6");
        assertThat(md)
                .startsWith("# Model v-test on `minilm-l6`")
                .contains(
                        "| offensive | macroF1 | ",
                        "| hate | macroF1 | ",
                        "| spam | cv5 F1 | ",
                        "| sentiment | accuracy | ",
                        "## offensive",
                        "## hate",
                        "## spam",
                        "## sentiment",
                        "| sentiment | validation | `sst2/dev.tsv` | ",
                        "`sms-spam/train.tsv (fold 0)`",
                        "confusion matrix")
                .doesNotContain(tmp.toString());
    }

    /** Cache file -> its identity and bytes: a rewrite (temp file renamed over it) changes the file key. */
    private static Map<Path, String> cacheFiles() throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(cache.dir())) {
            for (Path file : list.toList()) {
                BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                files.put(
                        file.getFileName(),
                        attributes.fileKey() + " " + attributes.lastModifiedTime() + " "
                                + DatasetReader.sha256(Files.readAllBytes(file)));
            }
        }
        return files;
    }
}
