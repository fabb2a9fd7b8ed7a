package io.streamguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs the real minilm-l6 encoder on tiny grids: seconds, not minutes. */
class BenchCommandTest {
    private static final String DATASETS =
            Path.of("../../shared/datasets").toAbsolutePath().normalize().toString();
    private static final String HEADS =
            Path.of("../models/v1/minilm-l6.json").toAbsolutePath().normalize().toString();
    private static final String CONNECTOR_CONFIGS =
            Path.of("../connectors/config").toAbsolutePath().normalize().toString();

    @Test
    void engineTablesHaveOneRowPerCellWithPositiveNumbers() {
        CliRun run = CliRun.of(
                "bench",
                "engine",
                "--encoders",
                "minilm-l6",
                "--batch-sizes",
                "1,2",
                "--lengths",
                "8",
                "--iterations",
                "2",
                "--warmup",
                "1",
                "--min-seconds",
                "0",
                "--tokenizer-texts",
                "64",
                "--device",
                "cpu",
                "--datasets",
                DATASETS);

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> rows =
                run.out().lines().filter(line -> line.startsWith("minilm-l6  ")).toList();
        assertThat(rows).hasSize(3); // two grid cells, one tokenizer share
        for (String row : rows.subList(0, 2)) {
            String[] cells = row.trim().split("\\s+");
            assertThat(cells).hasSize(13);
            assertThat(cells[1]).isEqualTo("CPU");
            assertThat(cells[2]).as("precision").isEqualTo("fp32");
            assertThat(cells[4]).isEqualTo("8");
            for (String number : Arrays.copyOfRange(cells, 5, 13)) {
                assertThat(Double.parseDouble(number)).as(row).isPositive();
            }
        }
        assertThat(rows.get(0).trim().split("\\s+")[3]).isEqualTo("1");
        assertThat(rows.get(0).trim().split("\\s+")[5]).as("pairs").isEqualTo("2");
        assertThat(rows.get(1).trim().split("\\s+")[3]).isEqualTo("2");
        assertThat(rows.get(2)).matches("minilm-l6\\s+64\\s+2\\s+\\d+\\s+[0-9.]+\\s+\\d+\\s+[0-9.]+ %");
        assertThat(run.out()).contains("Engine benchmark: ", " cores, TensorFlow ", "engine/bare");
        assertThat(run.err()).contains("bench: minilm-l6 2x8: engine p50");
    }

    @Test
    void engineJsonAndMemorySamples() throws Exception {
        CliRun json = CliRun.of(
                "bench",
                "engine",
                "--encoders",
                "minilm-l6",
                "--batch-sizes",
                "2",
                "--lengths",
                "8",
                "--iterations",
                "2",
                "--warmup",
                "0",
                "--tokenizer-texts",
                "0",
                "--datasets",
                DATASETS,
                "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertThat(report.path("cells")).hasSize(1);
        assertThat(report.path("cells").get(0).path("ratio").asDouble()).isPositive();
        assertThat(report.path("tokenizerShares")).isEmpty();

        CliRun memory = CliRun.of(
                "bench", "memory", "--texts", "40", "--batch-size", "4", "--device", "cpu", "--datasets", DATASETS);
        assertThat(memory.exitCode()).as(memory.err()).isZero();
        List<String> samples =
                memory.out().lines().filter(l -> l.startsWith("texts ")).toList();
        assertThat(samples).hasSize(11);
        assertThat(samples.get(0)).matches("texts\\s+0\\s+RSS\\s+[\\d,]+ MB\\s+\\+0 KB.*");
        assertThat(samples.get(10)).startsWith("texts            40");
        assertThat(memory.out()).contains("minilm-l6 on CPU, batches of 4", "after 40 texts");
    }

    @Test
    void pipelineRejectsBadArgumentsInOneLineBeforeStartingAnything() {
        String[][] cases = {
            {"--events", "0"},
            {"--rate", "0"},
            {"--rate=-5"},
            {"--batch-size", "0"},
            {"--engine-batch", "0"},
            {"--batch-wait-ms", "0"},
            {"--partitions", "0"},
            {"--guarantee", "exactly_once"},
            {"--encoder", "gpt-2"},
            {"--heads", "/nonexistent/heads.json"},
            {"--datasets", "/nonexistent/datasets"},
            {"--events", "ten"}
        };
        String[] messages = {
            "--events must be at least 1, was 0",
            "--rate must be positive, was 0.0",
            "--rate must be positive, was -5.0",
            "--batch-size must be at least 1, was 0",
            "--engine-batch must be at least 1, was 0",
            "--batch-wait-ms must be at least 1, was 0",
            "--partitions must be at least 1, was 0",
            "--guarantee must be exactly_once_v2 or at_least_once, was 'exactly_once'",
            "--encoder: unknown encoder 'gpt-2'",
            "heads file not found: /nonexistent/heads.json",
            "datasets directory not found: /nonexistent/datasets",
            "'ten' is not an int"
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("bench", "pipeline"));
            args.addAll(List.of(cases[i]));
            if (!args.contains("--datasets")) {
                args.addAll(List.of("--datasets", DATASETS));
            }
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(String.join(" ", cases[i])).isEqualTo(2);
            assertThat(run.errLines()).as(String.join(" ", cases[i])).hasSize(1);
            assertThat(run.err())
                    .as(String.join(" ", cases[i]))
                    .startsWith("streamguard: ")
                    .contains(messages[i]);
        }
    }

