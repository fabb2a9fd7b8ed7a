package io.streamguard.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.avro.TextEvent;
import io.streamguard.topology.hostile.HostileRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;

/** One pass of bench hostile without a broker: what it holds, and the record at the broker's maximum. */
class HostileTrafficTest {
    /** The Confluent wire format's 5-byte header and a plain Avro-like body: all the sizes depend on. */
    private static final Function<TextEvent, byte[]> SERIALIZER = e -> {
        byte[] id = e.getId().getBytes(StandardCharsets.UTF_8);
        byte[] text = e.getText().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + 5 + id.length + 5 + text.length)
                .put(new byte[5])
                .put(new byte[5])
                .put(id)
                .put(new byte[5])
                .put(text)
                .array();
    };

    @Test
    void aPassIsTheCorpusTheMaxRecordAndTheMutantsWithAValidEventAfterEveryTenth() {
        List<HostileRecord> pass = HostileTraffic.pass("p1-", 100, 1616, 1_048_588, SERIALIZER);
        Map<String, Long> perClass =
                pass.stream().collect(Collectors.groupingBy(HostileRecord::inputClass, Collectors.counting()));
        long hostile = pass.size() - perClass.get(HostileTraffic.VALID_CLASS);

        assertThat(perClass).containsEntry("mutant", 100L).containsEntry(HostileTraffic.MAX_RECORD_CLASS, 1L);
        assertThat(perClass.get(HostileTraffic.VALID_CLASS)).isEqualTo(hostile / HostileTraffic.VALID_EVERY);
        assertThat(pass.get(HostileTraffic.VALID_EVERY).inputClass()).isEqualTo(HostileTraffic.VALID_CLASS);
        assertThat(pass).extracting(HostileRecord::id).doesNotHaveDuplicates().allMatch(id -> id.startsWith("p1-"));
        assertThat(pass).filteredOn(r -> r.inputClass().equals("mutant")).allSatisfy(r -> assertThat(r.outcomes())
                .contains("LABELED", "CORRUPT_AVRO")
                .doesNotContain("PROCESSING_FAILED", "DESERIALIZATION_FAILED", "INFERENCE_FAILED"));
    }

    @Test
    void theRecordAtTheBrokersMaximumMakesABatchOfExactlyThatSize() {
        HostileRecord r = HostileTraffic.atMaxSize("p1-broker-max", 1_048_588, SERIALIZER);
        MemoryRecords batch = MemoryRecords.withRecords(
                Compression.NONE, new SimpleRecord(0L, r.key().getBytes(StandardCharsets.UTF_8), r.value()));
        assertThat(batch.sizeInBytes()).isEqualTo(1_048_588);
        assertThat(r.outcomes()).containsExactly("TEXT_TOO_LARGE");
    }
}
