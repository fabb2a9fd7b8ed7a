package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.Head;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.testing.EncoderViews;
import io.streamguard.model.testing.TinyDatasets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Chinese path of {@link ModelTrainer}: an encoder whose id is {@value EncoderConfig#BGE_SMALL_ZH} trains
 * offensive on COLD and sentiment on ChnSentiCorp, under the English task names. The Chinese engine is not
 * part of this build, so MiniLM stands in under that id (its vocabulary has the CJK characters the tiny sets
 * use); the data, heads, thresholds and provenance are what is under test, not the features.
 */
class ChineseModelTrainerTest {

    @TempDir
    static Path tmp;

    private static LoadedEncoder minilm;
    private static LoadedEncoder chinese;
    private static Path datasets;
    private static ModelTrainer trainer;
    private static ModelTrainer.Settings settings;
    private static ModelTrainer.Run run;

    @BeforeAll
    static void trainOnce() {
        minilm = EncoderFactory.create(EncoderConfig.of(EncoderConfig.MINILM_L6).withDevice(Device.CPU));
        chinese = EncoderViews.renamed(minilm, EncoderConfig.BGE_SMALL_ZH);
        // Only the Chinese files: training must not touch the English ones (nor need them).
        datasets = TinyDatasets.writeChinese(tmp.resolve("datasets"));
        trainer = new ModelTrainer(new FeatureCache(tmp.resolve("features")), new BuiltinDatasets(datasets));
        settings = ModelTrainerTest.settings().withTasks(List.of(Task.OFFENSIVE, Task.SENTIMENT));
        run = trainer.train(chinese, settings, ModelTrainer.Listener.silent());
    }

    @AfterAll
    static void close() {
        if (minilm != null) {
            minilm.close();
        }
    }

    @Test
    void offensiveAndSentimentHeadsUnderTheEnglishNames() {
        HeadsModel model = run.model();
        assertThat(model.encoderId()).isEqualTo("bge-small-zh");
        assertThat(model.heads()).extracting(Head::name).containsExactly("offensive", "sentiment");
        assertThat(model.head("sentiment").labels()).containsExactly("negative", "positive");
        assertThat(model.thresholds()).containsOnlyKeys("offensive");
        assertThat(model.metrics()).containsOnlyKeys("offensive", "sentiment");
        for (ModelTrainer.TaskReport report : run.reports()) {
            // Chance is 0.5; the tiny sets' wording separates the classes.
            assertThat(report.primary()).as(report.task().id()).isGreaterThanOrEqualTo(0.8);
        }
    }

    @Test
    void provenanceNamesColdAndChnSentiCorp() {
        assertThat(run.model().provenance().trainingData())
                .extracting(r -> r.task() + "/" + r.split() + " " + r.path() + " " + r.rows())
                .containsExactly(
                        "offensive/train cold/train.csv 24",
                        "offensive/validation cold/dev.csv 12",
                        "sentiment/train chnsenticorp/train.tsv 24",
                        "sentiment/validation chnsenticorp/dev.tsv 12");
    }

    @Test
    void reportNamesTheChineseValidationData() {
        String md = TrainingReport.markdown(run, settings, EncoderConfig.BGE_SMALL_ZH);
        assertThat(md)
                .startsWith("# Model v-test on `bge-small-zh`")
                .contains("validation data (COLD dev, ChnSentiCorp dev)", "| offensive | macroF1 | ", "`cold/dev.csv`")
                .doesNotContain("SST-2 dev", "hate", "spam");
    }

    @Test
    void overBlockingIsMeasuredOnChineseReviewsAndSentences() {
        OverBlocking overBlocking = trainer.overBlocking(chinese, run.model(), (done, total, elapsed) -> {});
        assertThat(overBlocking.rates()).singleElement().satisfies(rate -> {
            assertThat(rate.label()).isEqualTo("offensive");
            assertThat(rate.benign()).startsWith("negative ChnSentiCorp train reviews");
            assertThat(rate.texts()).isEqualTo(TinyDatasets.TRAIN_PER_CLASS / 2);
        });
        assertThat(overBlocking.smoke()).extracting(OverBlocking.Smoke::text).isEqualTo(BenignSet.SMOKE_CHINESE);
    }

    @Test
    void tasksWithoutChineseDataAndHardNegativesAreRefusedBeforeAnyWork() {
        assertThatThrownBy(() -> trainer.train(
                        chinese,
                        settings.withTasks(List.of(Task.OFFENSIVE, Task.SPAM)),
                        ModelTrainer.Listener.silent()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no Chinese data for task spam (Chinese has offensive, sentiment)");
        assertThatThrownBy(() -> trainer.train(chinese, settings.withHardNegatives(10), ModelTrainer.Listener.silent()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hard negatives are English SST-2 sentences: none for bge-small-zh (Chinese)");
    }
}