    @Test
    void hostileRejectsBadArgumentsInOneLineBeforeStartingAnything() {
        String[][] cases = {
            {"--mutants=-1"}, {"--passes", "0"}, {"--partitions", "0"}, {"--heads", "/nonexistent/heads.json"}
        };
        String[] messages = {
            "--mutants must be at least 0, was -1",
            "--passes must be at least 1, was 0",
            "--partitions must be at least 1, was 0",
            "heads file not found: /nonexistent/heads.json"
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("bench", "hostile"));
            args.addAll(List.of(cases[i]));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode())
                    .as(String.join(" ", cases[i]) + ": " + run.err())
                    .isEqualTo(2);
            assertThat(run.errLines()).as(String.join(" ", cases[i])).hasSize(1);
            assertThat(run.err())
                    .as(String.join(" ", cases[i]))
                    .startsWith("streamguard: ")
                    .contains(messages[i]);
        }
    }

    @Test
    void connectorsRejectsBadArgumentsInOneLineBeforeStartingAnything() {
        String[][] cases = {
            {"--events", "0"},
            {"--comments", "0"},
            {"--comment-rate", "0"},
            {"--comment-rate=-2"},
            {"--comment-rate", "Infinity"},
            {"--batch-size", "0"},
            {"--batch-wait-ms", "0"},
            {"--encoder", "gpt-2"},
            {"--heads", "/nonexistent/heads.json"},
            {"--datasets", "/nonexistent/datasets"},
            {"--connector-configs", "/nonexistent/config"},
            {"--comments", "many"}
        };
        String[] messages = {
            "--events must be at least 1, was 0",
            "--comments must be at least 1, was 0",
            "--comment-rate must be positive, was 0.0",
            "--comment-rate must be positive, was -2.0",
            "--comment-rate must be positive, was Infinity",
            "--batch-size must be at least 1, was 0",
            "--batch-wait-ms must be at least 1, was 0",
            "--encoder: unknown encoder 'gpt-2'",
            "heads file not found: /nonexistent/heads.json",
            "datasets directory not found: /nonexistent/datasets",
            "--connector-configs: no connector config dir /nonexistent/config",
            "'many' is not an int"
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("bench", "connectors"));
            args.addAll(List.of(cases[i]));
            if (!args.contains("--heads")) {
                args.addAll(List.of("--heads", HEADS));
            }
            if (!args.contains("--connector-configs")) {
                args.addAll(List.of("--connector-configs", CONNECTOR_CONFIGS));
            }
            if (!args.contains("--datasets")) {
                args.addAll(List.of("--datasets", DATASETS));
            }
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode())
                    .as(String.join(" ", cases[i]) + ": " + run.err())
                    .isEqualTo(2);
            assertThat(run.errLines()).as(String.join(" ", cases[i])).hasSize(1);
            assertThat(run.err())
                    .as(String.join(" ", cases[i]))
                    .startsWith("streamguard: ")
                    .contains(messages[i]);
        }
    }
}
