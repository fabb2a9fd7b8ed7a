package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.topology.testing.SeededHeads;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code streamguard bench pipeline} for real on a tiny run: its own embedded broker and registry,
 * real MiniLM with seeded heads, a few dozen texts per run. The numbers mean nothing at this size;
 * that every run labels every text, through the broker, and reports what it measured is the point.
 */
class PipelineBenchIT {

    @TempDir
    Path dir;

    @Test
    void aTinyRunLabelsEveryTextInEveryRunAndReportsBothRatios() throws Exception {
        Path heads = dir.resolve("seeded-minilm.json");
        SeededHeads.minilm("seeded-bench", 3, 128, heads);
        Cli bench = Cli.run(
                "bench",
                "pipeline",
                "--events",
                "24",
                "--rate",
                "100",
                "--batch-size",
                "8",
                "--engine-batch",
                "4",
                "--partitions",
                "2",
                "--heads",
                heads.toString(),
                "--datasets",
                Path.of(System.getProperty("streamguard.home"), "..", "shared", "datasets")
                        .toString(),
                "--json");

        assertThat(bench.exit()).as(bench.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(bench.out());
        assertThat(report.path("modelVersion").asText()).isEqualTo("seeded-bench");
        assertThat(report.path("guarantee").asText()).isEqualTo("exactly_once_v2");
        List<String> runs = new ArrayList<>();
        for (JsonNode row : report.path("rows")) {
            String kind = row.path("kind").asText();
            runs.add(kind + " " + row.path("batchSize").asInt() + "/"
                    + row.path("engineBatch").asInt() + " "
                    + row.path("offeredPerSecond").asDouble());
            assertThat(row.path("events").asInt()).as(row.toString()).isEqualTo(24);
            assertThat(row.path("eventsPerSecond").asDouble())
                    .as(row.toString())
                    .isPositive();
            assertThat(row.path("meanBatch").asDouble()).as(row.toString()).isBetween(1.0, (double)
                    row.path("batchSize").asInt());
            if (kind.equals("pipeline")) {
                assertThat(row.path("p99Ms").asDouble())
                        .as(row.toString())
                        .isGreaterThanOrEqualTo(row.path("p50Ms").asDouble())
                        .isPositive();
                assertThat(row.path("commits").asLong())
                        .as("transactions committed")
                        .isPositive();
                assertThat(row.path("threadShares").path("model").asDouble()).isPositive();
            }
        }
        assertThat(runs)
                .containsExactly(
                        "engine 8/4 0.0",
                        "engine 1/1 0.0",
                        "pipeline 8/4 100.0",
                        "pipeline 8/4 0.0",
                        "pipeline 1/1 100.0",
                        "pipeline 1/1 0.0");
        assertThat(report.path("pipelineVsEngine").asDouble()).isPositive();
        assertThat(report.path("batchedVsSingle").asDouble()).isPositive();
        assertThat(bench.err()).contains("bench: pipeline batch 8 at saturation: ");
    }
}
