package io.streamguard.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.topology.hostile.HostileRecord;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** The ledger matches outcomes to records as the workers write them. */
class HostileLedgerTest {

    private static HostileRecord record(String id, String key, String... outcomes) {
        return new HostileRecord(id, "class-" + id.charAt(0), key, new byte[] {1}, List.of(), Set.of(outcomes));
    }

    private static ConsumerRecord<byte[], byte[]> out(String topic, String key, RecordHeaders headers) {
        return new ConsumerRecord<>(
                topic,
                0,
                0L,
                0L,
                TimestampType.CREATE_TIME,
                0,
                0,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                new byte[0],
                headers,
                Optional.empty());
    }

    private static RecordHeaders deadLetter(String reason, int partition, long offset) {
        RecordHeaders h = new RecordHeaders();
        h.add("__streams.errors.topic", "text-events".getBytes(StandardCharsets.UTF_8));
        h.add("__streams.errors.partition", Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
        h.add("__streams.errors.offset", Long.toString(offset).getBytes(StandardCharsets.UTF_8));
        h.add("streamguard.dlq.reason", reason.getBytes(StandardCharsets.UTF_8));
        return h;
    }

    @Test
    void eachRecordIsMatchedByKeyIdOrOffsetAndLostTwiceUnexpectedAndUnknownAreCounted() {
        HostileLedger ledger = new HostileLedger();
        ledger.expect(record("a1", "a1", "LABELED"), 1);
        ledger.expect(record("a2", null, "LABELED"), 1); // keyless: matched by its event id
        ledger.expect(record("b1", "b1", "CORRUPT_AVRO"), 1);
        ledger.expect(record("b2", "", "LABELED"), 1); // dead-lettered, matched by offset, not allowed
        ledger.expect(record("c1", "c1", "LABELED"), 1); // never answered
        ledger.expect(record("c2", "c2", "LABELED"), 1); // refused by the broker
        ledger.sent("a1", 0, 10);
        ledger.sent("a2", 1, 11);
        ledger.sent("b1", 2, 12);
        ledger.sent("b2", 0, 13);
        ledger.sent("c1", 1, 14);
        ledger.refused("c2", new RecordTooLargeException("big"));

        ledger.labeled(out("text-labeled", "a1", new RecordHeaders()), "a1");
        ledger.labeled(out("text-labeled", "a1", new RecordHeaders()), "a1"); // twice
        ledger.labeled(out("text-labeled", "a2", new RecordHeaders()), "a2"); // the tokenizer keyed it by id
        ledger.deadLettered(out("text-events-dlq", "b1", deadLetter("CORRUPT_AVRO", 2, 12)));
        ledger.deadLettered(out("text-events-dlq", null, deadLetter("EMPTY_TEXT", 0, 13)));
        ledger.deadLettered(out("text-events-dlq", null, deadLetter("EMPTY_TEXT", 2, 99))); // nobody's

        assertThat(ledger.complete(1)).as("c1 has no outcome").isFalse();
        assertThat(ledger.unknown()).isEqualTo(1);
        Map<String, HostileReport.ClassRow> rows = new HashMap<>();
        ledger.rows(1).forEach(r -> rows.put(r.inputClass(), r));
        assertThat(rows.get("class-a"))
                .isEqualTo(new HostileReport.ClassRow("class-a", 2, 0, 3, Map.of(), 0, 1, List.of()));
        assertThat(rows.get("class-b"))
                .isEqualTo(new HostileReport.ClassRow(
                        "class-b",
                        2,
                        0,
                        0,
                        Map.of("CORRUPT_AVRO", 1, "EMPTY_TEXT", 1),
                        0,
                        0,
                        List.of("b2=EMPTY_TEXT")));
        assertThat(rows.get("class-c"))
                .isEqualTo(new HostileReport.ClassRow("class-c", 2, 1, 0, Map.of(), 1, 0, List.of()));
        assertThat(rows.values()).noneMatch(HostileReport.ClassRow::accountedOnce);
    }
}
