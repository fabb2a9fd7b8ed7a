package io.streamguard.model.training;

import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Exploratory: a short adapter tuning from v1, printing every epoch. Not in the suite. */
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
        var r = new AdapterTuning(new BuiltinDatasets(Path.of("/work/shared/datasets")), s)
                .run(
                        v1,
                        List.of(Task.OFFENSIVE, Task.HATE, Task.SPAM, Task.SENTIMENT),
                        BenignSet.sample(new BuiltinDatasets(Path.of("/work/shared/datasets"))),
                        line -> System.out.println("PROBE " + line));
        System.out.println("PROBE best epoch " + r.bestEpoch() + " in " + r.took());
    }
}
