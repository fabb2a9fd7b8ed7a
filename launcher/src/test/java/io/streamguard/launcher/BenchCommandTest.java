package io.streamguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Runs the real minilm-l6 encoder on tiny grids: seconds, not minutes. */
class BenchCommandTest {
    private static final String DATASETS =
            Path.of("../../shared/datasets").toAbsolutePath().normalize().toString();

    @Test
    void engineTablesHaveOneRowPerCellWithPositiveNumbers() {
        CliRun run =
                CliRun.of(
                        "bench", "engine", "--encoders", "minilm-l6", "--batch-sizes", "1,2",
                        "--lengths", "8", "--iterations", "2", "--warmup", "1", "--min-seconds", "0",
                        "--tokenizer-texts", "64", "--device", "cpu", "--datasets", DATASETS);

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> rows =
                run.out().lines().filter(line -> line.startsWith("minilm-l6  ")).toList();
        assertThat(rows).hasSize(3); // two grid cells, one tokenizer share
        for (String row : rows.subList(0, 2)) {
            String[] cells = row.trim().split("\\s+");
            assertThat(cells).hasSize(12);
            assertThat(cells[1]).isEqualTo("CPU");
            assertThat(cells[3]).isEqualTo("8");
            for (String number : Arrays.copyOfRange(cells, 4, 12)) {
                assertThat(Double.parseDouble(number)).as(row).isPositive();
            }
        }
        assertThat(rows.get(0).trim().split("\\s+")[2]).isEqualTo("1");
        assertThat(rows.get(0).trim().split("\\s+")[4]).as("pairs").isEqualTo("2");
        assertThat(rows.get(1).trim().split("\\s+")[2]).isEqualTo("2");
        assertThat(rows.get(2)).matches("minilm-l6\\s+64\\s+2\\s+\\d+\\s+[0-9.]+\\s+\\d+\\s+[0-9.]+ %");
        assertThat(run.out()).contains("Engine benchmark: ", " cores, TensorFlow ", "engine/bare");
        assertThat(run.err()).contains("bench: minilm-l6 2x8: engine p50");
    }

    @Test
    void engineJsonAndMemorySamples() throws Exception {
        CliRun json =
                CliRun.of(
                        "bench", "engine", "--encoders", "minilm-l6", "--batch-sizes", "2",
                        "--lengths", "8", "--iterations", "2", "--warmup", "0",
                        "--tokenizer-texts", "0", "--datasets", DATASETS, "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.path("cells")).hasSize(1);
        assertThat(report.path("cells").get(0).path("ratio").asDouble()).isPositive();
        assertThat(report.path("tokenizerShares")).isEmpty();

        CliRun memory =
                CliRun.of(
                        "bench", "memory", "--texts", "40", "--batch-size", "4", "--device",
                        "cpu", "--datasets", DATASETS);
        assertThat(memory.exitCode()).as(memory.err()).isZero();
        List<String> samples = memory.out().lines().filter(l -> l.startsWith("texts ")).toList();
        assertThat(samples).hasSize(11);
        assertThat(samples.get(0)).matches("texts\\s+0\\s+RSS\\s+[\\d,]+ MB\\s+\\+0 KB.*");
        assertThat(samples.get(10)).startsWith("texts            40");
        assertThat(memory.out()).contains("minilm-l6 on CPU, batches of 4", "after 40 texts");
    }

    @Test
    void pipelineRejectsBadArgumentsInOneLineBeforeStartingAnything() {
        String[][] cases = {
            {"--events", "0"}, {"--rate", "0"}, {"--rate=-5"}, {"--batch-size", "0"},
            {"--engine-batch", "0"}, {"--batch-wait-ms", "0"}, {"--partitions", "0"},
            {"--guarantee", "exactly_once"}, {"--encoder", "gpt-2"}, {"--heads", "/nonexistent/heads.json"},
            {"--datasets", "/nonexistent/datasets"}, {"--events", "ten"}
        };
        String[] messages = {
            "--events must be at least 1, was 0", "--rate must be positive, was 0.0",
            "--rate must be positive, was -5.0", "--batch-size must be at least 1, was 0",
            "--engine-batch must be at least 1, was 0", "--batch-wait-ms must be at least 1, was 0",
            "--partitions must be at least 1, was 0",
            "--guarantee must be exactly_once_v2 or at_least_once, was 'exactly_once'",
            "--encoder: unknown encoder 'gpt-2'", "heads file not found: /nonexistent/heads.json",
            "datasets directory not found: /nonexistent/datasets", "'ten' is not an int"
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new java.util.ArrayList<>(List.of("bench", "pipeline"));
            args.addAll(List.of(cases[i]));
            if (!args.contains("--datasets")) {
                args.addAll(List.of("--datasets", DATASETS));
            }
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(run.errLines()).as(String.join(" ", cases[i])).hasSize(1);
            assertThat(run.err()).as(String.join(" ", cases[i])).startsWith("streamguard: ").contains(messages[i]);
        }
    }

    @Test
    void pipelineTablePutsEveryRunBesideTheEngineWithBothRatios() {
        var machine = new io.streamguard.model.bench.Machine("AMD EPYC", 2, "2.18.0", "17", "2026-11-23");
        var shares = new java.util.LinkedHashMap<String, Double>();
        shares.put("model", 0.8);
        shares.put("commit", 0.05);
        shares.put("poll", 0.02);
        shares.put("punctuate", 0.5);
        List<PipelineBenchmark.Row> rows = List.of(
                new PipelineBenchmark.Row("engine", 256, 32, 0, 300, 2.0, 0, 0, 25, 200, 0, 0, java.util.Map.of()),
                new PipelineBenchmark.Row("engine", 1, 1, 0, 300, 6.0, 0, 0, 1, 20, 0, 0, java.util.Map.of()),
                new PipelineBenchmark.Row("pipeline", 256, 32, 50, 300, 6.1, 120, 480, 2.5, 30, 60, 22.5, shares),
                new PipelineBenchmark.Row("pipeline", 256, 32, 0, 300, 2.5, 900, 1700, 80, 700, 8, 30, shares));
        PipelineBenchmark.Report report = new PipelineBenchmark.Report(machine, "minilm-l6", "v1", 300, 50, 256, 32,
                20, 3, "exactly_once_v2", rows, 0.8, 3.0);

        String table = PipelineBenchmark.renderTable(report);

        assertThat(table).startsWith("Pipeline benchmark: AMD EPYC, 2 cores, TensorFlow 2.18.0, Java 17, 2026-11-23\n")
                .contains("minilm-l6, heads v1; 300 real texts per run; 3 partitions, exactly_once_v2; batch wait 20 ms")
                .contains("pipeline / engine at batch 256/32, saturated: 0.80 (target >= 0.80)")
                .contains("pipeline batch 256/32 / batch 1, saturated: 3.00x (target >= 3x)");
        List<String> lines = table.lines().toList();
        assertThat(lines).anyMatch(l -> l.matches("engine\\s+256/32\\s+-\\s+150\\.0\\s+-\\s+-\\s+25\\.0\\s+200\\.0.*"));
        assertThat(lines).anyMatch(l -> l.matches(
                "pipeline\\s+256/32\\s+50\\s+49\\.2\\s+120\\s+480\\s+2\\.5\\s+30\\.0\\s+60\\s+22\\.5\\s+80%/5%/2%/50%"));
        assertThat(lines).anyMatch(l -> l.matches("pipeline\\s+256/32\\s+max\\s+120\\.0\\s+900\\s+1700.*"));
    }
}
