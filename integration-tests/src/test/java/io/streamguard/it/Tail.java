package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A read-committed consumer of one topic on the {@link SharedStack} (or another stack) from its current end, so a test
 * sees only what it caused; values decoded once on arrival. Records a call does not claim stay for
 * later calls.
 */
final class Tail<V> implements AutoCloseable {
    private static final Duration PATIENCE = Duration.ofMinutes(5);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Function<byte[], V> decoder;
    private final List<ConsumerRecord<String, V>> unclaimed = new ArrayList<>();

    private Tail(String bootstrap, String topic, Function<byte[], V> decoder) {
        consumer = new KafkaConsumer<>(
                SharedStack.readCommittedProps(bootstrap), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        this.decoder = decoder;
    }

    /** Values decoded by {@code values}' deserializer; a tombstone stays {@code null}. */
    static <V> Tail<V> of(String topic, Serde<V> values) {
        return of(SharedStack.bootstrap(), topic, values);
    }

    /** {@link #of(String, Serde)} on another stack's broker. */
    static <V> Tail<V> of(String bootstrap, String topic, Serde<V> values) {
        Deserializer<V> deserializer = values.deserializer();
        return new Tail<>(bootstrap, topic, bytes -> bytes == null ? null : deserializer.deserialize(topic, bytes));
    }

    /** Values as written, for records that need not decode (dead letters). */
    static Tail<byte[]> raw(String topic) {
        return new Tail<>(SharedStack.bootstrap(), topic, bytes -> bytes);
    }

    private void fetch(Duration wait) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
            unclaimed.add(new ConsumerRecord<>(
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    r.timestamp(),
                    r.timestampType(),
                    r.serializedKeySize(),
                    r.serializedValueSize(),
                    r.key(),
                    decoder.apply(r.value()),
                    r.headers(),
                    r.leaderEpoch()));
        }
    }

    /** Waits for {@code count} matching records, in arrival order. */
    List<ConsumerRecord<String, V>> await(Predicate<ConsumerRecord<String, V>> match, int count) {
        List<ConsumerRecord<String, V>> found = new ArrayList<>();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        claim(match, found, count);
        while (found.size() < count) {
            assertThat(System.nanoTime())
                    .as("only " + found.size() + " of " + count + " records in time")
                    .isLessThan(deadline);
            fetch(Duration.ofMillis(200));
            claim(match, found, count);
        }
        return found;
    }

    /** The values of {@link #await}'s records. */
    List<V> awaitValues(Predicate<ConsumerRecord<String, V>> match, int count) {
        return await(match, count).stream().map(ConsumerRecord::value).toList();
    }

    /** Matching records arriving within {@code wait} (stops at the first poll that brings some). */
    List<ConsumerRecord<String, V>> poll(Predicate<ConsumerRecord<String, V>> match, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        List<ConsumerRecord<String, V>> found = new ArrayList<>();
        claim(match, found, Integer.MAX_VALUE);
        while (found.isEmpty() && System.nanoTime() < deadline) {
            fetch(Duration.ofMillis(200));
            claim(match, found, Integer.MAX_VALUE);
        }
        return found;
    }

    /**
     * Every matching record up to the topic's end offsets as of this call. Read-committed, those are the
     * last stable offsets: everything committed before the call, nothing left to chance.
     */
    List<ConsumerRecord<String, V>> readToEnd(Predicate<ConsumerRecord<String, V>> match) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            assertThat(System.nanoTime()).as("read up to " + end + " in time").isLessThan(deadline);
            fetch(Duration.ofMillis(200));
        }
        List<ConsumerRecord<String, V>> found = new ArrayList<>();
        claim(match, found, Integer.MAX_VALUE);
        return found;
    }

    /** Whatever matching arrived by now. */
    List<ConsumerRecord<String, V>> drain(Predicate<ConsumerRecord<String, V>> match) {
        fetch(Duration.ofMillis(500));
        List<ConsumerRecord<String, V>> found = new ArrayList<>();
        claim(match, found, Integer.MAX_VALUE);
        return found;
    }

    private void claim(Predicate<ConsumerRecord<String, V>> match, List<ConsumerRecord<String, V>> into, int count) {
        var it = unclaimed.iterator();
        while (it.hasNext() && into.size() < count) {
            ConsumerRecord<String, V> r = it.next();
            if (match.test(r)) {
                into.add(r);
                it.remove();
            }
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
