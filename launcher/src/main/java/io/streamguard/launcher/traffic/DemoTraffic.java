package io.streamguard.launcher.traffic;

import io.streamguard.avro.Decision;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.TextEvent;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.ClientSecurity;
import io.streamguard.launcher.client.KafkaClients;
import io.streamguard.model.language.Language;
import io.streamguard.model.training.DatasetReader;
import io.streamguard.model.training.Task;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code up --demo}: real texts from {@code ../shared/datasets} produced to {@code text-events} at
 * a steady rate, and the labeled stream ({@code text-labeled}) shown live as the pipeline emits it,
 * then a summary. With the demo database, every fifth text enters as a row of the application's {@code
 * comments} table instead (the comments source turns it into the TextEvent {@code comments:<id>}), and
 * the demo waits until every text's decision is a row of {@code moderation_events}.
 */
public final class DemoTraffic {
    /** One sample text and the dataset it came from. */
    public record Sample(String source, String text) {}

    /**
     * What the demo measured. Latency is end to end: from the producer's record timestamp to the
     * labeled event being visible to a read-committed consumer.
     */
    public record Summary(
            int produced,
            int labeled,
            double seconds,
            Map<Decision, Integer> decisions,
            double p50Ms,
            double p99Ms,
            double maxMs,
            int viaComments,
            int rows,
            List<String> latestRows) {
        double eventsPerSecond() {
            return seconds > 0 ? labeled / seconds : 0;
        }
    }

    private static final Duration IDLE_LIMIT = Duration.ofSeconds(60);
    private static final String ID_PREFIX = "demo-";
    /** Every this-many-th text goes through the comments table when there is one. */
    private static final int COMMENT_EVERY = 5;

    private static final int TEXT_WIDTH = 60;

    private DemoTraffic() {}

    /** Up to {@code count} English texts: {@link #load(Path, int, Collection)} with English only. */
    public static List<Sample> load(Path datasets, int count) {
        return load(datasets, count, List.of(Language.ENGLISH));
    }

    /**
     * Up to {@code count} texts, evenly from each labelled set of the given languages (English: sentiment,
     * offensive, hate, spam; Chinese: COLD comments and ChnSentiCorp reviews, dev splits), shuffled with a fixed
     * seed so every demo run shows the same traffic. No language tag is set on the events: the pipeline
     * detects it.
     */
    public static List<Sample> load(Path datasets, int count, Collection<Language> languages) {
        if (!Files.isDirectory(datasets)) {
            throw new LauncherException("demo texts not found: "
                    + datasets
                    + " does not exist (--datasets DIR or STREAMGUARD_DATASETS point elsewhere)");
        }
        List<List<Sample>> perSource = new ArrayList<>();
        if (languages.contains(Language.ENGLISH)) {
            perSource.add(tsvColumn(datasets.resolve("sst2/dev.tsv"), "sst2", 1));
            perSource.add(lines(datasets.resolve("tweeteval/offensive/val_text.txt"), "tweeteval-offensive"));
            perSource.add(lines(datasets.resolve("tweeteval/hate/val_text.txt"), "tweeteval-hate"));
            perSource.add(tsvColumn(datasets.resolve("sms-spam/train.tsv"), "sms-spam", 1));
        }
        if (languages.contains(Language.CHINESE)) {
            perSource.add(dataset(datasets.resolve("cold/dev.csv"), "cold", Task.OFFENSIVE));
            perSource.add(dataset(datasets.resolve("chnsenticorp/dev.tsv"), "chnsenticorp", Task.SENTIMENT));
        }
        Random random = new Random(42);
        List<Sample> picked = new ArrayList<>();
        int each = (count + perSource.size() - 1) / Math.max(1, perSource.size());
        for (List<Sample> source : perSource) {
            List<Sample> copy = new ArrayList<>(source);
            Collections.shuffle(copy, random);
            picked.addAll(copy.subList(0, Math.min(each, copy.size())));
        }
        Collections.shuffle(picked, random);
        return List.copyOf(picked.subList(0, Math.min(count, picked.size())));
    }

