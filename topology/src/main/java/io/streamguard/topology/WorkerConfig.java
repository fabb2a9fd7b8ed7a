package io.streamguard.topology;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
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
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
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
    public static final String MODEL_MAX_LENGTH = PREFIX + "model.max.length";
    public static final String MODEL_CACHE_DIR = PREFIX + "model.cache.dir";
    public static final String MODEL_PATH = PREFIX + "model.path";
    public static final String DLQ_MAX_TEXT_BYTES = PREFIX + "dlq.max.text.bytes";
    public static final String METRICS_PORT = PREFIX + "metrics.port";
    public static final String POLICY_KEY = PREFIX + "policy.key";
    /** Whether the inference role follows published model versions (default true). */
    public static final String MODEL_FOLLOW = PREFIX + "model.follow";
    /** The compacted topic of model versions to follow (default {@code model-versions}). */
    public static final String MODEL_VERSIONS_TOPIC = PREFIX + "model.versions.topic";

    private static final Set<String> OWN_KEYS = Set.of(ROLE, WORKER_ID, BATCH_MAX_SIZE, BATCH_MAX_WAIT_MS,
            BATCH_MAX_TOKENS, BATCH_ENGINE_SIZE, MODEL_ENCODER, MODEL_HEADS, MODEL_DEVICE, MODEL_MAX_LENGTH,
            MODEL_CACHE_DIR, MODEL_PATH, DLQ_MAX_TEXT_BYTES, METRICS_PORT, POLICY_KEY, MODEL_FOLLOW,
            MODEL_VERSIONS_TOPIC);
    private static final Map<String, String> ENV_ALIASES = Map.of(
            "STREAMGUARD_BOOTSTRAP", StreamsConfig.BOOTSTRAP_SERVERS_CONFIG,
            "STREAMGUARD_REGISTRY_URL", "schema.registry.url");
    public static final int DEFAULT_METRICS_PORT = 9464;
    public static final int DEFAULT_ENGINE_BATCH_SIZE = 32;

    private final Map<String, String> values;

    private WorkerConfig(Map<String, String> values) {
        this.values = Map.copyOf(values);
        // Fail at startup, not at first use.
        role();
        batch();
        engineBatchSize();
        pipelineSettings();
        encoderConfig();
        metricsPort();
        followModelVersions();
        if (!values.containsKey(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException("bootstrap.servers is not set (properties file or STREAMGUARD_BOOTSTRAP_SERVERS)");
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
    public static WorkerConfig load(Map<String, String> defaults, Path file, Map<String, String> environment,
            Map<String, String> overrides) {
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
                String key = name.substring("STREAMGUARD_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
                out.put(OWN_KEYS.contains(PREFIX + key) ? PREFIX + key : key, value);
            }
        });
        return out;
    }

    public Role role() {
        return Role.parse(get(ROLE, "all"));
    }

    /** Written into every labeled event; default {@code <host>-<pid>}. */
    public String workerId() {
        String id = values.get(WORKER_ID);
        return id != null ? id : defaultWorkerId();
    }

    public BatchSettings batch() {
        return new BatchSettings(intValue(BATCH_MAX_SIZE, BatchSettings.DEFAULTS.maxBatchSize()),
                Duration.ofMillis(intValue(BATCH_MAX_WAIT_MS, (int) BatchSettings.DEFAULTS.maxWait().toMillis())),
                intValue(BATCH_MAX_TOKENS, BatchSettings.DEFAULTS.maxTokensPerBatch()));
    }

    /**
     * Texts per encoder call ({@code streamguard.batch.engine.size}, default 32, at most the
     * micro-batch size): the model runtime sorts each micro-batch by length and cuts it into engine
     * batches of this many texts, so texts are padded only to neighbours of similar length. On a CPU,
     * one batch of 32 texts in arrival order is padded to its longest and runs no faster per text than
     * 32 single calls; a micro-batch several times larger, cut by length, runs 2-4x faster.
     */
    public int engineBatchSize() {
        int rows = intValue(BATCH_ENGINE_SIZE, DEFAULT_ENGINE_BATCH_SIZE);
        if (rows < 1) {
            throw new IllegalArgumentException(BATCH_ENGINE_SIZE + " must be at least 1, got " + rows);
        }
        return Math.min(rows, batch().maxBatchSize());
    }

    public PipelineSettings pipelineSettings() {
        return new PipelineSettings(workerId(), intValue(DLQ_MAX_TEXT_BYTES, PipelineSettings.DEFAULT_MAX_TEXT_BYTES),
                batch(), get(POLICY_KEY, PipelineSettings.DEFAULT_POLICY_KEY));
    }

    /** The encoder (and hence tokenizer) to load; default {@code minilm-l6} on AUTO, 128 tokens. */
    public EncoderConfig encoderConfig() {
        EncoderConfig config = EncoderConfig.of(get(MODEL_ENCODER, EncoderConfig.MINILM_L6))
                .withDevice(Device.valueOf(get(MODEL_DEVICE, "AUTO").toUpperCase(Locale.ROOT)))
                .withMaxLength(intValue(MODEL_MAX_LENGTH, 128));
        if (values.containsKey(MODEL_CACHE_DIR)) {
            config = config.withCacheDir(Path.of(values.get(MODEL_CACHE_DIR)));
        }
        if (values.containsKey(MODEL_PATH)) {
            config = config.withModelPath(Path.of(values.get(MODEL_PATH)));
        }
        return config;
    }

    /** The value of {@code key} as configured, or null. */
    public String get(String key) {
        return values.get(key);
    }

    /** The heads file the inference role loads, if configured. */
    public Path headsFile() {
        String value = values.get(MODEL_HEADS);
        return value == null ? null : Path.of(value);
    }

    /** Whether inference follows {@link #modelVersionsTopic()}; off only if set to {@code false}. */
    public boolean followModelVersions() {
        String value = get(MODEL_FOLLOW, "true");
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(MODEL_FOLLOW + " must be true or false, got '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    public String modelVersionsTopic() {
        return get(MODEL_VERSIONS_TOPIC, Topics.MODEL_VERSIONS);
    }

    /** Port of /metrics, /health, /ready; 0 picks a free one, -1 disables the endpoint. */
    public int metricsPort() {
        int port = intValue(METRICS_PORT, DEFAULT_METRICS_PORT);
        if (port < -1 || port > 65_535) {
            throw new IllegalArgumentException(METRICS_PORT + " must be -1 (off) or 0..65535, got " + port);
        }
        return port;
    }

    /**
     * Kafka Streams' properties: everything that is not ours, over these defaults: the role's
     * application id, exactly_once_v2, the built-in DLQ on {@code text-events-dlq} with our handlers,
     * and a poll timeout short enough for the batch wait to be honoured.
     */
    public Properties streamsProperties() {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, role().defaultApplicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, Topics.TEXT_EVENTS_DLQ);
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Deserialization.class.getName());
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterHandlers.Processing.class.getName());
        p.put(DeadLetterHandlers.GLOBAL_TOPICS_CONFIG, Topics.MODERATION_POLICY);
        // The wall-clock punctuator that closes partial batches runs between polls.
        p.put(StreamsConfig.POLL_MS_CONFIG, Long.toString(Math.max(1, batch().maxWait().toMillis() / 2)));
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

    private String get(String key, String fallback) {
        String value = values.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private int intValue(String key, int fallback) {
        String value = values.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'");
        }
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

    @Override
    public String toString() {
        // Values may hold passwords (sasl.jaas.config, basic.auth.user.info, ssl passwords): keys only.
        return "WorkerConfig" + new TreeMap<>(values).keySet();
    }
}
