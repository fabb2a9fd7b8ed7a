package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.testing.TinyDatasets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One short tuning run from the committed MiniLM v1 on tiny datasets: what it keeps and what it reports. */
class AdapterTuningTest {
    @TempDir
    Path dir;

    @Test
    void tunesFromAModelKeepsTheBestEpochAndReportsEveryOne() {
        BuiltinDatasets data = new BuiltinDatasets(TinyDatasets.write(dir));
        HeadsModel v1 = HeadsFile.read(Path.of("..", "models", "v1", "minilm-l6.json")); // tests run in model-runtime/
        AdapterTuning.Settings settings = new AdapterTuning.Settings(2, 4f, 3e-3f, 16, 32, 2, 48, 8, 1, 11L);
        List<String> log = new ArrayList<>();
        List<Task> tasks = List.of(Task.OFFENSIVE, Task.SENTIMENT);
        BenignSet benign = BenignSet.of(java.util.Map.of());

        AdapterTuning.Result result;
        try {
            result = new AdapterTuning(data, settings).run(v1, tasks, benign, log::add);
        } catch (TrainingException e) {
            // Tiny data can fail to beat v1 on validation: then the refusal must say so, and nothing is kept.
            assertThat(e).hasMessageContaining("never beat the starting model");
            assertThat(log).anyMatch(l -> l.startsWith("epoch 1:"));
            return;
        }
        assertThat(result.epochs()).isNotEmpty().hasSizeLessThanOrEqualTo(2);
        assertThat(result.bestEpoch()).isBetween(1, result.epochs().size());
        assertThat(result.adapters().rank()).isEqualTo(2);
        assertThat(result.adapters().kernels()).hasSize(24);
        assertThat(result.heads()).containsOnlyKeys(tasks);
        assertThat(result.markdown(1234))
                .contains("## Fine-tuning: low-rank adapters", "| 1", "model file 1,234 bytes");
        assertThat(log.get(0)).startsWith("adapter tuning: rank 2, 2 tasks");
    }
}
