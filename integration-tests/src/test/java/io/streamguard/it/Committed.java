package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.schemas.Topics;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a worker (one Kafka Streams application) has committed, as read-committed readers see it. Lets
 * a test wait for a condition where it would otherwise sleep "long enough for a duplicate to show up".
 */
final class Committed {
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private Committed() {}

    /**
     * Waits until {@code applicationId} has committed every {@code text-events} offset it consumed up to
     * the topic's end, and its inference buffer holds no text: from then on it emits nothing for the
     * texts sent so far, so a reader of the output topics up to their end offsets sees every record,
     * duplicates included, those texts will ever produce.
     */
    static void awaitIdle(String applicationId) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!inputCommitted(applicationId) || bufferEntries(applicationId) > 0) {
            assertThat(System.nanoTime())
                    .as(applicationId + " committed its input and emptied its buffer in time")
                    .isLessThan(deadline);
            try {
                Thread.sleep(100); // polling a condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Whether the application committed on text-events at all, and on each partition it did up to the
     * partition's end.
     */
    private static boolean inputCommitted(String applicationId) {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = SharedStack.get().admin()) {
            committed = admin.listConsumerGroupOffsets(applicationId)
                    .partitionsToOffsetAndMetadata()
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read the offsets of " + applicationId, e.getCause());
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                SharedStack.readCommittedProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.TEXT_EVENTS).stream()
                    .map(i -> new TopicPartition(Topics.TEXT_EVENTS, i.partition()))
                    .toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            // A partition the application never read from has no committed offset; one it read must be at the end.
            return partitions.stream().anyMatch(committed::containsKey)
                    && partitions.stream()
                            .allMatch(tp -> committed.get(tp) == null
                                    || committed.get(tp).offset() >= end.get(tp));
        }
    }

    /** Texts in the inference buffer as of the last committed transaction, read from its changelog. */
    static int bufferEntries(String applicationId) {
        String topic = applicationId + "-inference-buffer-changelog";
        Set<String> live = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                SharedStack.readCommittedProps(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            assertThat(partitions).as(topic + " exists").isNotEmpty();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            // Under read_committed the end is the last stable offset: an open transaction is not read.
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("changelog read in time").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    String key = r.partition() + ":" + Arrays.toString(r.key());
                    if (r.value() == null) {
                        live.remove(key);
                    } else {
                        live.add(key);
                    }
                }
            }
        }
        return live.size();
    }
}
