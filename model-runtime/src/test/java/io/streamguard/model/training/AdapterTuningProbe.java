package io.streamguard.model.training;

import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Exploratory: an adapter tuning from MiniLM v1 that prints every epoch, for trying settings before a full
 * {@code train --fine-tune}. Tagged bench, so out of the suite:
 * {@code mvn -pl model-runtime verify -DskipITs -Dtest=AdapterTuningProbe -DexcludedGroups=none
 * -DargLine="-Dlr=1e-3 -Depochs=2 -Drows=6400 -Dtasks=sentiment -Dhard=0"}.
 */
@Tag("bench")
class AdapterTuningProbe {
    @Test
    void probe() {
        HeadsModel v1 = HeadsFile.read(Path.of("../models/v1/minilm-l6.json"));
        var s = new AdapterTuning.Settings(
                8,
                16f,
                Float.parseFloat(System.getProperty("lr", "5e-4")),
                32,
                64,
                Integer.getInteger("epochs", 2),
                Integer.getInteger("rows", 1500),
                1000,
                1,
                7L);
        var r = new AdapterTuning(
                        new BuiltinDatasets(Path.of(System.getProperty("datasets", "../../shared/datasets"))), s)
                .run(
                        v1,
                        java.util.Arrays.stream(System.getProperty("tasks", "offensive,hate,spam,sentiment")
                                        .split(","))
                                .map(Task::of)
                                .toList(),
                        BenignSet.sample(
                                new BuiltinDatasets(Path.of(System.getProperty("datasets", "../../shared/datasets")))),
                        line -> System.out.println("PROBE " + line));
        System.out.println("PROBE best epoch " + r.bestEpoch() + " in " + r.took());
    }
}
