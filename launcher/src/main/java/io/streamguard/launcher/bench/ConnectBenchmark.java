package io.streamguard.launcher.bench;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.ConnectClient;
import io.streamguard.launcher.client.ConnectorConfigs;
import io.streamguard.launcher.client.ConnectorFile;
import io.streamguard.launcher.client.StreamGuardTopics;
import io.streamguard.launcher.client.StreamsRunning;
import io.streamguard.launcher.stack.EmbeddedStack;
import io.streamguard.launcher.traffic.DemoTraffic;
import io.streamguard.launcher.traffic.LoadGenerator;
import io.streamguard.schemas.Topics;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.Worker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The Kafka Connect side of the stack measured with the pipeline it feeds and drains, in one run on one
 * machine: whether the moderation-events sink (JDBC, {@code text-labeled} to PostgreSQL's {@code
 * moderation_events}) keeps up with the labeling pipeline at saturation, and how long a row inserted into
 * {@code comments} takes to come back labeled as a row of {@code moderation_events} (comments source,
 * pipeline, sink). {@code streamguard bench connectors} is the command-line front.
 *
 * <p>One embedded stack with PostgreSQL and a Connect worker, the checkout's {@code connectors/config/}
 * applied to it as {@code up} applies them, one loaded model and one role-all worker. A warm-up (texts
 * through pipeline and sink, one comment through all three) creates the sink's table and fills every
 * cache before anything is timed.
 */
final class ConnectBenchmark {
    static final int DEFAULT_EVENTS = 2000;
    static final int DEFAULT_COMMENTS = 200;
    static final double DEFAULT_COMMENT_RATE = 20;
    static final Duration COUNT_POLL = Duration.ofMillis(50);
    static final Duration SEEN_POLL = Duration.ofMillis(25);
    private static final int WARMUP_EVENTS = 16;
    private static final String COMMENTS_PREFIX = "comments:";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CONNECTORS_TIMEOUT = Duration.ofMinutes(2);

    /**
     * What to measure.
     *
     * @param worker the pipeline worker's model and batching
     * @param datasets the shared datasets (texts as for {@code up --demo})
     * @param connectorConfigs the connector configs to apply ({@code connectors/config/} of the checkout)
     * @param events texts produced at once for the throughput run
     * @param comments rows inserted into {@code comments} for the latency run
     * @param commentRate rows per second of the latency run
     * @param dataDir where the stack's state lives for the run (deleted after)
     */
    record Options(
            BenchWorker.Settings worker,
            Path datasets,
            Path connectorConfigs,
            int events,
            int comments,
            double commentRate,
            Path dataDir) {
        Options {
            Objects.requireNonNull(worker, "worker");
            Objects.requireNonNull(datasets, "datasets");
            Objects.requireNonNull(connectorConfigs, "connectorConfigs");
            Objects.requireNonNull(dataDir, "dataDir");
            if (events < 1 || comments < 1 || !(commentRate > 0) || Double.isInfinite(commentRate)) {
                throw new IllegalArgumentException("events, comments and the comment rate must be positive");
            }
        }
    }

    private ConnectBenchmark() {}

