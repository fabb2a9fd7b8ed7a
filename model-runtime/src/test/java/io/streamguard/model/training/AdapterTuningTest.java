package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.model.heads.Dense;
import io.streamguard.model.heads.Head;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.testing.TinyDatasets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short tuning runs from MiniLM v1 on tiny datasets: what is kept, what is refused, what is reported. */
class AdapterTuningTest {
    private static final AdapterTuning.Settings SETTINGS =
            new AdapterTuning.Settings(2, 4f, 3e-3f, 0.1f, 16, 32, 2, 48, 1, 8, 1, Map.of(), 11L);
    private static final List<Task> TASKS = List.of(Task.OFFENSIVE, Task.SENTIMENT);

    @TempDir
    Path dir;

    private final HeadsModel v1 =
            HeadsFile.read(Path.of("..", "models", "v1", "minilm-l6.json")); // run in model-runtime/

    @Test
    void aModelTheTuningCannotBeatIsKeptAsItIsAndTheRefusalSaysSo() {
        List<String> log = new ArrayList<>();
        // v1 already separates the tiny validation sets perfectly (score 1.0): nothing can beat it.
        assertThatThrownBy(() -> tuning().run(v1, TASKS, BenignSet.of(Map.of()), log::add))
                .isInstanceOf(TrainingException.class)
                .hasMessageContaining("never beat the starting model");
        assertThat(log).anyMatch(l -> l.startsWith("checkpoint 1 (step "));
    }

    @Test
    void aTuningThatGainsKeepsItsBestCheckpointAndReportsEveryOne() {
        List<String> log = new ArrayList<>();
        // Output layers zeroed: every score 0.5, a start the tuning must improve on.
        AdapterTuning.Result result = tuning().run(blind(v1), TASKS, BenignSet.of(Map.of()), log::add);

        assertThat(result.best()).isBetween(1, result.checkpoints().size() - 1);
        assertThat(result.checkpoints().get(result.best()).score()).isGreaterThan(0.5);
        assertThat(result.adapters().rank()).isEqualTo(2);
        assertThat(result.adapters().kernels()).hasSize(24);
        assertThat(result.heads()).containsOnlyKeys(TASKS);
        assertThat(result.markdown(1234))
                .contains("## Fine-tuning: low-rank adapters", "| 1", "model file 1,234 bytes", "(kept)");
        assertThat(log.get(0)).startsWith("adapter tuning: rank 2, 2 tasks");
    }

    @Test
    void theLearningRateWarmsUpLinearlyThenDecaysToATenthAtTheLastStep() {
        AdapterTuning.Settings s = AdapterTuning.Settings.defaults(); // 6 % warm-up
        assertThat(s.learningRateFactor(1, 1000)).isCloseTo(1 / 60f, within(1e-6f));
        assertThat(s.learningRateFactor(30, 1000)).isCloseTo(0.5f, within(1e-6f));
        assertThat(s.learningRateFactor(60, 1000)).isEqualTo(1f);
        assertThat(s.learningRateFactor(530, 1000)).isCloseTo(0.55f, within(1e-6f));
        assertThat(s.learningRateFactor(1000, 1000)).isCloseTo(0.1f, within(1e-6f));
        assertThat(s.learningRateFactor(1200, 1000)).isCloseTo(0.1f, within(1e-6f)); // past the end: floor
    }

    private AdapterTuning tuning() {
        return new AdapterTuning(new BuiltinDatasets(TinyDatasets.write(dir)), SETTINGS);
    }

    private static HeadsModel blind(HeadsModel model) {
        List<Head> heads = new ArrayList<>();
        for (Head h : model.heads()) {
            List<Dense> layers = new ArrayList<>(h.layers());
            Dense last = layers.get(layers.size() - 1);
            layers.set(
                    layers.size() - 1,
                    new Dense(
                            last.inputs(),
                            last.outputs(),
                            new float[last.weights().length],
                            new float[last.bias().length],
                            last.activation()));
            heads.add(new Head(h.name(), h.kind(), h.labels(), h.inputMean(), h.inputScale(), layers));
        }
        return new HeadsModel(
                model.version(),
                model.encoderId(),
                model.vocabHash(),
                model.maxLength(),
                model.feature(),
                heads,
                model.thresholds(),
                model.metrics(),
                model.provenance());
    }
}
