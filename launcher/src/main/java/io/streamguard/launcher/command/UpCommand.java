package io.streamguard.launcher.command;

import io.streamguard.launcher.cli.Checkout;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.cli.Messages;
import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.launcher.cli.Usage;
import io.streamguard.launcher.client.ClientSecurity;
import io.streamguard.launcher.client.ConnectClient;
import io.streamguard.launcher.client.ConnectorConfigs;
import io.streamguard.launcher.client.ConnectorFile;
import io.streamguard.launcher.client.StreamGuardTopics;
import io.streamguard.launcher.console.ConsoleService;
import io.streamguard.launcher.console.ServingModel;
import io.streamguard.launcher.stack.DataDirInUseException;
import io.streamguard.launcher.stack.EmbeddedConnect;
import io.streamguard.launcher.stack.EmbeddedKafka;
import io.streamguard.launcher.stack.EmbeddedPostgres;
import io.streamguard.launcher.stack.EmbeddedRegistry;
import io.streamguard.launcher.stack.EmbeddedStack;
import io.streamguard.launcher.stack.LocalPrincipal;
import io.streamguard.launcher.stack.LocalSecurity;
import io.streamguard.launcher.traffic.DemoTraffic;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsFileException;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.language.Language;
import io.streamguard.retrainer.Retrainer;
import io.streamguard.topology.BatchScorer;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.PipelineSettings;
import io.streamguard.topology.Worker;
import io.streamguard.topology.WorkerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code streamguard up}: the local stack in the foreground until Ctrl-C / SIGTERM. */
@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Start a Kafka broker (KRaft), a schema registry, the StreamGuard topics, the labeling pipeline"
                    + " (a worker with role all) and its retrainer, the demo application's PostgreSQL and a Kafka"
                    + " Connect worker with the connectors of connectors/config/, then run until Ctrl-C.",
            "Prints one line 'READY bootstrap=<host:port> registry=<url> postgres=<jdbc url> connect=<rest url>"
                    + " console=<url>' to stdout once everything answers: broker, registry and topics, PostgreSQL"
                    + " with its demo tables, the connectors RUNNING, the pipeline's worker RUNNING with its model"
                    + " loaded and warmed up, the retrainer consuming (its 'RETRAINER READY live=<version> ...' line"
                    + " comes first), and the moderator console serving (sign in as admin: see"
                    + " `streamguard console --help`)."
        })
