package io.streamguard.launcher;

import io.streamguard.avro.TextEvent;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@code up --demo}: real texts from {@code ../shared/datasets} produced to {@code text-events} at
 * a steady rate, and the stream shown live as it comes back through the broker and the registry,
 * then a summary. The stream shown is {@code text-events} until the labeling topology exists.
 */
final class DemoTraffic {
    /** One sample text and the dataset it came from. */
    record Sample(String source, String text) {}

    /** What the demo measured; latency is broker append time to our consumer, per event. */
    record Summary(
            int produced, int received, double seconds, double p50Ms, double p99Ms, double maxMs) {
        double eventsPerSecond() {
            return seconds > 0 ? received / seconds : 0;
        }
    }

    private static final Duration IDLE_LIMIT = Duration.ofSeconds(30);
    private static final int TEXT_WIDTH = 72;

    private DemoTraffic() {}

    /**
     * Up to {@code count} texts, evenly from each labelled set (sentiment, offensive, hate, spam),
     * shuffled with a fixed seed so every demo run shows the same traffic.
     */
    static List<Sample> load(Path datasets, int count) {
        if (!Files.isDirectory(datasets)) {
            throw new LauncherException(
                    "demo texts not found: "
                            + datasets
                            + " does not exist (--datasets DIR or STREAMGUARD_DATASETS point elsewhere)");
        }
        List<List<Sample>> perSource =
                List.of(
                        tsvColumn(datasets.resolve("sst2/dev.tsv"), "sst2", 1),
                        lines(
                                datasets.resolve("tweeteval/offensive/val_text.txt"),
                                "tweeteval-offensive"),
                        lines(datasets.resolve("tweeteval/hate/val_text.txt"), "tweeteval-hate"),
                        tsvColumn(datasets.resolve("sms-spam/train.tsv"), "sms-spam", 1));
        Random random = new Random(42);
        List<Sample> picked = new ArrayList<>();
        int each = (count + perSource.size() - 1) / perSource.size();
        for (List<Sample> source : perSource) {
            List<Sample> copy = new ArrayList<>(source);
            Collections.shuffle(copy, random);
            picked.addAll(copy.subList(0, Math.min(each, copy.size())));
        }
        Collections.shuffle(picked, random);
        return List.copyOf(picked.subList(0, Math.min(count, picked.size())));
    }

    /**
     * Produces {@code samples} at {@code ratePerSecond} and prints each event as it arrives back.
     * Only this run's events are shown: the consumer starts at the current end of the topic.
     */
    static Summary run(
            String bootstrap,
            String registryUrl,
            List<Sample> samples,
            double ratePerSecond,
            PrintWriter out) {
        Map<String, String> registry = Map.of("schema.registry.url", registryUrl);
        String topic = Topics.TEXT_EVENTS;
        try (AvroSerde<TextEvent> serde = AvroSerde.specific(TextEvent.class)) {
            serde.configure(registry, false);
            try (KafkaConsumer<String, TextEvent> consumer =
                            new KafkaConsumer<>(
                                    consumerConfig(bootstrap),
                                    new StringDeserializer(),
                                    serde.deserializer());
                    KafkaProducer<String, TextEvent> producer =
                            new KafkaProducer<>(
                                    producerConfig(bootstrap),
                                    new StringSerializer(),
                                    serde.serializer())) {
                List<TopicPartition> partitions =
                        consumer.partitionsFor(topic).stream()
                                .map(p -> new TopicPartition(topic, p.partition()))
                                .toList();
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(
                        consumer::position); // resolve the end offsets before the first send

                out.printf(
                        "DEMO producing %d texts from %s at %.0f/s to %s%n",
                        samples.size(), "../shared/datasets", ratePerSecond, topic);
                out.printf("%-10s %-20s %9s  %s%n", "id", "source", "latency", "text");
                out.flush();
                AtomicInteger sent = new AtomicInteger();
                CompletableFuture<Void> producing =
                        CompletableFuture.runAsync(
                                () -> produce(producer, topic, samples, ratePerSecond, sent));
                long start = System.nanoTime();
                double[] latencies = new double[samples.size()];
                int received = 0;
                long lastArrival = System.nanoTime();
                while (received < samples.size()
                        && System.nanoTime() - lastArrival < IDLE_LIMIT.toNanos()) {
                    for (ConsumerRecord<String, TextEvent> r :
                            consumer.poll(Duration.ofMillis(200))) {
                        double latency = Math.max(0, System.currentTimeMillis() - r.timestamp());
                        if (received < latencies.length) {
                            latencies[received] = latency;
                        }
                        received++;
                        lastArrival = System.nanoTime();
                        TextEvent e = r.value();
                        out.printf(
                                "%-10s %-20s %6.0f ms  %s%n",
                                e.getId(), e.getSource(), latency, shorten(e.getText()));
                    }
                    out.flush();
                    if (producing.isCompletedExceptionally()) {
                        producing.join(); // rethrows the producer's failure
                    }
                }
                producing.join();
                double seconds = (System.nanoTime() - start) / 1e9;
                double[] seen = Arrays.copyOf(latencies, Math.min(received, latencies.length));
                Arrays.sort(seen);
                return new Summary(
                        sent.get(),
                        received,
                        seconds,
                        percentile(seen, 50),
                        percentile(seen, 99),
                        seen.length == 0 ? 0 : seen[seen.length - 1]);
            }
        }
    }

    static void print(Summary s, PrintWriter out) {
        out.printf(
                "DEMO SUMMARY produced=%d received=%d in %.1f s: %.1f events/s, latency p50=%.0f ms p99=%.0f ms max=%.0f ms%n",
                s.produced(),
                s.received(),
                s.seconds(),
                s.eventsPerSecond(),
                s.p50Ms(),
                s.p99Ms(),
                s.maxMs());
        out.flush();
    }

    private static void produce(
            KafkaProducer<String, TextEvent> producer,
            String topic,
            List<Sample> samples,
            double ratePerSecond,
            AtomicInteger sent) {
        AtomicReference<Exception> failure = new AtomicReference<>();
        long intervalNanos = (long) (1e9 / ratePerSecond);
        long next = System.nanoTime();
        for (int i = 0; i < samples.size(); i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            next +=
                    intervalNanos; // a fixed schedule, so a slow send does not lower the offered
                                   // rate
            Sample s = samples.get(i);
            String id = String.format("demo-%04d", i);
            TextEvent event =
                    TextEvent.newBuilder()
                            .setId(id)
                            .setText(s.text())
                            .setSource(s.source())
                            .setEventTime(Instant.now())
                            .build();
            // Exceptions thrown in a send callback are swallowed by the producer: keep the first,
            // fail after flush.
            producer.send(
                    new ProducerRecord<>(topic, id, event),
                    (meta, error) -> {
                        if (error != null) {
                            failure.compareAndSet(null, error);
                        }
                    });
            sent.incrementAndGet();
        }
        producer.flush();
        if (failure.get() != null) {
            throw new LauncherException(
                    "demo producer failed: " + failure.get().getMessage(), failure.get());
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

    static double percentile(double[] sorted, double p) {
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
