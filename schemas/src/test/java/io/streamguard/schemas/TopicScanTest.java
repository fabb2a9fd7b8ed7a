package io.streamguard.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** One read from the beginning to the end as of its start (no broker: records fed to a mock consumer). */
class TopicScanTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private final MockConsumer<String, String> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());

    private void records(long end0, long end1, int count0, int count1) {
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.updateEndOffsets(Map.of(P0, end0, P1, end1));
        consumer.schedulePollTask(() -> {
            for (int i = 0; i < count0; i++) {
                consumer.addRecord(new ConsumerRecord<>("t", 0, i, "a" + i, "x"));
            }
            for (int i = 0; i < count1; i++) {
                consumer.addRecord(new ConsumerRecord<>("t", 1, i, "b" + i, "y"));
            }
        });
    }

    @Test
    void readsEveryPartitionToTheEndItHadAtTheStart() {
        records(3, 2, 3, 2);
        List<String> keys = new ArrayList<>();
        boolean complete = TopicScan.fromBeginning(consumer, List.of(P0, P1), Duration.ofSeconds(10), r -> {
            keys.add(r.key());
            return true;
        });
        assertThat(complete).isTrue();
        assertThat(keys).containsExactlyInAnyOrder("a0", "a1", "a2", "b0", "b1");
        assertThat(consumer.assignment()).containsExactlyInAnyOrder(P0, P1);
    }

    @Test
    void stopsAsSoonAsTheCallerHasWhatItNeeds() {
        records(3, 2, 3, 2);
        List<String> keys = new ArrayList<>();
        boolean complete = TopicScan.fromBeginning(consumer, List.of(P0, P1), Duration.ofSeconds(10), r -> {
            keys.add(r.key());
            return !r.key().equals("a1");
        });
        assertThat(complete).isTrue();
        assertThat(keys).endsWith("a1").doesNotContain("a2");
    }

    @Test
    void anEndNotReachedInTimeIsReported() {
        records(5, 0, 2, 0); // the end says 5 records, only 2 ever come
        boolean complete = TopicScan.fromBeginning(consumer, List.of(P0, P1), Duration.ZERO, r -> true);
        assertThat(complete).isFalse();
    }
}
