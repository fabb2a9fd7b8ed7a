package io.streamguard.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.encoder.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryBenchmarkTest {

    @Test
    void samplesRssAfterWarmUpAndEveryTenthOfTheRun(@TempDir Path cache) {
        List<MemoryBenchmark.Sample> heard = new ArrayList<>();
        MemoryBenchmark.Report report = MemoryBenchmark.run(
                new MemoryBenchmark.Options("minilm-l6", Device.CPU, EngineBenchmarkTest.DATASETS, 100, 8, cache),
                heard::add);

        // 13 batches of 8: the warm-up sample, then one per tenth; the last after all 104 texts.
        assertThat(report.samples()).hasSize(11).isEqualTo(heard);
        assertThat(report.samples().get(0).texts()).isZero();
        assertThat(report.texts()).isEqualTo(104);
        assertThat(report.samples()).allSatisfy(s -> assertThat(s.rssKb()).isGreaterThan(50_000));
        assertThat(report.samples()).extracting(MemoryBenchmark.Sample::texts).isSorted();
        assertThat(report.summary()).contains("minilm-l6 on CPU", "104 texts");
    }
}