    /**
     * Produces {@code samples} to {@code text-events} at {@code ratePerSecond} and prints each
     * labeled event as it arrives on {@code text-labeled} (read committed), then returns the
     * summary. Only this run's events are shown: the consumer starts at the current end. Latency is
     * from each text's creation (its event time: produce time, or the comment row's {@code created_at}).
     *
     * @param commentsJdbcUrl the demo database, or null: every fifth text is then inserted into its {@code
     *     comments} table, and the run ends once every text has its row in {@code moderation_events}
     */
    public static Summary run(
            String bootstrap,
            String registryUrl,
            String commentsJdbcUrl,
            List<Sample> samples,
            double ratePerSecond,
            PrintWriter out) {
        Map<String, Object> registry = ClientSecurity.current().registry(registryUrl);
        String topic = Topics.TEXT_EVENTS;
        String labeledTopic = Topics.TEXT_LABELED;
        try (AvroSerde<TextEvent> serde = AvroSerde.specific(TextEvent.class);
                AvroSerde<LabeledEvent> labeledSerde = AvroSerde.specific(LabeledEvent.class)) {
            serde.configure(registry, false);
            labeledSerde.configure(registry, false);
            try (KafkaConsumer<String, LabeledEvent> consumer = new KafkaConsumer<>(
                            consumerConfig(bootstrap), new StringDeserializer(), labeledSerde.deserializer());
                    KafkaProducer<String, TextEvent> producer =
                            new KafkaProducer<>(producerConfig(bootstrap), new StringSerializer(), serde.serializer());
                    CommentsTable comments = commentsJdbcUrl == null ? null : new CommentsTable(commentsJdbcUrl)) {
                List<TopicPartition> partitions = consumer.partitionsFor(labeledTopic).stream()
                        .map(p -> new TopicPartition(labeledTopic, p.partition()))
                        .toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position); // resolve the end offsets before the first send

                out.printf(
                        "DEMO producing %d texts from %s at %.0f/s to %s%s; showing %s%n",
                        samples.size(),
                        "../shared/datasets",
                        ratePerSecond,
                        topic,
                        comments == null ? "" : " (every " + COMMENT_EVERY + "th as a row of the comments table)",
                        labeledTopic);
                out.printf(
                        "%-10s %-3s %-8s %-15s %-14s %8s  %s%n",
                        "id", "lng", "decision", "top label", "sentiment", "latency", "text");
                out.flush();
                AtomicInteger sent = new AtomicInteger();
                Set<String> ids = ConcurrentHashMap.newKeySet();
                CompletableFuture<Void> producing = CompletableFuture.runAsync(
                        () -> produce(producer, comments, topic, samples, ratePerSecond, sent, ids));
                long start = System.nanoTime();
                double[] latencies = new double[samples.size()];
                Map<Decision, Integer> decisions = new EnumMap<>(Decision.class);
                int received = 0;
                long lastArrival = System.nanoTime();
                while (received < samples.size() && System.nanoTime() - lastArrival < IDLE_LIMIT.toNanos()) {
                    for (ConsumerRecord<String, LabeledEvent> r : consumer.poll(Duration.ofMillis(200))) {
                        LabeledEvent e = r.value();
                        if (e == null || !ids.contains(e.getId())) {
                            continue; // someone else's traffic on the same stack, or an earlier run's
                        }
                        long created =
                                e.getEventTime() != null ? e.getEventTime().toEpochMilli() : r.timestamp();
                        double latency = Math.max(0, System.currentTimeMillis() - created);
                        if (received < latencies.length) {
                            latencies[received] = latency;
                        }
                        received++;
                        lastArrival = System.nanoTime();
                        decisions.merge(e.getDecision(), 1, Integer::sum);
                        out.printf(
                                "%-10s %-3s %-8s %-15s %-14s %5.0f ms  %s%n",
                                e.getId(),
                                e.getLanguage() == null ? "-" : e.getLanguage(),
                                e.getDecision(),
                                topLabel(e),
                                e.getSentiment() == null
                                        ? "-"
                                        : String.format(
                                                "%s %.2f",
                                                e.getSentiment().getLabel(),
                                                e.getSentiment().getScore()),
                                latency,
                                shorten(e.getText() == null ? "" : e.getText()));
                    }
                    out.flush();
                    if (producing.isCompletedExceptionally()) {
                        producing.join(); // rethrows the producer's failure
                    }
                }
                producing.join();
                double seconds = (System.nanoTime() - start) / 1e9;
                int rows = comments == null ? 0 : awaitRows(comments, ids, out);
                List<String> latestRows = comments == null ? List.of() : comments.latestDecisions(5);
                double[] seen = Arrays.copyOf(latencies, Math.min(received, latencies.length));
                Arrays.sort(seen);
                return new Summary(
                        sent.get(),
                        received,
                        seconds,
                        decisions,
                        percentile(seen, 50),
                        percentile(seen, 99),
                        seen.length == 0 ? 0 : seen[seen.length - 1],
                        (int) ids.stream()
                                .filter(id -> !id.startsWith(ID_PREFIX))
                                .count(),
                        rows,
                        latestRows);
            }
        }
    }

    /** Waits (up to the idle limit) until each of {@code ids} has its row in moderation_events. */
    private static int awaitRows(CommentsTable comments, Set<String> ids, PrintWriter out) {
        long deadline = System.nanoTime() + IDLE_LIMIT.toNanos();
        int rows = comments.decided(ids);
        while (rows < ids.size() && System.nanoTime() < deadline) {
            try {
                TimeUnit.MILLISECONDS.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            rows = comments.decided(ids);
        }
        return rows;
    }

    /** The highest-scoring label with its score, e.g. {@code hate 0.83}. */
    static String topLabel(LabeledEvent e) {
        return e.getScores().entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(t -> String.format("%s %.2f", t.getKey(), t.getValue()))
                .orElse("-");
    }

    public static void print(Summary s, PrintWriter out) {
        StringBuilder counts = new StringBuilder();
        for (Decision d : Decision.values()) {
            counts.append(counts.isEmpty() ? "" : " ")
                    .append(d.name().toLowerCase(Locale.ROOT))
                    .append('=')
                    .append(s.decisions().getOrDefault(d, 0));
        }
        out.printf(
                "DEMO SUMMARY produced=%d labeled=%d in %.1f s: %.1f events/s; %s;"
                        + " end-to-end latency p50=%.0f ms p99=%.0f ms max=%.0f ms%n",
                s.produced(), s.labeled(), s.seconds(), s.eventsPerSecond(), counts, s.p50Ms(), s.p99Ms(), s.maxMs());
        if (s.viaComments() > 0 || s.rows() > 0) {
            out.printf(
                    "DEMO DATABASE %d of %d decisions are rows of moderation_events (%d texts entered as rows of"
                            + " comments)%n",
                    s.rows(), s.produced(), s.viaComments());
            s.latestRows().forEach(row -> out.println("  " + row));
        }
        out.flush();
    }

    private static void produce(
            KafkaProducer<String, TextEvent> producer,
            CommentsTable comments,
            String topic,
            List<Sample> samples,
            double ratePerSecond,
            AtomicInteger sent,
            Set<String> ids) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        FixedRate schedule = new FixedRate(ratePerSecond);
        for (int i = 0; i < samples.size(); i++) {
            if (!schedule.awaitNext()) {
                return;
            }
            Sample s = samples.get(i);
            if (comments != null && i % COMMENT_EVERY == COMMENT_EVERY - 1) {
                ids.add(comments.insert(s.text(), s.source()));
                sent.incrementAndGet();
                continue;
            }
            String id = String.format(ID_PREFIX + "%04d", i);
            ids.add(id);
            TextEvent event = TextEvent.newBuilder()
                    .setId(id)
                    .setText(s.text())
                    .setSource(s.source())
                    .setEventTime(Instant.now())
                    .build();
            // Exceptions thrown in a send callback are swallowed by the producer: keep the first,
            // fail after flush.
            producer.send(new ProducerRecord<>(topic, id, event), (meta, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                }
            });
            sent.incrementAndGet();
        }
        producer.flush();
        if (failure.get() != null) {
            throw new LauncherException("demo producer failed: " + failure.get().getMessage(), failure.get());
        }
    }

    private static Map<String, Object> producerConfig(String bootstrap) {
        Map<String, Object> conf = KafkaClients.common(bootstrap, "streamguard-demo-producer");
        conf.put(ProducerConfig.ACKS_CONFIG, "all");
        conf.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        return conf;
    }

    private static Map<String, Object> consumerConfig(String bootstrap) {
        Map<String, Object> conf = KafkaClients.common(bootstrap, "streamguard-demo-consumer");
        conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return conf;
    }

    /** The nearest-rank {@code p}th percentile of {@code sorted} (ascending); 0 when it is empty. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    static String shorten(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= TEXT_WIDTH ? flat : flat.substring(0, TEXT_WIDTH - 1) + "…";
    }

    private static List<Sample> lines(Path file, String source) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.map(String::strip)
                    .filter(l -> !l.isEmpty())
                    .map(l -> new Sample(source, l))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read demo texts from " + file, e);
        }
    }

    /** The texts of a labelled file {@link DatasetReader} reads (COLD's CSV, ChnSentiCorp's TSV). */
    private static List<Sample> dataset(Path file, String source, Task task) {
        try {
            return DatasetReader.read(file, task).texts().stream()
                    .map(String::strip)
                    .filter(t -> !t.isEmpty())
                    .map(t -> new Sample(source, t))
                    .toList();
        } catch (RuntimeException e) {
            throw new LauncherException("cannot read demo texts from " + file + ": " + e.getMessage(), e);
        }
    }

    /** Column {@code column} of a TSV file with a header row. */
    private static List<Sample> tsvColumn(Path file, String source, int column) {
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.skip(1)
                    .map(l -> l.split("\t", -1))
                    .filter(f -> f.length > column && !f[column].isBlank())
                    .map(f -> new Sample(source, f[column].strip()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read demo texts from " + file, e);
        }
    }
}
