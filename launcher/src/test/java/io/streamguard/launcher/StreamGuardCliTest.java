package io.streamguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.launcher.cli.Checkout;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Argument handling only: none of these reach a broker or registry. */
class StreamGuardCliTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "[{index}] streamguard {0}")
    @CsvSource(delimiter = '|', textBlock = """
      ''                                                    | missing command (one of: up, worker, policy, produce, consume, topics, bench, train, eval, retrainer, models, feedback, connectors, console, devices; see --help)
      frob                                                  | Unmatched argument at index 0: 'frob'
      produce --topic t --bogus                             | Unknown option: '--bogus'
      consume                                               | Missing required option: '--topic=TOPIC'
      consume --topic t --max abc                           | Invalid value for option '--max': 'abc' is not a long
      consume --topic t --max 0                             | --max must be at least 1, was 0
      consume --topic t --timeout-ms 0                      | --timeout-ms must be positive, was 0
      produce --topic t --format xml                        | Invalid value for option '--format': expected one of [JSONL, TSV] (case-insensitive) but was 'xml'
      produce --topic t /definitely/not/here.jsonl          | file not found: /definitely/not/here.jsonl
      produce --topic t --registry ftp://host/x             | --registry must be an http(s) URL, was 'ftp://host/x'
      up --kafka-port 70000                                 | --kafka-port must be between 0 and 65535, was 70000
      up --kafka-port 9100 --controller-port 9100           | --kafka-port, --controller-port, --registry-port, --postgres-port, --connect-port and --console-port must differ (9100 given twice)
      up --postgres-port 65536                              | --postgres-port must be between 0 and 65535, was 65536
      up --postgres-port -1 --no-connect                    | --postgres-port must be between 0 and 65535, was -1
      up --kafka-port 9100 --postgres-port 9100             | --kafka-port, --controller-port, --registry-port, --postgres-port, --connect-port and --console-port must differ (9100 given twice)
      up --connect-port 9092                                | --kafka-port, --controller-port, --registry-port, --postgres-port, --connect-port and --console-port must differ (9092 given twice)
      up --connect-port 70000                               | --connect-port must be between 0 and 65535, was 70000
      up --console-port 8083                                | --kafka-port, --controller-port, --registry-port, --postgres-port, --connect-port and --console-port must differ (8083 given twice)
      up --console-port 70000                               | --console-port must be between 0 and 65535, was 70000
      train --encoder bert-base-uncased --fine-tune         | --fine-tune is implemented for minilm-l6 (BERT-base serves a SavedModel whose kernels cannot take merged adapters yet)
      train --tune-epochs 2                                 | --start, --tune-epochs, --tune-rows and --tune-learning-rate need --fine-tune
      train --fine-tune --tune-rows 0                       | --tune-epochs and --tune-rows must be at least 1
      train --fine-tune --adapters ../models/v2/minilm-l6.json | --adapters refits the heads of an already tuned model: leave out --fine-tune
      train --adapters ../models/v1/minilm-l6.json          | --adapters: ../models/v1/minilm-l6.json carries no fine-tuned adapters
      train --adapters /no/such.json                        | heads file not found: /no/such.json
      train --hard-negatives -1                             | --hard-negatives must not be negative, was -1
      train --encoder bge-small-zh --tasks spam             | --tasks: no Chinese data for task spam (Chinese has offensive, sentiment)
      train --encoder bge-small-zh --tasks offensive,hate   | --tasks: no Chinese data for task hate (Chinese has offensive, sentiment)
      train --encoder bge-small-zh --hard-negatives 3000    | --hard-negatives adds English SST-2 sentences: not for bge-small-zh (Chinese)
      console --port 70000                                  | --port must be between 0 and 65535, was 70000
      console --encoder gpt2                                | --encoder: unknown encoder 'gpt2' (available: bert-base-uncased, bge-small-zh, minilm-l6)
      console --encoder minilm-l6,minilm-l6                 | --encoder names an encoder twice: [minilm-l6, minilm-l6]
      console --encoder minilm-l6,bge-small-zh --heads x.json | --heads needs a single --encoder, got [minilm-l6, bge-small-zh]
      console users                                         | missing subcommand (add or list; see --help)
      console users add bob --role boss                     | --role must be moderator or admin, was 'boss'
      console users add bad/name                            | NAME must be 1 to 64 letters, digits or ._@-, was 'bad/name'
      up --postgres-port x                                  | Invalid value for option '--postgres-port': 'x' is not an int
      up --no-registry --registry-url http://h:1            | --no-registry and --registry-url exclude each other
      up --registry-url localhost:8081                      | --registry-url must be an http(s) URL, was 'localhost:8081'
      up --partitions 0                                     | --partitions must be at least 1, was 0
      topics create --partitions 0                          | --partitions must be at least 1, was 0
      topics frob                                           | Unmatched argument at index 1: 'frob'
      bench                                                 | missing command (one of: engine, memory, pipeline, connectors, hostile, chaos, repeats; see streamguard bench --help)
      bench chaos --rate 0                                  | --rate must be positive, was 0.0
      bench chaos --events 0                                | --events must be at least 1, was 0
      bench chaos --inference-workers 0                     | --inference-workers must be at least 1, was 0
      bench chaos --swap-to /definitely/not/here.json       | --swap-to: no model file /definitely/not/here.json
      bench engine --batch-sizes 0                          | --batch-sizes must be at least 1, was 0
      bench engine --precision fp8                          | --precision: precision must be auto, fp32, bf16 or fp16, was 'fp8'
      bench repeats --share 1                               | --share must be in [0, 1), was 1.0
      bench repeats --events 0                              | --events must be at least 1, was 0
      bench repeats --precision half                        | --precision: precision must be auto, fp32, bf16 or fp16, was 'half'
      eval --benign --precision fp64                        | --precision: precision must be auto, fp32, bf16 or fp16, was 'fp64'
      bench engine --batch-sizes 8,x                        | Invalid value for option '--batch-sizes' (N): 'x' is not an int
      bench engine --lengths 32,1                           | --lengths must be between 2 and 512, was 1
      bench engine --lengths 513                            | --lengths must be between 2 and 512, was 513
      bench engine --encoders minilm-l6,gpt2                | --encoders: unknown encoder 'gpt2' (available: bert-base-uncased, bge-small-zh, minilm-l6)
      bench engine --iterations 0                           | --iterations must be at least 1, was 0
      bench engine --iterations 2001                        | --iterations must be at most 2000, was 2001
      bench engine --min-seconds -1                         | --min-seconds must not be negative, was -1.0
      bench engine --warmup -1                              | --warmup must be at least 0, was -1
      bench engine --device tpu                             | Invalid value for option '--device': expected one of [AUTO, CPU, GPU] (case-insensitive) but was 'tpu'
      bench engine --datasets /definitely/not/here          | datasets directory not found: /definitely/not/here (--datasets DIR or STREAMGUARD_DATASETS point elsewhere)
      bench memory --texts 0                                | --texts must be at least 1, was 0
      bench memory --batch-size 0                           | --batch-size must be at least 1, was 0
      bench memory --encoder bert                           | --encoder: unknown encoder 'bert' (available: bert-base-uncased, bge-small-zh, minilm-l6)
      up --demo --no-pipeline                               | --demo shows the labeled stream: it needs the pipeline (drop --no-pipeline)
      up --encoder gpt-2                                    | --encoder: unknown encoder 'gpt-2' (available: bert-base-uncased, bge-small-zh, minilm-l6)
      up --heads /no/such/heads.json                        | heads file not found: /no/such/heads.json
      up --heads ../models/v1/minilm-l6.json --datasets /no | retrainer: training data not found under /no (--datasets DIR); or start with --no-retrainer
      worker --role painter                                 | role must be tokenizer, inference or all, got 'painter'
      worker --device tpu                                   | --device must be auto, cpu or gpu, was 'tpu'
      worker --heads /no/such/heads.json                    | heads file not found: /no/such/heads.json
      worker --config /no/such/worker.properties            | config file not found: /no/such/worker.properties
      worker --batch-size x                                 | Invalid value for option '--batch-size': 'x' is not an int
      worker --batch-size 0                                 | --batch-size must be at least 1, was 0
      worker --batch-wait-ms -5                             | --batch-wait-ms must be at least 1, was -5
      policy                                                | missing subcommand (set, reset or show; see --help)
      policy set                                            | nothing to set: give --label LABEL [--review X] [--block Y], or --file FILE (policy reset returns to the model's thresholds)
      consume --topic t --key                               | Missing required parameter for option '--key' (ID)
      policy set --review 0.4                               | Error: Missing required argument(s): --label=LABEL
      connectors                                            | missing subcommand (one of: apply, status; see --help)
      connectors status --connect localhost:8083            | --connect: Connect URL must be http(s)://HOST:PORT, was 'localhost:8083'
      connectors apply --connect http://                    | --connect: Connect URL is not a valid URL: 'http://'
      connectors apply --postgres mysql://h/db              | --postgres must be a jdbc:postgresql://HOST[:PORT]/DB[?user=U&password=P] URL, was 'mysql://h/db'
      connectors apply --postgres jdbc:postgresql://h:5432/ | --postgres must name one host and a database (jdbc:postgresql://HOST[:PORT]/DB), was 'jdbc:postgresql://h:5432/'
      connectors apply --registry ftp://h/x                 | --registry must be an http(s) URL, was 'ftp://h/x'
      connectors apply --config-dir /no/such/dir            | no connector config dir /no/such/dir
      """)
    void usageErrorsPrintOneLineAndExitTwo(String args, String message) {
        CliRun run = CliRun.of(args.isBlank() ? new String[0] : args.trim().split("\\s+"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("streamguard: " + message);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aDirectoryIsNotAnInputFile() {
        CliRun run = CliRun.of("produce", "--topic", "t", tmp.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("streamguard: not a readable file: " + tmp);
    }

    @Test
    void helpAndVersionSucceed() {
        CliRun help = CliRun.of("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: streamguard", "up", "produce", "consume", "topics", "bench");

        CliRun produceHelp = CliRun.of("produce", "--help");
        assertThat(produceHelp.exitCode()).isZero();
        assertThat(produceHelp.out()).contains("--topic", "--format", "id<TAB>text", "127.0.0.1:9092");

        CliRun workerHelp = CliRun.of("worker", "--help");
        assertThat(workerHelp.exitCode()).isZero();
        assertThat(workerHelp.out())
                .as("the settings WorkerConfig declares")
                .contains(
                        "streamguard.batch.max.size=256",
                        "streamguard.model.follow=true",
                        "Most texts per micro-batch");

        CliRun version = CliRun.of("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("streamguard ").contains("Apache Kafka 4.3.1");
        assertThat(version.err()).isEmpty();
    }

    /** Every command and subcommand, however deep: {@code --help} prints its usage and nothing on stderr. */
    @Test
    void everyCommandAnswersHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(StreamGuardCli.newCommandLine(), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(12);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as("%s --help: %s", path, run.err()).isZero();
            assertThat(run.out()).as("%s --help", path).startsWith("Usage: streamguard " + String.join(" ", path));
            assertThat(run.err()).as("%s --help", path).isEmpty();
            // A lone % in a description makes picocli print it raw, %n and all (and warn on System.err).
            assertThat(run.out()).as("%s --help", path).doesNotContain("%n");
        }
    }

    private static void collect(picocli.CommandLine command, List<String> path, List<List<String>> paths) {
        command.getSubcommands().forEach((name, sub) -> {
            if (sub.getCommandSpec().aliases().length > 0
                    && !sub.getCommandName().equals(name)) {
                return; // an alias of a command already listed
            }
            List<String> child = new ArrayList<>(path);
            child.add(name);
            paths.add(child);
            collect(sub, child, paths);
        });
    }

    @Test
    void runtimeFailuresPrintOneLineAndExitOne() {
        // The embedded registry is launched first; a missing app fails before any broker starts.
        CliRun run = CliRun.of(
                "up",
                "--data-dir",
                tmp.resolve("data").toString(),
                "--kafka-port",
                "0",
                "--controller-port",
                "0",
                "--registry-port",
                "0",
                "--no-pipeline",
                "--registry-app",
                tmp.resolve("missing.jar").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("streamguard: schema registry app not found at " + tmp.resolve("missing.jar"));
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aConnectorConfigThatIsNotOneIsAUsageErrorNamingTheFile() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(dir.resolve("a-sink.json"), "{\"name\": \"a-sink\", \"config\": {\"tasks.max\": 1}}");
        Files.writeString(dir.resolve("b-broken.json"), "{\"name\": \"b\", \"config\": [\"x\"]}");

        CliRun run = CliRun.of("connectors", "apply", "--config-dir", dir.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly("streamguard: " + dir.resolve("b-broken.json") + ": \"config\" must be an object");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnreachableConsoleDatabaseIsARuntimeFailureInOneLine() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        CliRun run = CliRun.of(
                "console", "users", "add", "bob", "--jdbc-url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/x");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("streamguard: cannot open the console's database jdbc:postgresql://127.0.0.1:" + closedPort
                        + "/x: ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnreachableConnectWorkerIsARuntimeFailureInOneLine() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("config"));
        Files.writeString(dir.resolve("a-sink.json"), "{\"name\": \"a-sink\", \"config\": {\"tasks.max\": 1}}");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        CliRun run = CliRun.of(
                "connectors", "apply", "--config-dir", dir.toString(), "--connect", "http://127.0.0.1:" + closedPort);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("streamguard: Connect at http://127.0.0.1:" + closedPort
                        + " unreachable (PUT /connectors/a-sink/config)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aTakenPostgresPortIsOneLineAndExitOneBeforeTheBrokerStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            CliRun run = CliRun.of(
                    "up",
                    "--data-dir",
                    tmp.resolve("data").toString(),
                    "--kafka-port",
                    "0",
                    "--controller-port",
                    "0",
                    // An external registry (never reached: PostgreSQL fails first) and no pipeline keep the
                    // test to the stack's start order; --no-registry would drop Connect and PostgreSQL.
                    "--registry-url",
                    "http://127.0.0.1:9",
                    "--no-pipeline",
                    "--postgres-port",
                    Integer.toString(port));

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.errLines())
                    .containsExactly("streamguard: PostgreSQL port 127.0.0.1:" + port + " is already in use (another"
                            + " `streamguard up` running? pick another port with the options)");
            assertThat(run.out()).isEmpty();
        }
        assertThat(tmp.resolve("data/kafka")).doesNotExist();
    }

    @Test
    void aMissingTrainedModelSaysHowToGetOneBeforeAnythingStarts() {
        // A checkout without models/ (the trained heads may exist in the real one).
        String home = System.getProperty(Checkout.HOME_PROPERTY);
        System.setProperty(Checkout.HOME_PROPERTY, tmp.toString());
        CliRun run;
        try {
            run = CliRun.of(
                    "up",
                    "--data-dir",
                    tmp.resolve("data").toString(),
                    "--kafka-port",
                    "0",
                    "--controller-port",
                    "0",
                    "--registry-port",
                    "0");
        } finally {
            if (home == null) {
                System.clearProperty(Checkout.HOME_PROPERTY);
            } else {
                System.setProperty(Checkout.HOME_PROPERTY, home);
            }
        }

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("streamguard: no trained model for minilm-l6 at ")
                .contains(tmp.resolve("models/v2/minilm-l6.json").toString(), "--heads FILE", "--no-pipeline");
        assertThat(tmp.resolve("data")).doesNotExist();
    }
}