public final class UpCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(UpCommand.class);
    /** From the connectors' creation to all their tasks RUNNING (seconds on an idle machine). */
    private static final Duration CONNECTORS_TIMEOUT = Duration.ofMinutes(2);

    @Spec
    CommandSpec spec;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            defaultValue = ".streamguard",
            description =
                    "State kept across restarts: DIR/kafka (broker), DIR/registry (schemas), DIR/registry.log,"
                            + " DIR/postgres (PostgreSQL), DIR/postgres.log; one up at a time per DIR; default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(
            names = "--kafka-port",
            paramLabel = "PORT",
            defaultValue = "" + EmbeddedKafka.DEFAULT_PORT,
            description = "Client (PLAINTEXT) port on 127.0.0.1; 0 = any free port. Default: ${DEFAULT-VALUE}.")
    int kafkaPort;

    @Option(
            names = "--controller-port",
            paramLabel = "PORT",
            defaultValue = "" + EmbeddedKafka.DEFAULT_CONTROLLER_PORT,
            description = "KRaft controller port on 127.0.0.1; 0 = any free port. Default: ${DEFAULT-VALUE}.")
    int controllerPort;

    @Option(
            names = "--registry-port",
            paramLabel = "PORT",
            defaultValue = "" + EmbeddedRegistry.DEFAULT_PORT,
            description = "Embedded schema registry port on 127.0.0.1; 0 = any free port. Default: ${DEFAULT-VALUE}.")
    int registryPort;

    @Option(
            names = "--postgres-port",
            paramLabel = "PORT",
            defaultValue = "" + EmbeddedPostgres.DEFAULT_PORT,
            description = "PostgreSQL port on 127.0.0.1; 0 = any free port. Default: ${DEFAULT-VALUE}.")
    int postgresPort;

    @Option(
            names = "--connect-port",
            paramLabel = "PORT",
            defaultValue = "" + EmbeddedConnect.DEFAULT_PORT,
            description = "Kafka Connect REST port on 127.0.0.1; 0 = any free port. Default: ${DEFAULT-VALUE}.")
    int connectPort;

    @Option(
            names = "--no-connect",
            description = "No PostgreSQL and no Kafka Connect (READY line then has no postgres= and connect=);"
                    + " implied by --no-registry.")
    boolean noConnect;

    @Option(
            names = "--console-port",
            paramLabel = "PORT",
            defaultValue = "" + ConsoleCommand.DEFAULT_PORT,
            description = "The moderator console's port; default: ${DEFAULT-VALUE}, 0 picks a free one.")
    int consolePort;

    @Option(
            names = "--no-console",
            description = "No moderator console (READY line then has no console=); implied by --no-connect.")
    boolean noConsole;

    @Option(
            names = "--registry-url",
            paramLabel = "URL",
            description = "Use this external Confluent-API registry instead of starting the embedded one.")
    String registryUrl;

    @Option(
            names = "--registry-app",
            paramLabel = "JAR",
            description = "Apicurio quarkus-run.jar to launch (default: $STREAMGUARD_REGISTRY_APP or"
                    + " <streamguard.home>/embedded-registry/target/quarkus-app/quarkus-run.jar).")
    Path registryApp;

    @Option(
            names = "--secure",
            description = "Security on: the broker takes SASL_SSL (SCRAM-SHA-512) clients only and authorizes them by"
                    + " ACL, the registry is served over HTTPS with basic auth. Certificates and credentials are"
                    + " generated once in DIR/secure (files readable by you only); a 'SECURE' line names the client"
                    + " properties file of each principal (worker, cli, retrainer, connect, console, admin), for"
                    + " --config or STREAMGUARD_CONFIG. Needs a data dir first started with --secure.")
    boolean secure;

    @Option(names = "--no-registry", description = "Broker and topics only (READY line then says registry=none).")
    boolean noRegistry;

    @Option(
            names = "--partitions",
            paramLabel = "N",
            defaultValue = "" + StreamGuardTopics.DEFAULT_PARTITIONS,
            description = "Partitions for newly created topics; default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(
            names = "--demo",
            description = "After READY, produce real texts from the datasets at a steady rate,"
                    + " show the labeled stream live, print a summary, then stay up.")
    boolean demo;

    @Option(
            names = "--no-pipeline",
            description = "No worker (implied by --no-registry): broker, registry, topics and, unless --no-connect,"
                    + " PostgreSQL.")
    boolean noPipeline;

    @Option(
            names = "--no-retrainer",
            description = "No retrainer (implied by --no-pipeline and --no-registry): moderator feedback is"
                    + " not learned from, and model-versions gets no version until one is published otherwise"
                    + " (e.g. by `streamguard retrainer`).")
    boolean noRetrainer;

    @Option(
            names = "--encoder",
            paramLabel = "ID[,ID]",
            description = "Encoders of the pipeline, one per language (minilm-l6 or bert-base-uncased for English,"
                    + " bge-small-zh for Chinese; each event goes to its language's); default: those of --heads,"
                    + " else " + ModelFiles.DEFAULT_PIPELINE_ENCODERS + ".")
    String encoder;

    @Option(
            names = "--heads",
            paramLabel = "FILE[,FILE]",
            description = "Heads files of the pipeline, one per encoder, matched by the encoder each records"
                    + " (default: each encoder's trained model in the checkout: models/v2/minilm-l6.json,"
                    + " models/v1/bge-small-zh.json, models/v1/bert-base-uncased.json).")
    String heads;

    /** {@link #encoders()}, once worked out. */
    private List<String> encoders;

    @Option(
            names = "--device",
            paramLabel = "auto|cpu|gpu",
            defaultValue = "auto",
            description = "Where the encoder runs; default: ${DEFAULT-VALUE}.")
    String device;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "" + WorkerConfig.DEFAULT_METRICS_PORT,
            description = "The pipeline's /metrics, /health, /ready port; 0 = any free port, -1 = off. Default:"
                    + " ${DEFAULT-VALUE}.")
    int metricsPort;

    @Option(
            names = "--demo-events",
            paramLabel = "N",
            defaultValue = "300",
            description = "Texts the demo produces; default: ${DEFAULT-VALUE}.")
    int demoEvents;

    @Option(
            names = "--demo-rate",
            paramLabel = "PER_SECOND",
            defaultValue = "50",
            description = "Offered rate of the demo traffic; default: ${DEFAULT-VALUE} events/s.")
    double demoRate;

    @Option(
            names = "--datasets",
            paramLabel = "DIR",
            description = "Labelled datasets for the demo and the retrainer (default: $STREAMGUARD_DATASETS or"
                    + " ../shared/datasets beside the checkout).")
    Path datasets;

    @Override
    public Integer call() throws InterruptedException {
        EmbeddedStack.Builder builder = configure();
        boolean pipeline = !noPipeline && !noRegistry;
        List<String> encoders = encoders();
        List<Path> headsFiles = pipeline ? headsFiles(encoders) : List.of();
        // The worker's model settings: which heads file each encoder gets, as the worker will match them.
        WorkerConfig models = pipeline ? modelConfig(headsFiles) : null;
        boolean retrain = pipeline && !noRetrainer;
        if (retrain) {
            // Missing training data is a usage error now, not after the broker has started.
            retrainerConfigs("127.0.0.1:" + kafkaPort, "http://127.0.0.1:" + registryPort, models, null);
        }
        // Read the texts before starting anything: a missing dataset should not cost a broker
        // start. The demo mixes the languages the pipeline serves.
        List<DemoTraffic.Sample> samples = demo
                ? DemoTraffic.load(
                        Checkout.datasetsDir(datasets),
                        demoEvents,
                        encoders.stream().map(Language::ofEncoder).distinct().toList())
                : List.of();
        try {
            builder.lockDataDir(); // before anything touches the dir, or starts beside a stack using it
        } catch (DataDirInUseException e) {
            throw usage(e.getMessage() + "; stop it or choose another --data-dir");
        }
        // The model takes longer to load and warm up than broker and registry take to boot: overlap them.
        Map<String, CompletableFuture<BatchScorer>> model = new LinkedHashMap<>();
        if (pipeline) {
            for (String id : encoders) {
                model.put(id, Pipeline.preload(models.forEncoder(id)));
            }
        }
        EmbeddedStack stack;
        try {
            stack = builder.start();
        } catch (RuntimeException e) {
            model.values().forEach(Pipeline::discard);
            throw e;
        }
        if (secure) {
            // up's own clients (connectors' registry checks, demo traffic, the console) connect as cli.
            ClientSecurity.use(ClientSecurity.of(stack.clientProperties(LocalPrincipal.CLI)));
            spec.commandLine().getOut().println(secureLine(stack.security().orElseThrow()));
        }
        List<ConnectorFile> connectors;
        try {
            connectors = applyConnectors(stack);
        } catch (RuntimeException e) {
            model.values().forEach(Pipeline::discard);
            stack.close();
            throw e;
        }
        AtomicReference<Worker> worker = new AtomicReference<>();
        AtomicReference<ConsoleService> consoleRef = new AtomicReference<>();
        AtomicReference<RetrainerSidecar> retrainerRef = new AtomicReference<>();
        // Ctrl-C / SIGTERM: the JVM runs this hook and exits once it returns, so the pipeline and the
        // stack are fully closed (worker committed, broker controlled shutdown, registry process
        // destroyed) before the process ends.
        Thread hook = new Thread(
                () -> closeAll(consoleRef.get(), retrainerRef.get(), worker.get(), stack), "streamguard-up-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        PrintWriter out = spec.commandLine().getOut();
        if (pipeline) {
            try {
                worker.set(Pipeline.startAndAwaitRunning(
                        workerConfig(
                                stack.bootstrapServers(),
                                stack.registryUrl(),
                                headsFiles,
                                credentials(stack, LocalPrincipal.WORKER)),
                        Pipeline.preloaded(model)));
            } catch (RuntimeException e) {
                Runtime.getRuntime().removeShutdownHook(hook);
                stack.close();
                throw e;
            }
            out.println("PIPELINE " + Pipeline.describe(worker.get()));
            out.flush();
            if (retrain) {
                // In the background while the connectors and the console start.
                // One retrainer per encoder, each on the worker's own encoder: no second copy is loaded.
                retrainerRef.set(RetrainerSidecar.start(
                        retrainerConfigs(
                                stack.bootstrapServers(),
                                stack.registryUrl(),
                                models,
                                stack.security()
                                        .map(s -> s.clientPropertiesFile(LocalPrincipal.RETRAINER))
                                        .orElse(null)),
                        id -> model.get(id).join() instanceof ClassifierScorer scorer ? scorer.loadedEncoder() : null));
            }
        }
        if (!connectors.isEmpty()) {
            try {
                ConnectorConfigs.awaitRunning(
                        new ConnectClient(stack.connect().orElseThrow().url()), connectors, CONNECTORS_TIMEOUT);
            } catch (RuntimeException e) {
                Runtime.getRuntime().removeShutdownHook(hook);
                closeAll(null, retrainerRef.get(), worker.get(), stack);
                throw e;
            }
            out.println(
                    "CONNECTORS " + connectors.stream().map(ConnectorFile::name).collect(Collectors.joining(" "))
                            + " RUNNING on " + stack.connect().orElseThrow().url());
        }
        ConsoleService console = null;
        if (stack.postgres().isPresent() && !noConsole) {
            try {
                console = ConsoleCommand.start(spec, consoleSettings(stack), servingModel(model, encoders));
            } catch (RuntimeException e) {
                Runtime.getRuntime().removeShutdownHook(hook);
                closeAll(null, retrainerRef.get(), worker.get(), stack);
                throw e;
            }
            consoleRef.set(console);
        }
        if (retrainerRef.get() != null) {
            try {
                out.println(retrainerRef.get().awaitReady());
            } catch (RuntimeException e) {
                Runtime.getRuntime().removeShutdownHook(hook);
                closeAll(console, retrainerRef.get(), worker.get(), stack);
                throw e;
            }
        }
        out.println(readyLine(stack, Optional.ofNullable(console).map(ConsoleService::url)));
        out.flush();
        LOG.info("StreamGuard stack is up (data in {}); Ctrl-C stops it", stack.dataDir());
        if (demo) {
            DemoTraffic.print(
                    DemoTraffic.run(
                            stack.bootstrapServers(),
                            stack.registryUrl(),
                            stack.connect().isPresent()
                                    ? stack.postgres()
                                            .map(EmbeddedPostgres::jdbcUrl)
                                            .orElse(null)
                                    : null,
                            samples,
                            demoRate,
                            out),
                    out);
            out.println("Stack and pipeline stay up for your own traffic (streamguard produce/consume);"
                    + " Ctrl-C stops them.");
            out.flush();
        }

        // Block until the JVM is shut down; the only other way out is the registry dying under us.
        CompletableFuture<Integer> registryExit =
                stack.embeddedRegistry().map(EmbeddedRegistry::onExit).orElseGet(CompletableFuture::new);
        int status;
        try {
            status = registryExit.get();
        } catch (ExecutionException e) {
            status = -1;
        }
        // A terminal Ctrl-C reaches the registry's process group too; let our own shutdown start
        // first.
        Thread.sleep(1_000);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            return 0; // the hook is closing the stack; the JVM exits when it is done
        }
        Path log = stack.embeddedRegistry().map(EmbeddedRegistry::logFile).orElse(null);
        closeAll(console, retrainerRef.get(), worker.get(), stack);
        throw new LauncherException("schema registry exited unexpectedly with status " + status + " (see " + log + ")");
    }

    /**
     * Stops in dependency order: the console and the retrainer before the worker (the console's
     * attributions run on the worker's model), the stack last. Null parts were never started.
     */
    private static void closeAll(
            ConsoleService console, RetrainerSidecar retrainer, Worker worker, EmbeddedStack stack) {
        if (console != null) {
            console.close();
        }
        if (retrainer != null) {
            retrainer.close();
        }
        if (worker != null) {
            worker.close();
        }
        stack.close();
    }

    /**
     * The connectors of {@code connectors/config/} on the stack's Connect worker, pointed at its PostgreSQL,
     * registry and broker; none without a worker. Their tasks start meanwhile: see {@link
     * ConnectorConfigs#awaitRunning}.
     */
    private static List<ConnectorFile> applyConnectors(EmbeddedStack stack) {
        if (stack.connect().isEmpty()) {
            return List.of();
        }
        try {
            return ConnectorConfigs.applyDir(
                    new ConnectClient(stack.connect().orElseThrow().url()),
                    Checkout.home().resolve(ConnectorConfigs.CONFIG_IN_CHECKOUT),
                    stack.connectionSettings());
        } catch (IllegalArgumentException e) {
            throw new LauncherException(e.getMessage() + " (or start with --no-connect)");
        }
    }

    /**
     * {@code READY bootstrap=<host:port> registry=<url|none>}, then {@code postgres=<jdbc url>} when
     * PostgreSQL runs, {@code connect=<rest url>} when the Connect worker does and {@code console=<url>} when
     * the moderator console does.
     */
    static String readyLine(EmbeddedStack stack, Optional<String> consoleUrl) {
        StringBuilder line = new StringBuilder("READY bootstrap=")
                .append(stack.bootstrapServers())
                .append(" registry=")
                .append(stack.hasRegistry() ? stack.registryUrl() : "none");
        stack.postgres().ifPresent(pg -> line.append(" postgres=").append(pg.jdbcUrl()));
        stack.connect().ifPresent(connect -> line.append(" connect=").append(connect.url()));
        consoleUrl.ifPresent(url -> line.append(" console=").append(url));
        return line.toString();
    }

    private EmbeddedStack.Builder configure() {
        checkPort("--kafka-port", kafkaPort);
        checkPort("--controller-port", controllerPort);
        checkPort("--registry-port", registryPort);
        checkPort("--postgres-port", postgresPort);
        checkPort("--connect-port", connectPort);
        checkPort("--console-port", consolePort);
        Set<Integer> seen = new HashSet<>();
        boolean embeddedRegistry = !noRegistry && registryUrl == null;
        List<Integer> ports = new ArrayList<>(List.of(kafkaPort, controllerPort));
        if (embeddedRegistry) {
            ports.add(registryPort);
        }
        boolean connect = !noConnect && !noRegistry;
        if (connect) {
            ports.add(postgresPort);
            ports.add(connectPort);
            if (!noConsole) {
                ports.add(consolePort);
            }
        }
        for (int port : ports) {
            if (port != 0 && !seen.add(port)) {
                throw usage("--kafka-port, --controller-port, --registry-port, --postgres-port, --connect-port and"
                        + " --console-port must differ (" + port + " given twice)");
            }
        }
        if (demo && noRegistry) {
            throw usage("--demo needs a schema registry (drop --no-registry)");
        }
        if (demo && noPipeline) {
            throw usage("--demo shows the labeled stream: it needs the pipeline (drop --no-pipeline)");
        }
        if (!device.matches("(?i)auto|cpu|gpu")) {
            throw usage("--device must be auto, cpu or gpu, was '" + device + "'");
        }
        for (String id : encoders()) {
            Usage.knownEncoder(spec, "--encoder", id);
        }
        if (metricsPort < -1 || metricsPort > 65_535) {
            throw usage("--metrics-port must be -1 (off) or between 0 and 65535, was " + metricsPort);
        }
        if (demoEvents < 1) {
            throw usage("--demo-events must be at least 1, was " + demoEvents);
        }
        if (!(demoRate > 0)) {
            throw usage("--demo-rate must be positive, was " + demoRate);
        }
        if (partitions < 1) {
            throw usage("--partitions must be at least 1, was " + partitions);
        }
        if (noRegistry && registryUrl != null) {
            throw usage("--no-registry and --registry-url exclude each other");
        }
        if (registryApp != null && (noRegistry || registryUrl != null)) {
            throw usage("--registry-app only applies to the embedded registry (drop --no-registry/--registry-url)");
        }
        EmbeddedStack.Builder b = EmbeddedStack.builder()
                .dataDir(dataDir)
                .kafkaPort(kafkaPort)
                .controllerPort(controllerPort)
                .registryPort(registryPort)
                .partitions(partitions);
        if (secure) {
            if (registryUrl != null) {
                throw usage("--secure protects the embedded registry; it cannot be combined with --registry-url");
            }
            b.secure();
        }
        if (connect) {
            // PostgreSQL starts beside broker and registry, the Connect worker once the broker answers.
            b.withPostgres().postgresPort(postgresPort).withConnect().connectPort(connectPort);
        }
        if (noRegistry) {
            b.withoutRegistry();
        } else if (registryUrl != null) {
            if (!registryUrl.startsWith("http://") && !registryUrl.startsWith("https://")) {
                throw usage("--registry-url must be an http(s) URL, was '" + registryUrl + "'");
            }
            b.externalRegistry(registryUrl);
        } else if (registryApp != null) {
            b.registryApp(registryApp);
        }
        return b;
    }

    /**
     * The worker's settings before the stack has its addresses: the model's settings, which are all
     * that loading the model reads, are those {@link #workerConfig} gives the worker.
     */
    private WorkerConfig modelConfig(List<Path> headsFiles) {
        return workerConfig("127.0.0.1:" + kafkaPort, "http://127.0.0.1:" + registryPort, headsFiles, Map.of());
    }

    /**
     * {@code --encoder}'s ids, in order (the first serves texts of no detectable language); without it the
     * encoders {@code --heads}' files were trained on, else English and Chinese.
     */
    private List<String> encoders() {
        if (encoders == null) {
            if (encoder == null && heads != null) {
                encoders = headsFiles(List.of()).stream()
                        .map(file -> readHeads(file).encoderId())
                        .distinct()
                        .toList();
            } else {
                encoders = Arrays.stream((encoder != null ? encoder : ModelFiles.DEFAULT_PIPELINE_ENCODERS).split(","))
                        .map(String::strip)
                        .filter(id -> !id.isEmpty())
                        .toList();
            }
        }
        return encoders;
    }

    private HeadsModel readHeads(Path file) {
        try {
            return HeadsFile.read(file);
        } catch (HeadsFileException e) {
            throw usage("--heads: " + Messages.oneLine(e.getMessage()));
        }
    }

    /** {@code --heads}' files, else each encoder's trained model in the checkout. */
    private List<Path> headsFiles(List<String> encoders) {
        if (heads == null) {
            return encoders.stream().map(id -> ModelFiles.heads(spec, null, id)).toList();
        }
        return Arrays.stream(heads.split(","))
                .map(String::strip)
                .filter(f -> !f.isEmpty())
                .map(f -> ModelFiles.heads(spec, Path.of(f), null))
                .toList();
    }

    /** The principal's SASL, TLS and registry credentials on a secured stack; none otherwise. */
    private static Map<String, String> credentials(EmbeddedStack stack, LocalPrincipal principal) {
        return stack.security().map(s -> s.clientProperties(principal)).orElse(Map.of());
    }

    /** {@code SECURE <principal>=<client properties file> ...}: paths only, never a secret. */
    static String secureLine(LocalSecurity security) {
        StringBuilder line = new StringBuilder("SECURE");
        for (LocalPrincipal principal : LocalPrincipal.values()) {
            line.append(' ').append(principal.user()).append('=').append(security.clientPropertiesFile(principal));
        }
        return line.toString();
    }

    /**
     * A role-all worker on the stack, connecting with {@code credentials}; its state (the inference buffer)
     * lives beside the broker's.
     */
    private WorkerConfig workerConfig(
            String bootstrap, String registry, List<Path> headsFiles, Map<String, String> credentials) {
        Map<String, String> overrides = new TreeMap<>(credentials);
        overrides.put("bootstrap.servers", bootstrap);
        overrides.put("schema.registry.url", registry);
        overrides.put(
                "state.dir",
                dataDir.toAbsolutePath().normalize().resolve("streams").toString());
        overrides.put(WorkerConfig.ROLE, "all");
        overrides.put(WorkerConfig.MODEL_ENCODER, String.join(",", encoders()));
        overrides.put(
                WorkerConfig.MODEL_HEADS,
                String.join(",", headsFiles.stream().map(Path::toString).toList()));
        overrides.put(WorkerConfig.MODEL_DEVICE, device);
        overrides.put(WorkerConfig.METRICS_PORT, Integer.toString(metricsPort));
        try {
            return WorkerConfig.load(Map.of(), null, Pipeline.workerEnvironment(System.getenv()), overrides);
        } catch (IllegalArgumentException e) {
            throw usage(Messages.oneLine(e.getMessage()));
        }
    }

    /** {@code streamguard retrainer}'s settings for each of the worker's encoders, with its heads, up's device and datasets. */
    private List<Retrainer.Config> retrainerConfigs(
            String bootstrap, String registry, WorkerConfig models, Path clientConfig) {
        ClientSecurity own = ClientSecurity.current();
        try {
            List<Retrainer.Config> configs = new ArrayList<>();
            for (String id : models.encoderIds()) {
                configs.add(RetrainerSidecar.config(
                        spec, bootstrap, registry, id, models.headsFile(id), device, datasets, clientConfig));
            }
            return configs;
        } finally {
            ClientSecurity.use(own); // its --config must not become up's
        }
    }

    /** The console on the stack's PostgreSQL, broker and registry, applying the workers' policy. */
    private ConsoleService.Settings consoleSettings(EmbeddedStack stack) {
        ConsoleCommand.Database db = new ConsoleCommand.Database();
        db.jdbcUrl = stack.postgres().orElseThrow().jdbcUrl();
        db.user = EmbeddedPostgres.USER;
        return ConsoleCommand.settings(
                "127.0.0.1",
                consolePort,
                db,
                stack.bootstrapServers(),
                stack.registryUrl(),
                PipelineSettings.DEFAULT_POLICY_KEY);
    }

    /**
     * The worker's own scorers, one per encoder (their heads follow model-versions), so attributions come from
     * the model that scored the item and no second encoder is loaded; without a pipeline, each encoder's default
     * heads' version and thresholds.
     */
    private ServingModel servingModel(Map<String, CompletableFuture<BatchScorer>> model, List<String> encoders) {
        List<ClassifierScorer> scorers = new ArrayList<>();
        for (String id : encoders) { // the default (first) encoder first
            CompletableFuture<BatchScorer> loaded = model.get(id);
            if (loaded != null && loaded.join() instanceof ClassifierScorer scorer) {
                scorers.add(scorer);
            }
        }
        if (!scorers.isEmpty()) {
            return ServingModel.of(scorers);
        }
        return ServingModel.headsOnly(encoders.stream()
                .map(id -> HeadsFile.read(ModelFiles.defaultHeads(id)))
                .toList());
    }

    private void checkPort(String option, int port) {
        if (port < 0 || port > 65_535) {
            throw usage(option + " must be between 0 and 65535, was " + port);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
