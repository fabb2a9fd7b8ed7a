package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.Sentiment;
import io.streamguard.avro.TextEvent;
import io.streamguard.launcher.client.ConnectClient;
import io.streamguard.launcher.client.ConnectionSettings;
import io.streamguard.launcher.client.ConnectorConfigs;
import io.streamguard.launcher.client.ConnectorFile;
import io.streamguard.launcher.client.StreamsRunning;
import io.streamguard.launcher.stack.EmbeddedConnect;
import io.streamguard.launcher.stack.EmbeddedStack;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.Worker;
import io.streamguard.topology.WorkerConfig;
import io.streamguard.topology.testing.SeededHeads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connectors of {@code connectors/config/} on a real Connect worker, beside the real broker, registry,
 * PostgreSQL and the labeling pipeline (MiniLM with seeded heads, in-process): labeled events become one row
 * each in {@code moderation_events}, equal to the stream, even across a SIGKILL of the worker; moderators'
 * verdicts from the CLI become upserted rows of {@code moderation_verdicts}; rows of {@code comments} come back
 * labeled; records the converter cannot read go to the dead-letter topic while the sink keeps running.
 *
 * <p>The connectors use the standard topic names and one consumer group each, so this class has a stack of
 * its own rather than {@link SharedStack}; tests still tell their rows apart by id prefix.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConnectIT {
    private static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final String EVENTS_SINK = "moderation-events-sink";
    private static final String VERDICTS_SINK = "moderation-verdicts-sink";
    private static final String SCORINGS_SINK = "moderation-scorings-sink";
    private static final String COMMENTS_SOURCE = "comments-source";
    private static final String DLQ = "connect-sink-dlq";
    private static final String MODEL_VERSION = "seeded-connect";
    private static final int BATCH = 400;

    @TempDir
    static Path dir;

    private static EmbeddedStack stack;
    /** The stack's worker, then the one started on its data after the kill. */
    private static EmbeddedConnect connect;

    private static List<ConnectorFile> connectors;
    private static Worker worker;
    private static String jdbcUrl;
    private static AvroSerde<TextEvent> textEvents;
    private static AvroSerde<LabeledEvent> labeledEvents;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);

    @BeforeAll
    static void start() {
        long t0 = System.nanoTime();
        Path heads = dir.resolve("seeded-minilm.json");
        SeededHeads.minilm(MODEL_VERSION, 13, 128, heads);
        stack = EmbeddedStack.builder()
                .dataDir(dir.resolve("stack"))
                .ephemeralPorts()
                .partitions(3)
                .withPostgres()
                .withConnect()
                .start();
        connect = stack.connect().orElseThrow();
        jdbcUrl = stack.postgres().orElseThrow().jdbcUrl();
        Path home = Path.of(System.getProperty("streamguard.home"));
        connectors = ConnectorConfigs.read(home.resolve(ConnectorConfigs.CONFIG_IN_CHECKOUT)).stream()
                .map(ConnectIT::quickFailover)
                .toList();
        // What `up` does (UpCommand#applyConnectors): the files as they are, pointed at this stack.
        ConnectorConfigs.apply(
                client(),
                connectors,
                new ConnectionSettings(
                        Optional.of(ConnectionSettings.Postgres.parse(jdbcUrl)),
                        Optional.of(stack.registryUrl()),
                        Optional.of(stack.bootstrapServers())));
        Map<String, String> registry = Map.of("schema.registry.url", stack.registryUrl());
        textEvents = AvroSerde.specific(TextEvent.class);
        textEvents.configure(registry, false);
        labeledEvents = AvroSerde.specific(LabeledEvent.class);
        labeledEvents.configure(registry, false);
        worker = Worker.start(workerConfig(heads), ClassifierScorer::load);
        StreamsRunning.await("the worker", worker::state, PATIENCE);
        ConnectorConfigs.awaitRunning(client(), connectors, PATIENCE);
        System.out.printf(
                "ConnectIT: stack, pipeline and %d connectors RUNNING in %.1f s%n",
                connectors.size(), (System.nanoTime() - t0) / 1e9);
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (connect != null) {
            connect.close(); // the replacement, which the stack does not know; the stack's own is dead by then
        }
        if (stack != null) {
            stack.close();
        }
    }

    /**
     * The one change to the files: a sink task's consumer that dies with its worker (SIGKILL, test 1) leaves
     * its group after 6 s instead of the default 45, so the restarted worker's task gets its partitions in
     * time for a 3-minute class. Production keeps the default.
     */
    private static ConnectorFile quickFailover(ConnectorFile file) {
        if (!file.config().containsKey("topics")) {
            return file;
        }
        Map<String, String> config = new LinkedHashMap<>(file.config());
        config.put("consumer.override.session.timeout.ms", "6000");
        config.put("consumer.override.heartbeat.interval.ms", "1500");
        return new ConnectorFile(file.name(), config);
    }

    private static WorkerConfig workerConfig(Path heads) {
        return WorkerConfig.of(Map.of(
                "bootstrap.servers",
                stack.bootstrapServers(),
                "schema.registry.url",
                stack.registryUrl(),
                "application.id",
                "it-connect-" + RUN,
                "state.dir",
                dir.resolve("streams").toString(),
                WorkerConfig.WORKER_ID,
                "it-connect",
                WorkerConfig.MODEL_HEADS,
                heads.toString(),
                WorkerConfig.BATCH_MAX_SIZE,
                "32",
                WorkerConfig.METRICS_PORT,
                "-1"));
    }

    private static ConnectClient client() {
        return new ConnectClient(connect.url());
    }

    @Test
    @Order(1)
    void everyLabeledEventIsOneRowEqualToTheStreamAlsoAcrossAConnectWorkerKilledMidStream() throws Exception {
        String prefix = "sink-" + RUN;
        String first = prefix + "-a-";
        String second = prefix + "-b-";
        List<String> texts = sst2Texts();
        try (Tail<LabeledEvent> labeled = Tail.of(stack.bootstrapServers(), Topics.TEXT_LABELED, labeledEvents);
                KafkaProducer<String, TextEvent> producer = producer()) {
            long t0 = System.nanoTime();
            Set<Integer> partitions = new HashSet<>();
            List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
            for (int i = 0; i < BATCH; i++) {
                sends.add(send(producer, "k" + (i % 12), first + String.format("%04d", i), texts.get(i)));
            }
            producer.flush();
            for (CompletableFuture<RecordMetadata> s : sends) {
                partitions.add(s.get().partition());
            }
            assertThat(partitions).as("keys spread over partitions").hasSizeGreaterThan(1);

            List<ConsumerRecord<String, LabeledEvent>> out = new ArrayList<>(labeled.await(idStarts(first), BATCH));
            out.addAll(labeled.readToEnd(idStarts(first)));
            awaitRowsEqual(prefix, lastById(out));
            System.out.printf(
                    "ConnectIT: %d events labeled and in moderation_events, equal to text-labeled, %.1f s after the"
                            + " first send%n",
                    BATCH, (System.nanoTime() - t0) / 1e9);

            // The second batch flows at about 100 events/s while the worker is killed and restarted.
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < BATCH; i++) {
                    send(producer, "k" + (i % 12), second + String.format("%04d", i), texts.get(BATCH + i));
                    sleep(10); // pacing the traffic, not waiting for anything
                }
                producer.flush();
            });
            await().atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> ids(second).size() >= 20);
            connect.kill();
            long killed = System.nanoTime();
            Set<String> rowsAtKill = ids(second);
            Map<TopicPartition, Long> committedAtKill = committed("connect-" + EVENTS_SINK);
            assertThat(rowsAtKill).as("the kill came mid-batch").hasSizeLessThan(BATCH);

            connect = EmbeddedConnect.builder()
                    .bootstrapServers(stack.bootstrapServers())
                    .port(connect.port())
                    .dataDir(stack.dataDir())
                    .start();
            ConnectorConfigs.awaitRunning(client(), connectors, PATIENCE);
            double restarted = (System.nanoTime() - killed) / 1e9;
            producing.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

            List<ConsumerRecord<String, LabeledEvent>> out2 = new ArrayList<>(labeled.await(idStarts(second), BATCH));
            out2.addAll(labeled.readToEnd(idStarts(second)));
            Map<String, LabeledEvent> stream = lastById(out);
            stream.putAll(lastById(out2));
            assertThat(stream).hasSize(2 * BATCH);
            assertThat(stream.values())
                    .as("the rows are compared on triggered labels and sentiment too")
                    .anyMatch(e -> !e.getTriggeredLabels().isEmpty())
                    .anyMatch(e -> e.getSentiment() != null);
            awaitRowsEqual(prefix, stream);
            double caughtUp = (System.nanoTime() - killed) / 1e9;

            try (Connection db = db();
                    PreparedStatement counts = db.prepareStatement(
                            "SELECT count(*), count(DISTINCT id) FROM moderation_events WHERE id LIKE ?")) {
                counts.setString(1, prefix + "%");
                try (ResultSet rs = counts.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(2 * BATCH);
                    assertThat(rs.getLong(2)).isEqualTo(2 * BATCH);
                }
            }
            // Records the new task read again although the killed one had written them: at or past the offsets
            // committed at the kill, with their row already there. Upsert turned them into updates.
            long redelivered = out2.stream()
                    .filter(r -> r.offset()
                            >= committedAtKill.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L))
                    .filter(r -> rowsAtKill.contains(r.value().getId()))
                    .count();
            long reread = out2.stream()
                    .filter(r -> r.offset()
                            >= committedAtKill.getOrDefault(new TopicPartition(r.topic(), r.partition()), 0L))
                    .count();
            System.out.printf(
                    "ConnectIT: Connect worker SIGKILLed with %d of %d second-batch rows written; sink offsets"
                            + " committed at the kill %s; after the restart the sink re-read %d second-batch"
                            + " records, %d of them already written before the kill (absorbed by upsert);"
                            + " worker RUNNING again after %.1f s, all %d rows equal to the stream after %.1f s%n",
                    rowsAtKill.size(),
                    BATCH,
                    new TreeMap<>(committedAtKill.entrySet().stream()
                            .collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue))),
                    reread,
                    redelivered,
                    restarted,
                    2 * BATCH,
                    caughtUp);
        }
    }

    @Test
    @Order(2)
    void verdictsFromTheCliAreUpsertedPerEventAndModerator() throws Exception {
        String event = "verdict-" + RUN;
        Instant before = Instant.now().minusSeconds(1);
        feedback(event, "alice", "spam=true", "hate=false", "first look: spam");
        await().atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> assertThat(verdicts(event))
                .containsExactly(Map.entry("alice", List.of(true, false, "first look: spam"))));

        feedback(event, "alice", "spam=false", "hate=false", "second look: fine after all");
        feedback(event, "bob", "spam=true", "hate=true", "bob: spam and hate");
        await().atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> assertThat(verdicts(event))
                .containsExactly(
                        Map.entry("alice", List.of(false, false, "second look: fine after all")),
                        Map.entry("bob", List.of(true, true, "bob: spam and hate"))));

        try (Connection db = db();
                PreparedStatement rows = db.prepareStatement(
                        "SELECT text, (extract(epoch FROM judged_at) * 1000)::bigint, pg_typeof(verdict_spam)::text"
                                + " FROM moderation_verdicts"
                                + " WHERE event_id = ?")) {
            rows.setString(1, event);
            try (ResultSet rs = rows.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                    assertThat(rs.getString(1)).isEqualTo("the judged text");
                    assertThat(Instant.ofEpochMilli(rs.getLong(2))).isBetween(before, Instant.now());
                    assertThat(rs.getString(3)).isEqualTo("boolean");
                }
                assertThat(n).as("one row per moderator").isEqualTo(2);
            }
        }
    }

    private static void feedback(String event, String moderator, String spam, String hate, String note) {
        Cli cli = Cli.run(
                "feedback",
                "--id",
                event,
                "--label",
                spam,
                "--label",
                hate,
                "--text",
                "the judged text",
                "--note",
                note,
                "--moderator",
                moderator,
                "--bootstrap",
                stack.bootstrapServers(),
                "--registry",
                stack.registryUrl());
        assertThat(cli.exit()).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Sent 1 verdict(s) to moderation-feedback.");
    }

    /** Per moderator: verdict_spam, verdict_hate, note. */
    private static Map<String, List<Object>> verdicts(String event) throws SQLException {
        Map<String, List<Object>> rows = new TreeMap<>();
        if (!tableExists("moderation_verdicts")) {
            return rows;
        }
        try (Connection db = db();
                PreparedStatement q = db.prepareStatement(
                        "SELECT moderator, verdict_spam, verdict_hate, note FROM moderation_verdicts WHERE event_id = ?")) {
            q.setString(1, event);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), Arrays.asList(rs.getObject(2), rs.getObject(3), rs.getString(4)));
                }
            }
        }
        return rows;
    }

    @Test
    @Order(3)
    void commentRowsComeBackLabeledAndUpdatesDeletesAndANewColumnBreakNothing() throws Exception {
        int count = 20;
        String author = "author-" + RUN;
        Map<Long, Instant> created = new LinkedHashMap<>();
        Map<Long, String> bodies = new HashMap<>();
        List<String> texts = sst2Texts();
        try (Connection db = db();
                PreparedStatement insert = db.prepareStatement(
                        "INSERT INTO comments (body, author) VALUES (?, ?) RETURNING id, created_at")) {
            for (int i = 0; i < count; i++) {
                String body = texts.get(2 * BATCH + i);
                insert.setString(1, body);
                insert.setString(2, author);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    created.put(
                            rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant());
                    bodies.put(rs.getLong(1), body);
                }
            }
        }
        // Each row's arrival, seen by polling every 50 ms: informational latencies from created_at.
        Map<Long, Instant> seen = new HashMap<>();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> {
            Instant now = Instant.now();
            for (long id : commentIds(created.keySet())) {
                seen.putIfAbsent(id, now);
            }
            return seen.size() == count;
        });
        long[] latencies = created.entrySet().stream()
                .mapToLong(e ->
                        Duration.between(e.getValue(), seen.get(e.getKey())).toMillis())
                .sorted()
                .toArray();
        System.out.printf(
                "ConnectIT: %d comments from INSERT (created_at) to a labeled row in moderation_events:"
                        + " p50=%d ms p99=%d ms max=%d ms (polled every 50 ms)%n",
                count, percentile(latencies, 50), percentile(latencies, 99), latencies[latencies.length - 1]);

        Map<String, CommentRow> rows = commentRows(author);
        assertThat(rows).hasSize(count);
        for (Map.Entry<Long, Instant> e : created.entrySet()) {
            CommentRow row = rows.get("comments:" + e.getKey());
            assertThat(row).as("comments:" + e.getKey()).isNotNull();
            assertThat(row.text()).isEqualTo(bodies.get(e.getKey()));
            assertThat(row.source()).isEqualTo("comments");
            assertThat(row.author()).isEqualTo(author);
            assertThat(row.modelVersion()).isEqualTo(MODEL_VERSION);
            assertThat(row.decision()).isIn("ALLOW", "REVIEW", "BLOCK");
            // The pipeline carries event times in milliseconds; PostgreSQL keeps microseconds.
            assertThat(Duration.between(e.getValue(), row.eventTime()).abs())
                    .as("event_time of comments:" + e.getKey())
                    .isLessThan(Duration.ofMillis(1));
        }

        List<Long> ids = new ArrayList<>(created.keySet());
        long updated = ids.get(0);
        long deleted = ids.get(1);
        String updatedId = "comments:" + updated;
        Instant labeledBefore = rows.get(updatedId).labeledAt();
        try (Connection db = db();
                Statement sql = db.createStatement()) {
            sql.executeUpdate(
                    "UPDATE comments SET body = 'an edited comment, said again more kindly' WHERE id = " + updated);
            sql.executeUpdate("DELETE FROM comments WHERE id = " + deleted);
            sql.executeUpdate("ALTER TABLE comments ADD COLUMN IF NOT EXISTS thread_id bigint");
        }
        long later;
        try (Connection db = db();
                PreparedStatement insert = db.prepareStatement(
                        "INSERT INTO comments (body, author, thread_id) VALUES (?, ?, 7) RETURNING id")) {
            insert.setString(1, "written after the table gained a column");
            insert.setString(2, author);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                later = rs.getLong(1);
            }
        }
        await().atMost(PATIENCE).pollInterval(POLL).untilAsserted(() -> {
            Map<String, CommentRow> now = commentRows(author);
            assertThat(now).containsKey("comments:" + later);
            assertThat(now.get(updatedId).text()).isEqualTo("an edited comment, said again more kindly");
        });
        Map<String, CommentRow> after = commentRows(author);
        assertThat(after)
                .as("one row per comment: the update re-labeled its row")
                .hasSize(count + 1);
        assertThat(after.get(updatedId).labeledAt()).as("labeled again").isAfter(labeledBefore);
        assertThat(after.get("comments:" + later).text()).isEqualTo("written after the table gained a column");
        assertThat(after)
                .as("a deleted comment keeps its moderation history (deletes are dropped, not applied)")
                .containsKey("comments:" + deleted);
        assertThat(client().status(COMMENTS_SOURCE).isRunning()).isTrue();
        assertThat(client().status(EVENTS_SINK).isRunning()).isTrue();
    }

    private static long percentile(long[] sorted, int p) {
        return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private record CommentRow(
            String text,
            String source,
            String author,
            Instant eventTime,
            String decision,
            String modelVersion,
            Instant labeledAt) {}

    private static Map<String, CommentRow> commentRows(String author) throws SQLException {
        Map<String, CommentRow> rows = new HashMap<>();
        try (Connection db = db();
                PreparedStatement q = db.prepareStatement(
                        "SELECT id, text, source, author, (extract(epoch FROM event_time) * 1000000)::bigint, decision,"
                                + " model_version, (extract(epoch FROM labeled_at) * 1000000)::bigint"
                                + " FROM moderation_events"
                                + " WHERE author = ?")) {
            q.setString(1, author);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.put(
                            rs.getString(1),
                            new CommentRow(
                                    rs.getString(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    micros(rs.getLong(5)),
                                    rs.getString(6),
                                    rs.getString(7),
                                    micros(rs.getLong(8))));
                }
            }
        }
        return rows;
    }

    private static Instant micros(long micros) {
        return Instant.EPOCH.plus(Duration.ofNanos(micros * 1000));
    }

    private static Set<Long> commentIds(Set<Long> ids) throws SQLException {
        Set<String> wanted = ids.stream().map(id -> "comments:" + id).collect(Collectors.toSet());
        return ids(wanted::contains, "comments:%").stream()
                .map(id -> Long.parseLong(id.substring("comments:".length())))
                .collect(Collectors.toSet());
    }

    @Test
    @Order(4)
    void recordsTheConverterCannotReadGoToTheDeadLetterTopicAndTheSinkRunsOn() throws Exception {
        String prefix = "dlq-" + RUN;
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put(prefix + "-raw", "not an Avro record at all".getBytes(StandardCharsets.UTF_8));
        bad.put(
                prefix + "-unknown-schema",
                ByteBuffer.allocate(5 + 4)
                        .put((byte) 0)
                        .putInt(999_999)
                        .put(new byte[] {1, 2, 3, 4})
                        .array());
        try (KafkaProducer<String, byte[]> producer = rawProducer()) {
            for (Map.Entry<String, byte[]> e : bad.entrySet()) {
                producer.send(new ProducerRecord<>(Topics.TEXT_LABELED, e.getKey(), e.getValue()))
                        .get();
            }
        }
        String good = prefix + "-good";
        try (KafkaProducer<String, TextEvent> producer = producer()) {
            send(producer, good, good, "a perfectly ordinary comment after the garbage")
                    .get();
        }

        Map<String, ConsumerRecord<String, byte[]>> dead = deadLetters(bad.keySet(), EVENTS_SINK);
        // The scorings sink reads the same topic with the same converter: the same records, its own letters.
        assertThat(deadLetters(bad.keySet(), SCORINGS_SINK)).containsOnlyKeys(bad.keySet());
        assertThat(header(dead.get(prefix + "-raw"), "__connect.errors.exception.message"))
                .contains("Malformed record on topic 'text-labeled'")
                .containsIgnoringCase("magic byte");
        assertThat(header(dead.get(prefix + "-unknown-schema"), "__connect.errors.exception.message"))
                .contains("999999");
        for (Map.Entry<String, byte[]> e : bad.entrySet()) {
            ConsumerRecord<String, byte[]> d = dead.get(e.getKey());
            assertThat(d.value()).as(e.getKey() + " original bytes").isEqualTo(e.getValue());
            assertThat(header(d, "__connect.errors.topic")).isEqualTo(Topics.TEXT_LABELED);
            assertThat(header(d, "__connect.errors.connector.name")).isEqualTo(EVENTS_SINK);
            assertThat(header(d, "__connect.errors.stage")).isEqualTo("VALUE_CONVERTER");
        }

        await().atMost(PATIENCE).pollInterval(POLL).until(() -> ids(good::equals, good)
                .contains(good));
        ConnectClient.ConnectorStatus status = client().status(EVENTS_SINK);
        assertThat(status.isRunning()).as(status.summary()).isTrue();
        assertThat(status.tasks()).hasSize(1);
        System.out.printf(
                "ConnectIT: dead letters: %s%n",
                dead.values().stream()
                        .map(d -> d.key() + ": " + header(d, "__connect.errors.exception.message"))
                        .toList());
    }

    /**
     * The dead letters with these keys that {@code connector} wrote, read from the start of the topic (this
     * stack's only). Every sink of text-labeled (events and scorings) dead-letters a bad record once, each
     * under its own name.
     */
    private static Map<String, ConsumerRecord<String, byte[]>> deadLetters(Set<String> keys, String connector) {
        Properties p = SharedStack.readCommittedProps(stack.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, ConsumerRecord<String, byte[]>> found = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(DLQ));
            await().atMost(PATIENCE).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    if (keys.contains(r.key()) && connector.equals(header(r, "__connect.errors.connector.name"))) {
                        found.put(r.key(), r);
                    }
                }
                return found.keySet().containsAll(keys);
            });
        }
        return found;
    }

    // ---- moderation_events against the stream

    /** What a row of moderation_events holds of a labeled event; the columns the sink's transforms make. */
    private record EventRow(
            String decision,
            Map<String, Double> scores,
            String modelVersion,
            String policyVersion,
            String sentimentLabel,
            Double sentimentScore,
            String triggeredLabels,
            String text,
            String language,
            String encoderName,
            String unscoredReason) {

        static EventRow of(LabeledEvent e) {
            Map<String, Double> scores = new TreeMap<>();
            e.getScores().forEach((label, score) -> scores.put(label.toString(), score));
            Sentiment sentiment = e.getSentiment();
            return new EventRow(
                    e.getDecision().name(),
                    scores,
                    str(e.getModelVersion()),
                    str(e.getPolicyVersion()),
                    sentiment == null ? null : str(sentiment.getLabel()),
                    sentiment == null ? null : sentiment.getScore(),
                    e.getTriggeredLabels().stream().map(Object::toString).collect(Collectors.joining(",")),
                    str(e.getText()),
                    str(e.getLanguage()),
                    str(e.getEncoderName()),
                    str(e.getUnscoredReason()));
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** Waits until the rows with ids starting with {@code prefix} are exactly {@code stream}'s events. */
    private static void awaitRowsEqual(String prefix, Map<String, LabeledEvent> stream) {
        Map<String, EventRow> expected = new TreeMap<>();
        stream.forEach((id, e) -> expected.put(id, EventRow.of(e)));
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> assertThat(
                        differences(expected, eventRows(prefix)))
                .as("rows unlike the stream")
                .isEmpty());
    }

    /** Missing, extra and differing ids, the first 5 of each with what differs. */
    private static List<String> differences(Map<String, EventRow> expected, Map<String, EventRow> actual) {
        List<String> out = new ArrayList<>();
        expected.keySet().stream()
                .filter(id -> !actual.containsKey(id))
                .limit(5)
                .forEach(id -> out.add("missing " + id));
        long missing =
                expected.keySet().stream().filter(id -> !actual.containsKey(id)).count();
        if (missing > 5) {
            out.add("... " + missing + " missing in all");
        }
        actual.keySet().stream()
                .filter(id -> !expected.containsKey(id))
                .limit(5)
                .forEach(id -> out.add("extra " + id));
        expected.entrySet().stream()
                .filter(e -> actual.containsKey(e.getKey())
                        && !actual.get(e.getKey()).equals(e.getValue()))
                .limit(5)
                .forEach(e -> out.add(e.getKey() + ": row " + actual.get(e.getKey()) + " but stream " + e.getValue()));
        return out;
    }

    private static Map<String, EventRow> eventRows(String prefix) throws SQLException {
        Map<String, EventRow> rows = new TreeMap<>();
        if (!tableExists("moderation_events")) {
            return rows;
        }
        try (Connection db = db();
                PreparedStatement q = db.prepareStatement("SELECT * FROM moderation_events WHERE id LIKE ?")) {
            q.setString(1, prefix + "%");
            try (ResultSet rs = q.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Double> scores = new TreeMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        String column = meta.getColumnName(c);
                        if (column.startsWith("score_") && rs.getObject(c) != null) {
                            scores.put(column.substring("score_".length()), rs.getDouble(c));
                        }
                    }
                    rows.put(
                            rs.getString("id"),
                            new EventRow(
                                    rs.getString("decision"),
                                    scores,
                                    rs.getString("model_version"),
                                    rs.getString("policy_version"),
                                    rs.getString("sentiment_label"),
                                    (Double) rs.getObject("sentiment_score"),
                                    rs.getString("triggered_labels"),
                                    rs.getString("text"),
                                    rs.getString("language"),
                                    rs.getString("encoder_name"),
                                    rs.getString("unscored_reason")));
                }
            }
        }
        return rows;
    }

    /** Ids of moderation_events rows LIKE {@code pattern} that {@code match}. */
    private static Set<String> ids(Predicate<String> match, String pattern) throws SQLException {
        Set<String> ids = new HashSet<>();
        if (!tableExists("moderation_events")) {
            return ids;
        }
        try (Connection db = db();
                PreparedStatement q = db.prepareStatement("SELECT id FROM moderation_events WHERE id LIKE ?")) {
            q.setString(1, pattern);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    if (match.test(rs.getString(1))) {
                        ids.add(rs.getString(1));
                    }
                }
            }
        }
        return ids;
    }

    private static Set<String> ids(String prefix) throws SQLException {
        return ids(id -> true, prefix + "%");
    }

    /** The sink creates its table with its first record. */
    private static boolean tableExists(String table) throws SQLException {
        try (Connection db = db();
                PreparedStatement q = db.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            q.setString(1, table);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static Connection db() throws SQLException {
        return DriverManager.getConnection(jdbcUrl);
    }

    /** The last labeled event of each id, in the stream's order. */
    private static Map<String, LabeledEvent> lastById(List<ConsumerRecord<String, LabeledEvent>> records) {
        Map<String, LabeledEvent> last = new HashMap<>();
        records.forEach(r -> last.put(r.value().getId(), r.value()));
        return last;
    }

    private static Predicate<ConsumerRecord<String, LabeledEvent>> idStarts(String prefix) {
        return r -> r.value() != null && r.value().getId().startsWith(prefix);
    }

    /** A consumer group's committed offsets (Connect's sink tasks commit theirs as group connect-NAME). */
    private static Map<TopicPartition, Long> committed(String group) throws Exception {
        try (Admin admin = stack.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> result = new HashMap<>();
            offsets.forEach((tp, o) -> {
                if (o != null) {
                    result.put(tp, o.offset());
                }
            });
            return result;
        }
    }

    // ---- Kafka clients on this class's stack

    private static CompletableFuture<RecordMetadata> send(
            KafkaProducer<String, TextEvent> producer, String key, String id, String text) {
        CompletableFuture<RecordMetadata> sent = new CompletableFuture<>();
        producer.send(
                new ProducerRecord<>(
                        Topics.TEXT_EVENTS,
                        key,
                        TextEvent.newBuilder().setId(id).setText(text).build()),
                (m, e) -> {
                    if (e != null) {
                        sent.completeExceptionally(e);
                    } else {
                        sent.complete(m);
                    }
                });
        return sent;
    }

    private static Properties producerProps() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return p;
    }

    private static KafkaProducer<String, TextEvent> producer() {
        return new KafkaProducer<>(producerProps(), new StringSerializer(), textEvents.serializer());
    }

    private static KafkaProducer<String, byte[]> rawProducer() {
        return new KafkaProducer<>(producerProps(), new StringSerializer(), new ByteArraySerializer());
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static List<String> sst2Texts() throws IOException {
        Path file = Path.of(System.getProperty("streamguard.home"), "..", "shared", "datasets", "sst2", "dev.tsv");
        try (Stream<String> lines = Files.lines(file)) {
            return lines.skip(1).map(l -> l.substring(l.indexOf('\t') + 1)).toList();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
