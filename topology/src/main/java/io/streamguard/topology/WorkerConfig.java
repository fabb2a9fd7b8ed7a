package io.streamguard.topology;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.Precision;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.schemas.ConfigDocs;
import io.streamguard.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.CaseInsensitiveValidString;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * A worker's configuration, Kafka Streams style: one flat property map from defaults, then a
 * properties file, then environment variables. Keys starting with {@code streamguard.} are ours;
 * every other key (bootstrap.servers, security.protocol, sasl.*, ssl.*, num.standby.replicas,
 * schema.registry.url, basic.auth.user.info, ...) is passed through to Kafka Streams and to the
 * registry client, which each take what they know.
 *
 * <p>Environment: {@code STREAMGUARD_<KEY>} with dots as underscores, e.g. {@code STREAMGUARD_ROLE},
 * {@code STREAMGUARD_BATCH_MAX_SIZE} (ours) or {@code STREAMGUARD_BOOTSTRAP_SERVERS},
 * {@code STREAMGUARD_SASL_JAAS_CONFIG} (passed through). {@code STREAMGUARD_BOOTSTRAP} and
 * {@code STREAMGUARD_REGISTRY_URL}, as the CLI reads them, also work.
 *
 * <p>Our settings are declared once, in {@link #SETTINGS} (Kafka's {@link ConfigDef}): validation, the
 * {@code worker --help} list and the README's configuration table all come from there.
 */
public final class WorkerConfig {

    public static final String PREFIX = "streamguard.";
    public static final String ROLE = PREFIX + "role";
    public static final String WORKER_ID = PREFIX + "worker.id";
    public static final String BATCH_MAX_SIZE = PREFIX + "batch.max.size";
    public static final String BATCH_MAX_WAIT_MS = PREFIX + "batch.max.wait.ms";
    public static final String BATCH_MAX_TOKENS = PREFIX + "batch.max.tokens";
    public static final String BATCH_ENGINE_SIZE = PREFIX + "batch.engine.size";
    public static final String MODEL_ENCODER = PREFIX + "model.encoder";
    public static final String MODEL_HEADS = PREFIX + "model.heads";
    public static final String MODEL_DEVICE = PREFIX + "model.device";
    public static final String MODEL_PRECISION = PREFIX + "model.precision";
    public static final String MODEL_MAX_LENGTH = PREFIX + "model.max.length";
    public static final String MODEL_CACHE_DIR = PREFIX + "model.cache.dir";
    public static final String MODEL_PATH = PREFIX + "model.path";
    public static final String DLQ_MAX_TEXT_BYTES = PREFIX + "dlq.max.text.bytes";
    public static final String METRICS_PORT = PREFIX + "metrics.port";
    public static final String REPEAT_CACHE_ENTRIES = PREFIX + "repeat.cache.entries";
    public static final int DEFAULT_REPEAT_CACHE_ENTRIES = 10_000;
    public static final String POLICY_KEY = PREFIX + "policy.key";
    /** Whether the inference role follows published model versions (default true). */
    public static final String MODEL_FOLLOW = PREFIX + "model.follow";
    /** The compacted topic of model versions to follow (default {@code model-versions}). */
    public static final String MODEL_VERSIONS_TOPIC = PREFIX + "model.versions.topic";

    private static final Map<String, String> ENV_ALIASES = Map.of(
            "STREAMGUARD_BOOTSTRAP",
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
            "STREAMGUARD_REGISTRY_URL",
            "schema.registry.url");
    /**
     * Encoders a worker may be configured with: those this build loads, and the Chinese one (loading it
     * reports plainly if its engine is not in this build yet).
     */
    static final SortedSet<String> KNOWN_ENCODERS = knownEncoders();

    private static SortedSet<String> knownEncoders() {
        TreeSet<String> known = new TreeSet<>(EncoderFactory.AVAILABLE);
        known.add(EncoderConfig.BGE_SMALL_ZH);
        return Collections.unmodifiableSortedSet(known);
    }

    public static final int DEFAULT_METRICS_PORT = 9464;
    public static final int DEFAULT_ENGINE_BATCH_SIZE = 32;

    /** Every {@code streamguard.*} setting: type, default, validation and documentation. */
    static final ConfigDef SETTINGS = new ConfigDef()
            .define(
                    ROLE,
                    Type.STRING,
                    "all",
                    by("[tokenizer, inference, all]", Role::parse),
                    Importance.HIGH,
                    "What the worker runs: tokenizer (text-events to text-tokenized), inference (text-tokenized"
                            + " to text-labeled) or all (both in one process).")
            .define(
                    WORKER_ID,
                    Type.STRING,
                    null,
                    Importance.LOW,
                    "Written into every labeled event; unset: the host name and process id.")
            .define(
                    MODEL_ENCODER,
                    Type.LIST,
                    EncoderConfig.MINILM_L6,
                    encoders(),
                    Importance.HIGH,
                    "The encoders (and hence tokenizers) to load, one per language: each event goes to the model of"
                            + " its language (bge-small-zh reads zh, the others en); the first also scores texts"
                            + " without letters. Events of other languages are labeled unscored.")
            .define(
                    MODEL_HEADS,
                    Type.LIST,
                    null,
                    Importance.HIGH,
                    "Heads files of the inference role, one per encoder, each matched by the encoder it records,"
                            + " e.g. models/v2/minilm-l6.json.")
            .define(
                    MODEL_DEVICE,
                    Type.STRING,
                    "auto",
                    CaseInsensitiveValidString.in("auto", "cpu", "gpu"),
                    Importance.MEDIUM,
                    "Where the encoder runs; auto picks the GPU when TensorFlow sees one.")
            .define(
                    MODEL_PRECISION,
                    Type.STRING,
                    "auto",
                    CaseInsensitiveValidString.in("auto", "fp32", "bf16", "fp16"),
                    Importance.MEDIUM,
                    "The encoder's arithmetic: bf16 runs matrix products in bfloat16 (TensorFlow's oneDNN"
                            + " auto-mixed-precision), fp16 in float16 on a GPU (its CUDA auto-mixed-precision;"
                            + " fp32 on a CPU); auto takes bf16 on a CPU with AVX512_BF16 or AMX (fp32 for"
                            + " bert-base-uncased, whose labels bf16 moves too far) and fp32 elsewhere, a GPU"
                            + " included (TF32 there). The choice is logged and exported as"
                            + " streamguard_model_precision.")
            .define(
                    MODEL_MAX_LENGTH,
                    Type.INT,
                    128,
                    Range.atLeast(2),
                    Importance.LOW,
                    "Most tokens per text, counting [CLS] and [SEP]; longer texts are truncated.")
            .define(
                    MODEL_CACHE_DIR,
                    Type.STRING,
                    null,
                    Importance.LOW,
                    "Where packaged weights are unpacked once; unset: ~/.cache/streamguard/models.")
            .define(
                    MODEL_PATH,
                    Type.STRING,
                    null,
                    Importance.LOW,
                    "Encoder weights (weights jar or unpacked model) to use instead of the classpath's.")
            .define(
                    MODEL_FOLLOW,
                    Type.BOOLEAN,
                    true,
                    Importance.MEDIUM,
                    "Follow published model versions (hot model swaps); false pins the heads file.")
            .define(
                    MODEL_VERSIONS_TOPIC,
                    Type.STRING,
                    Topics.MODEL_VERSIONS,
                    Importance.LOW,
                    "The compacted topic of model versions to follow.")
            .define(
                    BATCH_MAX_SIZE,
                    Type.INT,
                    BatchSettings.DEFAULTS.maxBatchSize(),
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Most texts per micro-batch (one scorer call).")
            .define(
                    BATCH_MAX_WAIT_MS,
                    Type.INT,
                    (int) BatchSettings.DEFAULTS.maxWait().toMillis(),
                    Range.atLeast(1),
                    Importance.MEDIUM,
                    "Longest the oldest text of a micro-batch waits for more, not counting its stream thread's"
                            + " time in the engine; reading a backlog stretches it up to 5x.")
            .define(
                    BATCH_MAX_TOKENS,
                    Type.INT,
                    BatchSettings.DEFAULTS.maxTokensPerBatch(),
                    Range.atLeast(1),
                    Importance.LOW,
                    "Most padded tokens (texts x longest) per micro-batch.")
            .define(
                    BATCH_ENGINE_SIZE,
                    Type.INT,
                    DEFAULT_ENGINE_BATCH_SIZE,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Texts per encoder call, cut by length from the micro-batch; at most batch.max.size.")
            .define(
                    DLQ_MAX_TEXT_BYTES,
                    Type.INT,
                    PipelineSettings.DEFAULT_MAX_TEXT_BYTES,
                    Range.atLeast(1),
                    Importance.LOW,
                    "Texts longer than this (UTF-8 bytes) are dead-lettered.")
            .define(
                    REPEAT_CACHE_ENTRIES,
                    Type.INT,
                    DEFAULT_REPEAT_CACHE_ENTRIES,
                    Range.atLeast(0),
                    Importance.LOW,
                    "Texts per encoder whose scores the inference role keeps, so a repeat (spam waves, copy-paste"
                            + " raids) is answered without the encoder; keyed by model version and token ids, emptied"
                            + " when the version changes. 0 turns it off.")
            .define(
                    METRICS_PORT,
                    Type.INT,
                    DEFAULT_METRICS_PORT,
                    Range.between(-1, 65_535),
                    Importance.LOW,
                    "Port of /metrics, /health and /ready; 0 = any free port, -1 = off.")
            .define(
                    POLICY_KEY,
                    Type.STRING,
                    PipelineSettings.DEFAULT_POLICY_KEY,
                    Importance.LOW,
                    "The key of the live policy on moderation-policy.");

    private final Map<String, String> values;
    private final AbstractConfig settings;
    /** Which heads file is whose, read once when first needed (files are read, so not at construction). */
    private volatile Map<String, Path> headsByEncoder;

    private WorkerConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
        Map<String, String> own = new TreeMap<>();
        values.forEach((k, v) -> {
            if (SETTINGS.names().contains(k) && !v.isBlank()) {
                own.put(k, v); // blank counts as unset
            }
        });
        try {
            this.settings = new AbstractConfig(SETTINGS, own, false);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        // Fail at startup, not at first use: what spans settings.
        batch();
        pipelineSettings();
        encoderConfigs();
        if (!values.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException(
                    "bootstrap.servers is not set (properties file or STREAMGUARD_BOOTSTRAP_SERVERS)");
        }
    }

    /** From explicit properties only (tests, embedding). */
    public static WorkerConfig of(Map<String, String> properties) {
        return new WorkerConfig(properties);
    }

    /**
     * Defaults, then {@code file} (may be null), then the {@code STREAMGUARD_*} variables of
     * {@code environment}; later sources win.
     */
    public static WorkerConfig load(Path file, Map<String, String> environment) {
        return load(Map.of(), file, environment, Map.of());
    }

    /**
     * {@code defaults}, then {@code file} (may be null), then the {@code STREAMGUARD_*} variables of
     * {@code environment}, then {@code overrides} (e.g. command-line options); later sources win.
     */
    public static WorkerConfig load(
            Map<String, String> defaults, Path file, Map<String, String> environment, Map<String, String> overrides) {
        Map<String, String> merged = new TreeMap<>(defaults);
        if (file != null) {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read worker properties " + file, e);
            }
            p.stringPropertyNames().forEach(k -> merged.put(k, p.getProperty(k).trim()));
        }
        merged.putAll(fromEnvironment(environment));
        merged.putAll(overrides);
        return new WorkerConfig(merged);
    }

    /** The properties {@code STREAMGUARD_*} variables stand for. */
    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> out = new TreeMap<>();
        environment.forEach((name, value) -> {
            if (ENV_ALIASES.containsKey(name)) {
                out.put(ENV_ALIASES.get(name), value);
            } else if (name.startsWith("STREAMGUARD_") && name.length() > "STREAMGUARD_".length()) {
                String key = name.substring("STREAMGUARD_".length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '.');
                out.put(SETTINGS.names().contains(PREFIX + key) ? PREFIX + key : key, value);
            }
        });
        return out;
    }

    public Role role() {
        return Role.parse(settings.getString(ROLE));
    }

    /** Written into every labeled event; default {@code <host>-<pid>}. */
    public String workerId() {
        String id = settings.getString(WORKER_ID);
        return id != null ? id : defaultWorkerId();
    }

    public BatchSettings batch() {
        return new BatchSettings(
                settings.getInt(BATCH_MAX_SIZE),
                Duration.ofMillis(settings.getInt(BATCH_MAX_WAIT_MS)),
                settings.getInt(BATCH_MAX_TOKENS));
    }

    /**
     * Texts per encoder call ({@code streamguard.batch.engine.size}, default 32, at most the
     * micro-batch size): the model runtime sorts each micro-batch by length and cuts it into engine
     * batches of this many texts, so texts are padded only to neighbours of similar length. On a CPU,
     * one batch of 32 texts in arrival order is padded to its longest and runs no faster per text than
     * 32 single calls; a micro-batch several times larger, cut by length, runs 2-4x faster.
     */
    public int engineBatchSize() {
        return Math.min(settings.getInt(BATCH_ENGINE_SIZE), batch().maxBatchSize());
    }

    public PipelineSettings pipelineSettings() {
        return new PipelineSettings(
                workerId(), settings.getInt(DLQ_MAX_TEXT_BYTES), batch(), settings.getString(POLICY_KEY));
    }

    /** The configured encoders, in order; the first is the default language's. */
    public List<String> encoderIds() {
        return List.copyOf(settings.getList(MODEL_ENCODER));
    }

    /**
     * The default language's encoder (the first configured; with one encoder, the encoder); default
     * {@code minilm-l6} on AUTO, 128 tokens.
     */
    public EncoderConfig encoderConfig() {
        return encoderConfig(encoderIds().get(0));
    }

    /** Every configured encoder, in order: device, maximum length, cache and weights path apply to each. */
    public List<EncoderConfig> encoderConfigs() {
        return encoderIds().stream().map(this::encoderConfig).toList();
    }

    private EncoderConfig encoderConfig(String encoderId) {
        EncoderConfig config = EncoderConfig.of(encoderId)
                .withDevice(Device.valueOf(settings.getString(MODEL_DEVICE).toUpperCase(Locale.ROOT)))
                .withMaxLength(settings.getInt(MODEL_MAX_LENGTH))
                .withPrecision(Precision.parse(settings.getString(MODEL_PRECISION)));
        if (settings.getString(MODEL_CACHE_DIR) != null) {
            config = config.withCacheDir(Path.of(settings.getString(MODEL_CACHE_DIR)));
        }
        if (settings.getString(MODEL_PATH) != null) {
            config = config.withModelPath(Path.of(settings.getString(MODEL_PATH)));
        }
        return config;
    }

    /**
     * This configuration narrowed to one of its encoders and that encoder's heads file (none if none matches):
     * what a {@link Worker.ScorerFactory} is given for each encoder, so {@link ClassifierScorer#load} loads one
     * model.
     *
     * @throws IllegalArgumentException if {@code encoderId} is not configured, or the heads files do not match
     *     the encoders (see {@link #headsFile(String)})
     */
    public WorkerConfig forEncoder(String encoderId) {
        if (!encoderIds().contains(encoderId)) {
            throw new IllegalArgumentException("encoder " + encoderId + " is not configured (" + MODEL_ENCODER + "="
                    + String.join(",", encoderIds()) + ")");
        }
        Map<String, String> narrowed = new TreeMap<>(values);
        narrowed.put(MODEL_ENCODER, encoderId);
        Path heads = headsFile(encoderId);
        if (heads == null) {
            narrowed.remove(MODEL_HEADS);
        } else {
            narrowed.put(MODEL_HEADS, heads.toString());
        }
        return new WorkerConfig(narrowed);
    }

    /** The value of {@code key} as configured, or null. */
    public String get(String key) {
        return values.get(key);
    }

    /** The heads files configured, in order; empty if none. */
    public List<Path> headsFiles() {
        List<String> files = settings.getList(MODEL_HEADS);
        return files == null ? List.of() : files.stream().map(Path::of).toList();
    }

    /** The heads file of the default language's encoder ({@link #encoderConfig()}), if configured. */
    public Path headsFile() {
        return headsFile(encoderIds().get(0));
    }

    /**
     * The heads file of {@code encoderId}: with one encoder and one file, that file (loading checks that it
     * fits); else the file that records {@code encoderId} as its encoder ({@code HeadsModel.encoderId()}), each
     * file read once.
     *
     * @return null if none is configured for it
     * @throws IllegalArgumentException if a file cannot be read, two record one encoder, or one records an
     *     encoder that is not configured
     */
    public Path headsFile(String encoderId) {
        List<Path> files = headsFiles();
        if (files.isEmpty()) {
            return null;
        }
        if (files.size() == 1 && encoderIds().size() == 1) {
            return encoderIds().get(0).equals(encoderId) ? files.get(0) : null;
        }
        return headsByEncoder().get(encoderId);
    }

    private Map<String, Path> headsByEncoder() {
        Map<String, Path> byEncoder = headsByEncoder;
        if (byEncoder != null) {
            return byEncoder;
        }
        byEncoder = new LinkedHashMap<>();
        for (Path file : headsFiles()) {
            String encoder;
            try {
                encoder = HeadsFile.read(file).encoderId();
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(MODEL_HEADS + ": " + e.getMessage(), e);
            }
            if (!encoderIds().contains(encoder)) {
                throw new IllegalArgumentException("heads file " + file + " is for encoder " + encoder
                        + ", which is not configured (" + MODEL_ENCODER + "=" + String.join(",", encoderIds())
                        + ")");
            }
            Path other = byEncoder.putIfAbsent(encoder, file);
            if (other != null) {
                throw new IllegalArgumentException(
                        "heads files " + other + " and " + file + " are both for encoder " + encoder);
            }
        }
        headsByEncoder = Map.copyOf(byEncoder);
        return headsByEncoder;
    }

    /** Whether inference follows {@link #modelVersionsTopic()}; off only if set to {@code false}. */
    public boolean followModelVersions() {
        return settings.getBoolean(MODEL_FOLLOW);
    }

    public String modelVersionsTopic() {
        return settings.getString(MODEL_VERSIONS_TOPIC);
    }

    /** Port of /metrics, /health, /ready; 0 picks a free one, -1 disables the endpoint. */
    public int metricsPort() {
        return settings.getInt(METRICS_PORT);
    }

    /** {@link #REPEAT_CACHE_ENTRIES}: 0 for no cache. */
    public int repeatCacheEntries() {
        return settings.getInt(REPEAT_CACHE_ENTRIES);
    }

    /**
     * Kafka Streams' properties: everything that is not ours, over these defaults: the role's
     * application id, exactly_once_v2, the built-in DLQ on {@code text-events-dlq} with our handlers, a
     * producer request size that fits the largest dead letter, and a poll timeout short enough for the batch
     * wait to be honoured.
     */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, role().defaultApplicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.TEXT_EVENTS_DLQ);
        p.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterHandlers.Deserialization.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Processing.class.getName());
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Production.class.getName());
        p.put(DeadLetterHandlers.GLOBAL_TOPICS_CONFIG, Topics.MODERATION_POLICY);
        // A dead letter is its input record whole plus the error headers: over the producer's default 1 MiB
        // for the largest record the broker accepts on text-events.
        p.put(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                Integer.toString(Topics.DEAD_LETTER_MAX_BYTES));
        // The wall-clock punctuator that closes partial batches runs between polls.
        p.put(
                StreamsConfig.POLL_MS_CONFIG,
                Long.toString(Math.max(1, batch().maxWait().toMillis() / 2)));
        values.forEach((k, v) -> {
            if (!k.startsWith(PREFIX)) {
                p.put(k, v);
            }
        });
        return p;
    }

    /** The registry client's properties (it reads schema.registry.url, basic.auth.*, schema.registry.ssl.*). */
    public Map<String, String> registryProperties() {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (!k.startsWith(PREFIX)) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }

    /** A copy of the declaration of the {@code streamguard.*} settings, for generated docs. */
    public static ConfigDef configDef() {
        return new ConfigDef(SETTINGS);
    }

    /**
     * The settings as a markdown table, the README's configuration table ({@code WorkerConfigReadmeTest}
     * fails when the two disagree).
     */
    public static String markdownTable() {
        return ConfigDocs.markdownTable(SETTINGS);
    }

    /** The settings as short lines for {@code worker --help}: name=default, then what it does, indented. */
    public static List<String> helpLines() {
        return ConfigDocs.helpLines(SETTINGS);
    }

    /** Each a known encoder, one per language ({@link EncoderLanguages}). */
    private static ConfigDef.Validator encoders() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null) {
                    return;
                }
                List<?> ids = (List<?>) value;
                List<String> names = new ArrayList<>();
                for (Object id : ids) {
                    if (!KNOWN_ENCODERS.contains(id.toString())) {
                        throw new ConfigException(
                                name, id, "String must be one of: " + String.join(", ", KNOWN_ENCODERS));
                    }
                    names.add(id.toString());
                }
                try {
                    EncoderLanguages.of(names);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(name, value, e.getMessage());
                }
            }

            @Override
            public String toString() {
                return "list of " + KNOWN_ENCODERS;
            }
        };
    }

    /** A validator that runs {@code check} on the value; {@code valid} describes valid values in the docs. */
    private static ConfigDef.Validator by(String valid, Consumer<String> check) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null) {
                    return;
                }
                try {
                    check.accept(value.toString());
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(e.getMessage()); // the message names the setting already
                }
            }

            @Override
            public String toString() {
                return valid;
            }
        };
    }

    @Override
    public String toString() {
        // Values may hold passwords (sasl.jaas.config, basic.auth.user.info, ssl passwords): keys only.
        return "WorkerConfig" + new TreeMap<>(values).keySet();
    }
}
