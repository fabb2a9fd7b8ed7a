package io.streamguard.launcher.bench;

import io.streamguard.launcher.client.KafkaClients;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * When records with a key prefix first reach a {@code read_committed} consumer of a topic, on this
 * machine's clock: where a comment's row is once the comments source has written it, before the pipeline
 * reads it. Values are not decoded (only the keys and the times matter). Starts at the topic's end, on a
 * thread of its own; closing it stops it.
 */
final class TopicArrivals implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Instant> arrivals = new ConcurrentHashMap<>();
    private final Thread thread;

    TopicArrivals(String bootstrap, String topic, String keyPrefix) {
        Map<String, Object> config = KafkaClients.common(bootstrap, "streamguard-bench-arrivals");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // the end now, not when the thread first polls
        thread = new Thread(() -> follow(keyPrefix), "streamguard-bench-arrivals");
        thread.setDaemon(true);
        thread.start();
    }

    private void follow(String keyPrefix) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.key() != null && r.key().startsWith(keyPrefix)) {
                        arrivals.putIfAbsent(r.key(), Instant.now());
                    }
                }
            }
        } catch (WakeupException | InterruptException e) {
            // closed
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /** The keys seen so far, each with when it first arrived. */
    Map<String, Instant> arrivals() {
        return Map.copyOf(arrivals);
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
