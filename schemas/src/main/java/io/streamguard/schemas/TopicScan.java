package io.streamguard.schemas;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reading partitions once, from their beginning to their end as of the start of the read: what the small
 * compacted topics ({@code model-versions}, {@code moderation-policy}) and a key lookup need. Records published
 * after the read started are not waited for; with a {@code read_committed} consumer the end is the last stable
 * offset, so open transactions do not hold the read up.
 */
public final class TopicScan {

    private static final Duration POLL = Duration.ofMillis(200);

    private TopicScan() {}

    /**
     * Assigns {@code partitions} to {@code consumer}, seeks to their beginning and hands each record to
     * {@code record} until every partition reached the end offset it had when the read started, or
     * {@code record} returns false (the caller has what it needs).
     *
     * @return false if the end was not reached within {@code timeout}; the caller says what timed out
     */
    public static <K, V> boolean fromBeginning(
            Consumer<K, V> consumer,
            Collection<TopicPartition> partitions,
            Duration timeout,
            Predicate<ConsumerRecord<K, V>> record) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            for (ConsumerRecord<K, V> r : consumer.poll(POLL)) {
                if (!record.test(r)) {
                    return true;
                }
            }
        }
        return true;
    }
}
