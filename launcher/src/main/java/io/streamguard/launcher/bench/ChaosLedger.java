package io.streamguard.launcher.bench;

import io.streamguard.avro.LabeledEvent;
import io.streamguard.launcher.client.KafkaClients;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What a downstream {@code read_committed} consumer sees of a fault run, counted as it arrives: each
 * labeled event by id (a second one is a duplicate), each key's ids in order (an id at or below the
 * key's last one is out of order), each dead letter by id and reason, the model and policy versions that
 * decided, and per labeled event when it arrived and how old its text was (for recovery times).
 *
 * <p>Ids are those of {@link SteadyProducer}: {@code <key>-<sequence>}, and {@code bad-<n>} (also the key) for bad
 * records.
 * It reads from the beginning of both topics on its own thread and keeps going through broker outages
 * (the consumer reconnects by itself).
 */
final class ChaosLedger implements AutoCloseable {
    private static final String REASON_HEADER = "streamguard.dlq.reason";

    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroSerde<LabeledEvent> labeledSerde = AvroSerde.specific(LabeledEvent.class);
    private final Thread thread;
    private final Map<String, Integer> labeled = new HashMap<>();
    private final Map<String, Long> lastSequence = new HashMap<>();
    private final Map<String, Integer> deadLettered = new HashMap<>();
    private final Map<String, Integer> reasons = new LinkedHashMap<>();
    private final Map<String, Long> modelVersions = new LinkedHashMap<>();
    private final Map<String, Long> policyVersions = new LinkedHashMap<>();
    private final Map<String, Long> firstSeenMs = new HashMap<>();
    private long duplicates;
    private long outOfOrder;
    private final Arrivals arrivals = new Arrivals();
    private volatile boolean stopped;

    ChaosLedger(String bootstrap, String registryUrl) {
        labeledSerde.configure(Map.of("schema.registry.url", registryUrl), false);
        Map<String, Object> cc = KafkaClients.common(bootstrap, "streamguard-chaos-ledger");
        cc.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        cc.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cc.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(cc, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(Topics.TEXT_LABELED, Topics.TEXT_EVENTS_DLQ)) {
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::read, "streamguard-chaos-ledger");
        thread.setDaemon(true);
        thread.start();
    }

    private void read() {
        try {
            while (!stopped) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    long now = System.currentTimeMillis();
                    if (r.topic().equals(Topics.TEXT_LABELED)) {
                        LabeledEvent event = labeledSerde.deserializer().deserialize(r.topic(), r.headers(), r.value());
                        labeled(event, now - r.timestamp(), now);
                    } else {
                        deadLetter(r);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private synchronized void labeled(LabeledEvent event, long latency, long now) {
        String id = event.getId();
        if (labeled.merge(id, 1, Integer::sum) > 1) {
            duplicates++;
        } else {
            int dash = id.lastIndexOf('-');
            String key = id.substring(0, dash);
            long sequence = Long.parseLong(id.substring(dash + 1));
            Long last = lastSequence.put(key, sequence);
            if (last != null && sequence <= last) {
                outOfOrder++;
            }
        }
        count(modelVersions, "model " + event.getModelVersion(), now);
        count(
                policyVersions,
                "policy " + Optional.ofNullable(event.getPolicyVersion()).orElse("-"),
                now);
        arrivals.add(now, latency);
    }

    private void count(Map<String, Long> counts, String version, long now) {
        counts.merge(version, 1L, Long::sum);
        firstSeenMs.putIfAbsent(version, now);
    }

    private synchronized void deadLetter(ConsumerRecord<String, byte[]> r) {
        deadLettered.merge(String.valueOf(r.key()), 1, Integer::sum);
        Header reason = r.headers().lastHeader(REASON_HEADER);
        reasons.merge(
                reason == null ? "(no reason header)" : new String(reason.value(), StandardCharsets.UTF_8),
                1,
                Integer::sum);
    }

    /** Distinct ids labeled so far. */
    synchronized int labeledIds() {
        return labeled.size();
    }

    synchronized boolean wasLabeled(String id) {
        return labeled.containsKey(id);
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long outOfOrder() {
        return outOfOrder;
    }

    /** Dead letters per record key (bad records are keyed by their id, good ones {@code kNN}). */
    synchronized Map<String, Integer> deadLetteredByKey() {
        return new LinkedHashMap<>(deadLettered);
    }

    synchronized Map<String, Integer> reasons() {
        return new LinkedHashMap<>(reasons);
    }

    synchronized Map<String, Long> modelVersions() {
        return new LinkedHashMap<>(modelVersions);
    }

    synchronized Map<String, Long> policyVersions() {
        return new LinkedHashMap<>(policyVersions);
    }

    /** When a labeled event first carried {@code "model <v>"} or {@code "policy <v>"}. */
    synchronized OptionalLong firstSeen(String version) {
        Long at = firstSeenMs.get(version);
        return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    }

    /** Latencies (ms) of the labeled events that arrived in {@code [fromMs, toMs)}, sorted. */
    synchronized long[] latencies(long fromMs, long toMs) {
        return arrivals.latencies(fromMs, toMs);
    }

    /** See {@link Arrivals#caughtUpAt}. */
    synchronized OptionalLong caughtUpAt(long fromMs, long thresholdMs, long windowMs) {
        return arrivals.caughtUpAt(fromMs, thresholdMs, windowMs);
    }

    /** The oldest text labeled in {@code [fromMs, toMs)}, ms (0 if none arrived). */
    synchronized long maxLatency(long fromMs, long toMs) {
        return arrivals.maxLatency(fromMs, toMs);
    }

    /** The longest time (ms) in {@code [fromMs, toMs)} during which no labeled event arrived. */
    synchronized long longestSilence(long fromMs, long toMs) {
        return arrivals.longestSilence(fromMs, Math.min(toMs, System.currentTimeMillis()));
    }

    @Override
    public void close() {
        stopped = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
