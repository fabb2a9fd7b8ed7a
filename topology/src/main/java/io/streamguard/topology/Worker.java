package io.streamguard.topology;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running StreamGuard worker: the topology of its {@link Role} in Kafka Streams, Micrometer metrics
 * (ours and Kafka Streams', including consumer lag) and a small HTTP endpoint with {@code /metrics}
 * (Prometheus), {@code /health} (200 unless the streams client failed) and {@code /ready} (200 once
 * it is RUNNING with a broker connection and the registry answering; see {@link WorkerHealth}). The
 * module's entry point:
 *
 * <pre>{@code
 * try (Worker worker = Worker.start(WorkerConfig.load(file, System.getenv()), config -> myScorer)) {
 *     worker.awaitTermination();
 * }
 * }</pre>
 *
 * <p>A failed stream thread is replaced (it resumes from the last committed transaction), so a
 * transient registry or broker problem does not stop the worker.
 */
public final class Worker implements AutoCloseable {

    /** How the inference role gets its model; called once per worker. */
    @FunctionalInterface
    public interface ScorerFactory {
        BatchScorer create(WorkerConfig config);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final WorkerConfig config;
    private final KafkaStreams streams;
    private final PrometheusMeterRegistry meters;
    private final KafkaStreamsMetrics streamsMetrics;
    private final BatchScorer scorer;
    private final HttpServer http;
    private final ScheduledExecutorService sampler;
    private final ModelVersionFollower follower;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Worker(
            WorkerConfig config,
            KafkaStreams streams,
            PrometheusMeterRegistry meters,
            KafkaStreamsMetrics streamsMetrics,
            BatchScorer scorer,
            HttpServer http,
            ScheduledExecutorService sampler,
            ModelVersionFollower follower) {
        this.config = config;
        this.streams = streams;
        this.meters = meters;
        this.streamsMetrics = streamsMetrics;
        this.scorer = scorer;
        this.http = http;
        this.sampler = sampler;
        this.follower = follower;
    }

    /**
     * Loads what the role needs (only the tokenizer for {@code tokenizer}; the scorer for
     * {@code inference}; both for {@code all}, which must agree on the vocabulary), builds the
     * topology and starts it.
     */
    public static Worker start(WorkerConfig config, ScorerFactory scorers) {
        Role role = config.role();
        PrometheusMeterRegistry meters = meterRegistry(role, config.workerId());
        PipelineMetrics metrics = new PipelineMetrics(meters);
        RegistryClient registry = RegistryClient.create(RegistryConfig.fromMap(config.registryProperties()));
        PipelineSerdes serdes =
                new PipelineSerdes(registry, RegistryConfig.SerdeSettings.fromMap(config.registryProperties()));

        BertTokenizer tokenizer = role.tokenizes() ? EncoderFactory.tokenizer(config.encoderConfig()) : null;
        BatchScorer scorer = role.infers() ? scorers.create(config) : null;
        if (tokenizer != null
                && scorer != null
                && !tokenizer.vocabulary().vocabHash().equals(scorer.vocabHash())) {
            scorer.close();
            throw new IllegalStateException(
                    "tokenizer of " + config.encoderConfig().encoderId()
                            + " and the model disagree on the vocabulary ("
                            + tokenizer.vocabulary().vocabHash() + " vs "
                            + scorer.vocabHash() + ")");
        }
        ModelVersionFollower follower = null;
        if (scorer instanceof HeadsSwapper swapper && config.followModelVersions()) {
            try {
                follower = ModelVersionFollower.caughtUp(config, registry, swapper, metrics);
            } catch (RuntimeException e) {
                scorer.close();
                throw e;
            }
        }
        Topology topology = topology(
                role,
                config.pipelineSettings(),
                serdes,
                metrics,
                config.encoderConfig().encoderId(),
                tokenizer,
                scorer);
        Properties props = config.streamsProperties();
        props.put(PipelineMetrics.CONFIG_KEY, metrics);
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Stream thread failed; replacing it (it resumes from the last commit)", e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(meters);
        HttpServer http = null;
        ScheduledExecutorService sampler = null;
        try {
            if (config.metricsPort() >= 0) {
                WorkerHealth health = new WorkerHealth(
                        streams::state, streams::metrics, metrics::registryUnavailableAtMs, System::currentTimeMillis);
                sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "streamguard-health");
                    t.setDaemon(true);
                    return t;
                });
                sampler.scheduleAtFixedRate(health::sample, 0, 1, TimeUnit.SECONDS);
                http = serve(config.metricsPort(), meters, health);
            }
            streams.start();
            if (follower != null) {
                follower.start();
            }
        } catch (RuntimeException e) {
            if (http != null) {
                http.stop(0);
            }
            if (sampler != null) {
                sampler.shutdownNow();
            }
            if (follower != null) {
                follower.close();
            }
            streams.close(CLOSE_TIMEOUT);
            streamsMetrics.close();
            if (scorer != null) {
                scorer.close();
            }
            throw e;
        }
        LOG.info("Worker {} started: role {}, application {}", config.workerId(), role, props.get("application.id"));
        LOG.debug("Topology: {}", topology.describe());
        return new Worker(config, streams, meters, streamsMetrics, scorer, http, sampler, follower);
    }

    /**
     * The registry behind /metrics: every series tagged with the role and the worker, and Kafka Streams'
     * state-store meters under one tag key ({@link StateStoreTags}) so that Prometheus takes all of them.
     */
    static PrometheusMeterRegistry meterRegistry(Role role, String workerId) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.config()
                .commonTags("role", role.name().toLowerCase(Locale.ROOT), "worker", workerId)
                .meterFilter(new StateStoreTags());
        return meters;
    }

    /**
     * Whether this worker's model-version follower has read and applied every record before {@code offsets} of
     * the model-versions topic; false when it does not follow (streamguard.model.follow=false, or no swappable
     * scorer).
     */
    public boolean modelVersionsApplied(Map<TopicPartition, Long> offsets) {
        return follower != null && follower.hasApplied(offsets);
    }

    /** The topology a role runs. */
    static Topology topology(
            Role role,
            PipelineSettings settings,
            PipelineSerdes serdes,
            PipelineMetrics metrics,
            String encoderId,
            BertTokenizer tokenizer,
            BatchScorer scorer) {
        return switch (role) {
            case TOKENIZER -> TokenizeTopology.build(settings, serdes, metrics, encoderId, tokenizer);
            case INFERENCE -> InferenceTopology.build(settings, serdes, metrics, scorer);
            case ALL -> LabelingTopology.build(settings, serdes, metrics, encoderId, tokenizer, scorer);
        };
    }

    private static HttpServer serve(int port, PrometheusMeterRegistry meters, WorkerHealth health) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port + " for /metrics", e);
        }
        server.createContext(
                "/metrics",
                exchange -> respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", meters.scrape()));
        server.createContext("/health", exchange -> respond(exchange, health.health()));
        server.createContext("/ready", exchange -> respond(exchange, health.readiness()));
        server.start();
        return server;
    }

    private static void respond(HttpExchange exchange, WorkerHealth.Status status) throws IOException {
        respond(exchange, status.code(), "text/plain; charset=utf-8", status.body() + "\n");
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The port /metrics, /health and /ready listen on, or -1 if disabled. */
    public int metricsPort() {
        return http == null ? -1 : http.getAddress().getPort();
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public WorkerConfig config() {
        return config;
    }

    /** Blocks until the streams client has stopped (closed, or failed for good). */
    public void awaitTermination() throws InterruptedException {
        while (!closed.get()) {
            KafkaStreams.State state = streams.state();
            if (state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.ERROR) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /**
     * Stops processing (committing what was processed; buffered texts stay in their store for the next
     * start or another worker), then the endpoint and the model.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (follower != null) {
            follower.close();
        }
        streams.close(CLOSE_TIMEOUT);
        if (http != null) {
            http.stop(0);
        }
        if (sampler != null) {
            sampler.shutdownNow();
        }
        streamsMetrics.close();
        if (scorer != null) {
            scorer.close();
        }
        meters.close();
    }
}