    /**
     * Starts the stack and its connectors, loads the model, starts the worker and measures; {@code progress}
     * hears a line per step.
     *
     * @throws LauncherException if the stack, a connector or the worker does not start, or a run stalls
     */
    static ConnectReport run(Options options, Consumer<String> progress) {
        int wanted = Math.max(options.events(), options.comments()) + WARMUP_EVENTS + 1;
        List<String> texts = DemoTraffic.load(options.datasets(), wanted).stream()
                .map(DemoTraffic.Sample::text)
                .toList();
        if (texts.size() < wanted) {
            throw new BenchmarkException("the datasets hold only " + texts.size() + " texts, " + wanted + " asked");
        }
        progress.accept("starting broker, registry, PostgreSQL and the Connect worker");
        try (EmbeddedStack stack = EmbeddedStack.builder()
                .dataDir(options.dataDir())
                .ephemeralPorts()
                .partitions(StreamGuardTopics.DEFAULT_PARTITIONS)
                .withPostgres()
                .withConnect()
                .start()) {
            ConnectClient connect =
                    new ConnectClient(stack.connect().orElseThrow().url());
            List<ConnectorFile> connectors = applyConnectors(options, stack, connect);
            progress.accept("loading " + options.worker().encoderId() + " with heads "
                    + options.worker().heads());
            Path state = options.dataDir().resolve("streams");
            try (ClassifierScorer scorer =
                    ClassifierScorer.load(BenchWorker.config(options.worker(), stack, state, "load"))) {
                Worker worker = Worker.start(
                        BenchWorker.config(options.worker(), stack, state, "connect"), c -> BenchWorker.shared(scorer));
                try {
                    StreamsRunning.await("the bench worker", worker::state, READY_TIMEOUT);
                    ConnectorConfigs.awaitRunning(connect, connectors, CONNECTORS_TIMEOUT);
                    progress.accept("connectors running: "
                            + String.join(
                                    ", ",
                                    connectors.stream().map(ConnectorFile::name).toList()));
                    String jdbcUrl = stack.postgres().orElseThrow().jdbcUrl();
                    try (LoadGenerator traffic = new LoadGenerator(stack.bootstrapServers(), stack.registryUrl());
                            Connection db = DriverManager.getConnection(jdbcUrl)) {
                        warmUp(traffic, db, jdbcUrl, texts, progress);
                        ConnectReport.Throughput throughput =
                                throughput(traffic, jdbcUrl, texts.subList(0, options.events()), progress);
                        ConnectReport.Latency latency = latency(
                                db,
                                jdbcUrl,
                                stack.bootstrapServers(),
                                texts.subList(0, options.comments()),
                                options.commentRate(),
                                progress);
                        return new ConnectReport(
                                Machine.current(),
                                options.worker().encoderId(),
                                scorer.heads().version(),
                                options.worker().batchSize(),
                                stack.partitions(),
                                throughput,
                                latency);
                    }
                } finally {
                    worker.close();
                }
            }
        } catch (SQLException e) {
            throw new BenchmarkException("PostgreSQL failed: " + e.getMessage(), e);
        } finally {
            DataDirs.deleteQuietly(options.dataDir());
        }
    }

    private static List<ConnectorFile> applyConnectors(Options options, EmbeddedStack stack, ConnectClient connect) {
        try {
            return ConnectorConfigs.applyDir(connect, options.connectorConfigs(), stack.connectionSettings());
        } catch (IllegalArgumentException e) {
            throw new BenchmarkException(e.getMessage(), e);
        }
    }

    /** Texts through pipeline and sink, one comment through all three: the table exists, caches are warm. */
    private static void warmUp(
            LoadGenerator traffic, Connection db, String jdbcUrl, List<String> texts, Consumer<String> progress)
            throws SQLException {
        progress.accept("warming up: " + WARMUP_EVENTS + " texts and one comment");
        try (var rows = SinkWatch.count(jdbcUrl, "warm-", WARMUP_EVENTS, COUNT_POLL)) {
            traffic.send("warm", texts.subList(texts.size() - WARMUP_EVENTS, texts.size()), 0);
            rows.await();
        }
        try (var rows = SinkWatch.count(jdbcUrl, COMMENTS_PREFIX, 1, COUNT_POLL)) {
            insert(db, texts.get(texts.size() - WARMUP_EVENTS - 1));
            rows.await();
        }
    }

    /** Every text at once; the pipeline's rate beside the sink's, from the same start. */
    private static ConnectReport.Throughput throughput(
            LoadGenerator traffic, String jdbcUrl, List<String> texts, Consumer<String> progress) {
        progress.accept(texts.size() + " texts at saturation");
        try (var rows = SinkWatch.count(jdbcUrl, "sat-", texts.size(), COUNT_POLL)) {
            LoadGenerator.Result labeled = traffic.send("sat", texts, 0);
            SinkWatch.RowTimes sink = rows.await();
            ConnectReport.Throughput result = new ConnectReport.Throughput(
                    labeled.labeled(),
                    labeled.seconds(),
                    sink.rows(),
                    Math.max(1, sink.lastMs() - sink.firstMs()) / 1000.0,
                    sink.lastMs() - labeled.lastLabeledMs());
            progress.accept(String.format(
                    "pipeline %.1f events/s, sink %.1f rows/s (%.2f), last row %.0f ms after the last labeled event",
                    result.pipelineEventsPerSecond(),
                    result.sinkRowsPerSecond(),
                    result.sinkVsPipeline(),
                    result.lagMs()));
            return result;
        }
    }

