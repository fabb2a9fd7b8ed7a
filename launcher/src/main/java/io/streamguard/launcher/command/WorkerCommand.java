package io.streamguard.launcher.command;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.cli.Messages;
import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.launcher.cli.Usage;
import io.streamguard.topology.Worker;
import io.streamguard.topology.WorkerConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code streamguard worker}: one StreamGuard worker in the foreground until Ctrl-C / SIGTERM. */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = {
            "Run the labeling pipeline against a Kafka cluster: tokenizer (text-events -> text-tokenized),"
                    + " inference (text-tokenized -> text-labeled) or all (both in one process).",
            "Configuration: defaults, then --config FILE (Kafka Streams properties plus streamguard.*), then"
                    + " STREAMGUARD_* environment variables, then these options.",
            "Prints one line 'WORKER READY role=... worker=... metrics=...' to stdout once it is processing."
        },
        footer = {
            "",
            "Endpoints on --metrics-port: /metrics (Prometheus), /health, /ready.",
            "Default heads: models/v2/minilm-l6.json (fine-tuned), models/v1/bert-base-uncased.json in the checkout."
        })
public final class WorkerCommand implements Callable<Integer> {
    CommandSpec spec;

    /** Appends the streamguard.* settings, as WorkerConfig declares them, to the help's footer. */
    @Spec
    void spec(CommandSpec commandSpec) {
        this.spec = commandSpec;
        List<String> footer = new ArrayList<>(List.of(commandSpec.usageMessage().footer()));
        footer.add("");
        footer.add("Settings (in --config FILE, or as STREAMGUARD_<KEY> with dots as underscores):");
        WorkerConfig.helpLines().forEach(line -> footer.add("  " + line.replace("%", "%%")));
        commandSpec.usageMessage().footer(footer.toArray(String[]::new));
    }

    @Option(
            names = "--role",
            paramLabel = "tokenizer|inference|all",
            description = "What to run (default: streamguard.role, else all).")
    String role;

    @Option(
            names = {"-c", "--config"},
            paramLabel = "FILE",
            description = "Worker properties file (bootstrap.servers, schema.registry.url, sasl.*, streamguard.*).")
    Path configFile;

    @Option(
            names = {"-b", "--bootstrap"},
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: bootstrap.servers, env STREAMGUARD_BOOTSTRAP, else "
                    + ClientOptions.DEFAULT_BOOTSTRAP
                    + ").")
    String bootstrap;

    @Option(
            names = {"-r", "--registry"},
            paramLabel = "URL",
            description = "Schema registry URL (default: schema.registry.url, env STREAMGUARD_REGISTRY_URL, else the"
                    + " embedded registry's).")
    String registry;

    @Option(
            names = "--encoder",
            paramLabel = "ID[,ID]",
            description = "minilm-l6 (default) or bert-base-uncased; with bge-small-zh for Chinese, e.g."
                    + " minilm-l6,bge-small-zh (one encoder per language, each event goes to its language's).")
    String encoder;

    @Option(
            names = "--heads",
            paramLabel = "FILE[,FILE]",
            description = "Heads file(s) for the inference role, one per encoder, matched by the encoder each records"
                    + " (default: models/v2/minilm-l6.json, models/v1/bert-base-uncased.json).")
    String heads;

