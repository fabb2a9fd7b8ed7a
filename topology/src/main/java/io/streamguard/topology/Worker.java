package io.streamguard.topology;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
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

    /**
     * How the inference role gets its models: called once per configured encoder, with the worker's
     * configuration narrowed to that encoder and its heads file ({@link WorkerConfig#forEncoder}), so
     * {@code ClassifierScorer::load} loads each model.
     */
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
    private final Scorers scorers;
    private final HttpServer http;
    private final ScheduledExecutorService sampler;
    private final ModelVersionFollower follower;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Worker(
            WorkerConfig config,
            KafkaStreams streams,
            PrometheusMeterRegistry meters,
            KafkaStreamsMetrics streamsMetrics,
            Scorers scorers,
            HttpServer http,
            ScheduledExecutorService sampler,
            ModelVersionFollower follower) {
        this.config = config;
        this.streams = streams;
        this.meters = meters;
        this.streamsMetrics = streamsMetrics;
        this.scorers = scorers;
        this.http = http;
        this.sampler = sampler;
        this.follower = follower;
    }

    /**
     * {@code scorers} each behind a {@link RepeatCache} of {@link WorkerConfig#repeatCacheEntries()} texts (none
     * at 0). The follower keeps swapping the scorers themselves; the caches see the new version and empty.
     */
    static Scorers withRepeatCache(Scorers scorers, WorkerConfig config, PipelineMetrics metrics) {
        int entries = config.repeatCacheEntries();
        if (scorers == null || entries == 0) {
            return scorers;
        }
        Map<String, BatchScorer> cached = new LinkedHashMap<>();
        scorers.byEncoder()
                .forEach((encoder, scorer) -> cached.put(
                        encoder,
                        scorer.servingVersion() == null
                                ? scorer // cannot say which version it serves: nothing to key a cache by
                                : new RepeatCache(
                                        scorer,
                                        scorer::servingVersion,
                                        entries,
                                        () -> metrics.repeatCache(encoder, true),
                                        () -> metrics.repeatCache(encoder, false))));
        return Scorers.of(cached);
    }

    /**
     * Loads what the role needs for each configured encoder (only the tokenizers for {@code tokenizer}; the
     * scorers for {@code inference}; both for {@code all}, which must agree on each vocabulary), builds the
     * topology and starts it. With {@code streamguard.model.follow}, each encoder's model follows its own live
     * version.
     */
    public static Worker start(WorkerConfig config, ScorerFactory scorerFactory) {
        Role role = config.role();
        PrometheusMeterRegistry meters = meterRegistry(role, config.workerId());
        PipelineMetrics metrics = new PipelineMetrics(meters);
        RegistryClient registry = RegistryClient.create(RegistryConfig.fromMap(config.registryProperties()));
        PipelineSerdes serdes =
                new PipelineSerdes(registry, RegistryConfig.SerdeSettings.fromMap(config.registryProperties()));

        Tokenizers tokenizers = role.tokenizes() ? Tokenizers.load(config.encoderConfigs()) : null;
        Scorers scorers = role.infers() ? scorers(config, scorerFactory) : null;
        ModelVersionFollower follower = null;
        try {
            if (tokenizers != null && scorers != null) {
                checkVocabularies(tokenizers, scorers);
            }
            Map<String, HeadsSwapper> swappers = new LinkedHashMap<>();
            if (scorers != null) {
                scorers.byEncoder().forEach((encoder, scorer) -> {
                    if (scorer instanceof HeadsSwapper swapper) {
                        swappers.put(encoder, swapper);
                    }
                });
            }
            if (!swappers.isEmpty() && config.followModelVersions()) {
                follower = ModelVersionFollower.caughtUp(config, registry, swappers, metrics);
            }
        } catch (RuntimeException e) {
            if (scorers != null) {
                scorers.close();
            }
            throw e;
        }
        Topology topology = topology(
                role,
                config.pipelineSettings(),
                serdes,
                metrics,
                tokenizers,
                withRepeatCache(scorers, config, metrics));
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
            if (scorers != null) {
                scorers.close();
            }
            throw e;
        }
        LOG.info(
                "Worker {} started: role {}, application {}, encoders {}",
                config.workerId(),
                role,
                props.get("application.id"),
                config.encoderIds());
        LOG.debug("Topology: {}", topology.describe());
        return new Worker(config, streams, meters, streamsMetrics, scorers, http, sampler, follower);
    }

    /** One scorer per configured encoder, each from its own narrowed config; closes those made if one fails. */
    static Scorers scorers(WorkerConfig config, ScorerFactory factory) {
        Map<String, BatchScorer> made = new LinkedHashMap<>();
        try {
            for (String encoder : config.encoderIds()) {
                made.put(encoder, factory.create(config.forEncoder(encoder)));
            }
            return Scorers.of(made);
        } catch (RuntimeException e) {
            made.values().forEach(BatchScorer::close);
            throw e;
        }
    }

    private static void checkVocabularies(Tokenizers tokenizers, Scorers scorers) {
        scorers.byEncoder().forEach((encoder, scorer) -> {
            BertTokenizer tokenizer = tokenizers.tokenizer(encoder);
            if (!tokenizer.vocabulary().vocabHash().equals(scorer.vocabHash())) {
                throw new IllegalStateException(
                        "tokenizer of " + encoder + " and its model disagree on the vocabulary ("
                                + tokenizer.vocabulary().vocabHash() + " vs " + scorer.vocabHash() + ")");
            }
        });
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
            Tokenizers tokenizers,
            Scorers scorers) {
        return switch (role) {
            case TOKENIZER -> TokenizeTopology.build(settings, serdes, metrics, tokenizers);
            case INFERENCE -> InferenceTopology.build(settings, serdes, metrics, scorers);
            case ALL -> LabelingTopology.build(settings, serdes, metrics, tokenizers, scorers);
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
        if (scorers != null) {
            scorers.close();
        }
        meters.close();
    }
}
