package io.streamguard.launcher.traffic;

import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.TextEvent;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.ClientSecurity;
import io.streamguard.launcher.client.KafkaClients;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
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
 * Offered load for the pipeline and what users see of it: a producer to {@code text-events} at a
 * fixed rate (or all at once) and a {@code read_committed} consumer of {@code text-labeled} that
 * times each labeled event from its text's record timestamp (the producer's clock).
 */
public final class LoadGenerator implements AutoCloseable {
    /** A run that labels nothing for this long has stalled. */
    private static final Duration IDLE_LIMIT = Duration.ofSeconds(90);

    private final AvroSerde<TextEvent> textSerde = AvroSerde.specific(TextEvent.class);
    private final AvroSerde<LabeledEvent> labeledSerde = AvroSerde.specific(LabeledEvent.class);
    private final KafkaProducer<String, TextEvent> producer;
    private final KafkaConsumer<String, LabeledEvent> consumer;

    /**
     * What a client saw of one run.
     *
     * @param firstSentMs when the first text was produced (epoch ms, this machine's clock)
     * @param lastLabeledMs when the last labeled event arrived (epoch ms, this machine's clock)
     */
    public record Result(
            int labeled, double seconds, double p50Ms, double p99Ms, long firstSentMs, long lastLabeledMs) {}

    /** Connects both clients; the consumer starts at the end of {@code text-labeled}. */
    public LoadGenerator(String bootstrap, String registryUrl) {
        Map<String, Object> registry = ClientSecurity.current().registry(registryUrl);
        textSerde.configure(registry, false);
        labeledSerde.configure(registry, false);
        Map<String, Object> pc = KafkaClients.common(bootstrap, "streamguard-bench-producer");
        pc.put(ProducerConfig.ACKS_CONFIG, "all");
        pc.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer = new KafkaProducer<>(pc, new StringSerializer(), textSerde.serializer());
        Map<String, Object> cc = KafkaClients.common(bootstrap, "streamguard-bench-consumer");
        cc.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cc.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(cc, new StringDeserializer(), labeledSerde.deserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.TEXT_LABELED).stream()
                .map(p -> new TopicPartition(Topics.TEXT_LABELED, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    /**
     * Produces {@code texts} as events {@code <run>-<n>} at {@code rate} per second (0: all at
     * once) and waits until each is labeled.
     *
     * @throws LauncherException if the producer fails or no text is labeled for 90 s
     */
    public Result send(String run, List<String> texts, double rate) {
        return send(run, texts, rate, labeled -> {});
    }

    /** As {@link #send(String, List, double)}, handing {@code seen} every labeled event of the run as it arrives. */
    public Result send(String run, List<String> texts, double rate, Consumer<LabeledEvent> seen) {
        String prefix = run + "-";
        AtomicReference<Exception> failure = new AtomicReference<>();
        long interval = rate > 0 ? (long) (1e9 / rate) : 0;
        long started = System.nanoTime();
        long firstSend = System.currentTimeMillis();
        long next = started;
        double[] latencies = new double[texts.size()];
        int received = 0;
        int sent = 0;
        long lastArrival = System.nanoTime();
        long lastReceived = firstSend;
        while (received < texts.size()) {
            // Send what is due, then poll briefly: one thread keeps both the schedule and the clock.
            while (sent < texts.size() && (interval == 0 || System.nanoTime() >= next)) {
                String id = prefix + String.format("%05d", sent);
                TextEvent event = TextEvent.newBuilder()
                        .setId(id)
                        .setText(texts.get(sent))
                        .setSource("bench")
                        .setEventTime(Instant.now())
                        .build();
                producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS, id, event), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                sent++;
                next += interval;
            }
            if (sent == texts.size()) {
                producer.flush();
            }
            if (failure.get() != null) {
                throw new LauncherException(
                        "bench producer failed: " + failure.get().getMessage());
            }
            long pollMs =
                    sent < texts.size() ? Math.max(0, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime())) : 100;
            for (ConsumerRecord<String, LabeledEvent> r : consumer.poll(Duration.ofMillis(Math.min(100, pollMs)))) {
                if (r.value() == null || !r.value().getId().startsWith(prefix)) {
                    continue; // a warm-up's or an earlier run's stragglers
                }
                seen.accept(r.value());
                long now = System.currentTimeMillis();
                if (received < latencies.length) {
                    latencies[received] = Math.max(0, now - r.timestamp());
                }
                received++;
                lastReceived = now;
                lastArrival = System.nanoTime();
            }
            if (System.nanoTime() - lastArrival > IDLE_LIMIT.toNanos()) {
                throw new LauncherException("run " + run + " stalled: " + received + " of " + texts.size()
                        + " texts labeled, none for " + IDLE_LIMIT.toSeconds() + " s");
            }
        }
        double[] sorted = Arrays.copyOf(latencies, Math.min(received, latencies.length));
        Arrays.sort(sorted);
        return new Result(
                received,
                Math.max(1, lastReceived - firstSend) / 1000.0,
                DemoTraffic.percentile(sorted, 50),
                DemoTraffic.percentile(sorted, 99),
                firstSend,
                lastReceived);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(5));
        textSerde.close();
        labeledSerde.close();
    }
}
