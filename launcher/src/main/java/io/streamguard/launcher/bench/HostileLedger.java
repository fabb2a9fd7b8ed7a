package io.streamguard.launcher.bench;

import io.streamguard.schemas.Topics;
import io.streamguard.topology.DeadLetterReason;
import io.streamguard.topology.hostile.HostileRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Which outcome every sent record got: each labeled event and dead letter is matched to the record it
 * came from, by record key, or for a record sent without a key by the event id inside its value
 * ({@code text-labeled}) or by the {@code text-events} partition and offset Kafka Streams writes into
 * every dead letter. A record with no outcome is lost, one with two is a duplicate, an outcome that
 * matches no sent record is unknown.
 */
final class HostileLedger {
    static final String ERRORS_TOPIC = "__streams.errors.topic";
    static final String ERRORS_PARTITION = "__streams.errors.partition";
    static final String ERRORS_OFFSET = "__streams.errors.offset";

    /** One sent record: where it landed (partition -1 if the producer or broker refused it) and its outcomes. */
    private static final class Entry {
        final HostileRecord record;
        final int pass;
        int partition = -1;
        String refused;
        final List<String> outcomes = new ArrayList<>(1);

        Entry(HostileRecord record, int pass) {
            this.record = record;
            this.pass = pass;
        }
    }

    private final Map<String, Entry> byId = new LinkedHashMap<>();
    private final Map<String, Entry> byKey = new HashMap<>();
    private final Map<String, Entry> byOffset = new HashMap<>();
    private int unknown;
    private int outcomes;

    /** Registers a record about to be sent in pass {@code pass} (1-based). */
    synchronized void expect(HostileRecord record, int pass) {
        Entry e = new Entry(record, pass);
        if (byId.putIfAbsent(record.id(), e) != null) {
            throw new IllegalArgumentException("two records with id " + record.id());
        }
        byKey.put(identity(record.key(), record.id()), e);
    }

    /** Where the broker appended it. */
    synchronized void sent(String id, int partition, long offset) {
        Entry e = byId.get(id);
        e.partition = partition;
        byOffset.put(partition + "@" + offset, e);
    }

    /** The producer or broker refused it: it never reached the pipeline. */
    synchronized void refused(String id, Exception e) {
        byId.get(id).refused = e.getClass().getSimpleName();
    }

    /** A {@code text-labeled} record; {@code eventId} is the id inside its value. */
    synchronized void labeled(ConsumerRecord<byte[], byte[]> r, String eventId) {
        Entry e = byKey.get(identity(string(r.key()), eventId));
        if (e == null) {
            e = byKey.get(identity(null, eventId)); // the tokenizer keys a keyless event by its id
        }
        record(e, HostileRecord.LABELED);
    }

    /** A {@code text-events-dlq} record. */
    synchronized void deadLettered(ConsumerRecord<byte[], byte[]> r) {
        String reason = header(r, DeadLetterReason.HEADER);
        Entry e = null;
        if (Topics.TEXT_EVENTS.equals(header(r, ERRORS_TOPIC))) {
            e = byOffset.get(header(r, ERRORS_PARTITION) + "@" + header(r, ERRORS_OFFSET));
        }
        if (e == null && r.key() != null && r.key().length > 0) {
            e = byKey.get(string(r.key())); // dead-lettered after the hop to text-tokenized
        }
        record(e, reason == null ? "(no reason header)" : reason);
    }

    private void record(Entry e, String outcome) {
        outcomes++;
        if (e == null) {
            unknown++;
        } else {
            e.outcomes.add(outcome);
        }
    }

    /** Outcomes matched so far, and whether every record of {@code pass} that reached the broker has one. */
    synchronized boolean complete(int pass) {
        return byId.values().stream()
                .filter(e -> e.pass == pass && e.refused == null)
                .allMatch(e -> !e.outcomes.isEmpty());
    }

    synchronized int outcomes() {
        return outcomes;
    }

    synchronized int unknown() {
        return unknown;
    }

    /** Per input class of {@code pass}, in first-sent order. */
    synchronized List<HostileReport.ClassRow> rows(int pass) {
        Map<String, List<Entry>> byClass = new LinkedHashMap<>();
        byId.values().stream().filter(e -> e.pass == pass).forEach(e -> byClass.computeIfAbsent(
                        e.record.inputClass(), c -> new ArrayList<>())
                .add(e));
        List<HostileReport.ClassRow> rows = new ArrayList<>();
        byClass.forEach((inputClass, entries) -> rows.add(row(inputClass, entries)));
        return rows;
    }

    private static HostileReport.ClassRow row(String inputClass, Collection<Entry> entries) {
        int labeled = 0;
        int refused = 0;
        int lost = 0;
        int duplicated = 0;
        Map<String, Integer> dead = new TreeMap<>();
        List<String> unexpected = new ArrayList<>();
        for (Entry e : entries) {
            if (e.refused != null) {
                refused++;
                continue;
            }
            if (e.outcomes.isEmpty()) {
                lost++;
                continue;
            }
            if (e.outcomes.size() > 1) {
                duplicated++;
            }
            for (String outcome : e.outcomes) {
                if (outcome.equals(HostileRecord.LABELED)) {
                    labeled++;
                } else {
                    dead.merge(outcome, 1, Integer::sum);
                }
                if (!e.record.outcomes().contains(outcome)) {
                    unexpected.add(e.record.id() + "=" + outcome);
                }
            }
        }
        return new HostileReport.ClassRow(
                inputClass, entries.size(), refused, labeled, dead, lost, duplicated, unexpected);
    }

    /** The key that names a record: its own key, or for no key or an empty one, its event id. */
    private static String identity(String key, String eventId) {
        return key == null || key.isEmpty() ? "id:" + eventId : key;
    }

    private static String string(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