    /** Comments inserted at {@code rate}; each timed from its created_at to its labeled row, on the DB clock. */
    private static ConnectReport.Latency latency(
            Connection db,
            String jdbcUrl,
            String bootstrap,
            List<String> bodies,
            double rate,
            Consumer<String> progress)
            throws SQLException {
        progress.accept(bodies.size() + " comments at " + rate + "/s");
        Map<String, Instant> created = new LinkedHashMap<>();
        // The warm-up's comment is in the table already: one more than inserted here.
        try (var arrivals = new TopicArrivals(bootstrap, Topics.TEXT_EVENTS, COMMENTS_PREFIX);
                var seen = SinkWatch.firstSeen(jdbcUrl, COMMENTS_PREFIX, bodies.size() + 1, SEEN_POLL)) {
            long interval = (long) (1e9 / rate);
            long next = System.nanoTime();
            for (String body : bodies) {
                LockSupport.parkNanos(next - System.nanoTime());
                next += interval;
                Map.Entry<Long, Instant> row = insert(db, body);
                created.put(COMMENTS_PREFIX + row.getKey(), row.getValue());
            }
            Map<String, Instant> visible = seen.await();
            Map<String, Instant> onTopic = arrivals.arrivals();
            Map<String, Instant> labeled = labeledAt(db);
            int n = created.size();
            double[] total = new double[n];
            double[] source = new double[n];
            double[] pipeline = new double[n];
            double[] sink = new double[n];
            int i = 0;
            for (Map.Entry<String, Instant> row : created.entrySet()) {
                String id = row.getKey();
                Instant arrived = onTopic.get(id);
                Instant labeledAt = labeled.get(id);
                if (arrived == null || labeledAt == null) {
                    throw new BenchmarkException(id + " is in moderation_events but "
                            + (arrived == null ? "was not seen on text-events" : "has no labeled_at"));
                }
                total[i] = millisBetween(row.getValue(), visible.get(id));
                source[i] = millisBetween(row.getValue(), arrived);
                pipeline[i] = millisBetween(arrived, labeledAt);
                sink[i] = millisBetween(labeledAt, visible.get(id));
                i++;
            }
            ConnectReport.Latency result = new ConnectReport.Latency(
                    n,
                    rate,
                    SEEN_POLL.toMillis(),
                    ConnectReport.Spread.of(total),
                    ConnectReport.Spread.of(source),
                    ConnectReport.Spread.of(pipeline),
                    ConnectReport.Spread.of(sink));
            progress.accept(String.format(
                    "comments: p50 %.0f ms, p99 %.0f ms, max %.0f ms (p50 source %.0f ms, pipeline %.0f ms, sink"
                            + " %.0f ms)",
                    result.endToEnd().p50Ms(),
                    result.endToEnd().p99Ms(),
                    result.endToEnd().maxMs(),
                    result.source().p50Ms(),
                    result.pipeline().p50Ms(),
                    result.sink().p50Ms()));
            return result;
        }
    }

    /**
     * Each comment row's labeled_at, as epoch time: the sink writes timestamps as UTC ({@code use.time.zone}),
     * so the epoch of the column is right whether it was created with or without a time zone.
     */
    private static Map<String, Instant> labeledAt(Connection db) throws SQLException {
        Map<String, Instant> labeled = new HashMap<>();
        try (PreparedStatement query =
                db.prepareStatement("SELECT id, (extract(epoch FROM labeled_at) * 1000000)::bigint"
                        + " FROM moderation_events WHERE id LIKE ?")) {
            query.setString(1, COMMENTS_PREFIX + "%");
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    long micros = rs.getLong(2);
                    if (!rs.wasNull()) {
                        labeled.put(rs.getString(1), Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
                    }
                }
            }
        }
        return labeled;
    }

    private static double millisBetween(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e6;
    }

    /** One comment row; its id and created_at (PostgreSQL's clock). */
    private static Map.Entry<Long, Instant> insert(Connection db, String body) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO comments (body, author) VALUES (?, 'bench') RETURNING id, created_at")) {
            insert.setString(1, body);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return Map.entry(
                        rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant());
            }
        }
    }
}