    @Option(names = "--device", paramLabel = "auto|cpu|gpu", description = "Where the encoder runs (default: auto).")
    String device;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            description = "Port of /metrics, /health, /ready; 0 = any free port, -1 = off (default: "
                    + WorkerConfig.DEFAULT_METRICS_PORT
                    + ").")
    Integer metricsPort;

    @Option(
            names = "--worker-id",
            paramLabel = "ID",
            description = "Written into every labeled event (default: host-pid).")
    String workerId;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "Most texts per micro-batch (default: 256); the engine runs them in calls of"
                    + " streamguard.batch.engine.size (32) texts of similar length.")
    Integer batchSize;

    @Option(
            names = "--batch-wait-ms",
            paramLabel = "MS",
            description = "Longest a text waits for its batch to fill (default: 20).")
    Integer batchWaitMs;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Kafka Streams state (the inference buffer); default: Kafka Streams' own.")
    Path stateDir;

    @Override
    public Integer call() throws InterruptedException {
        WorkerConfig config = config();
        Worker worker = Pipeline.startAndAwaitRunning(config);
        Thread hook = new Thread(worker::close, "streamguard-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = spec.commandLine().getOut();
        out.println("WORKER READY " + Pipeline.describe(worker));
        out.flush();
        worker.awaitTermination();
        // Only a worker that failed for good gets here; Ctrl-C ends the JVM inside the hook.
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            return 0;
        }
        String state = worker.state().toString();
        worker.close();
        throw new LauncherException("the worker stopped (state " + state + "); see the log above");
    }

    WorkerConfig config() {
        if (configFile != null && !Files.isRegularFile(configFile)) {
            throw usage("config file not found: " + configFile);
        }
        if (device != null && !device.matches("(?i)auto|cpu|gpu")) {
            throw usage("--device must be auto, cpu or gpu, was '" + device + "'");
        }
        if (encoder != null) {
            for (String id : encoder.split(",")) {
                Usage.knownEncoder(spec, "--encoder", id.strip());
            }
        }
        if (heads != null) {
            for (String file : heads.split(",")) {
                ModelFiles.requireGiven(spec, Path.of(file.strip()));
            }
        }
        // Here, so the message names the option typed rather than the setting it becomes.
        if (batchSize != null) {
            Usage.atLeast(spec, "--batch-size", batchSize, 1);
        }
        if (batchWaitMs != null) {
            Usage.atLeast(spec, "--batch-wait-ms", batchWaitMs, 1);
        }
        Map<String, String> defaults = new TreeMap<>();
        defaults.put("bootstrap.servers", ClientOptions.DEFAULT_BOOTSTRAP);
        defaults.put("schema.registry.url", ClientOptions.DEFAULT_REGISTRY);
        Map<String, String> overrides = new TreeMap<>();
        put(overrides, WorkerConfig.ROLE, role);
        put(overrides, "bootstrap.servers", bootstrap);
        put(overrides, "schema.registry.url", registry);
        put(overrides, WorkerConfig.MODEL_ENCODER, encoder);
        put(overrides, WorkerConfig.MODEL_HEADS, heads);
        put(overrides, WorkerConfig.MODEL_DEVICE, device);
        put(overrides, WorkerConfig.METRICS_PORT, metricsPort);
        put(overrides, WorkerConfig.WORKER_ID, workerId);
        put(overrides, WorkerConfig.BATCH_MAX_SIZE, batchSize);
        put(overrides, WorkerConfig.BATCH_MAX_WAIT_MS, batchWaitMs);
        put(overrides, "state.dir", stateDir);
        WorkerConfig config;
        try {
            config = WorkerConfig.load(defaults, configFile, Pipeline.workerEnvironment(System.getenv()), overrides);
            if (config.role().infers() && config.headsFiles().isEmpty()) {
                List<String> trained = new ArrayList<>();
                for (String encoderId : config.encoderIds()) {
                    trained.add(ModelFiles.trainedHeads(encoderId).toString());
                }
                overrides.put(WorkerConfig.MODEL_HEADS, String.join(",", trained));
                config =
                        WorkerConfig.load(defaults, configFile, Pipeline.workerEnvironment(System.getenv()), overrides);
            }
        } catch (IllegalArgumentException e) {
            // Bad values (role, numbers, device, encoder) wherever they came from.
            throw usage(Messages.oneLine(e.getMessage()));
        } catch (UncheckedIOException e) {
            throw usage(Messages.oneLine(e.getMessage()));
        }
        return config;
    }

    private static void put(Map<String, String> map, String key, Object value) {
        if (value != null) {
            map.put(key, value.toString());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
