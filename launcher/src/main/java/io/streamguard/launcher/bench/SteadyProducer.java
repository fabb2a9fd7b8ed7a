package io.streamguard.launcher.bench;

import io.streamguard.avro.TextEvent;
import io.streamguard.launcher.client.KafkaClients;
import io.streamguard.launcher.traffic.FixedRate;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The traffic of a fault run: {@code events} texts at a steady {@code rate} on its own thread, as a service
 * that keeps producing whatever happens to the pipeline. Events are keyed {@code k00..k<keys-1>} round
 * robin with ids {@code <key>-<sequence>}, so a reader can check per-key order; every {@code badEvery}-th
 * is a bad record (an empty text, id and key {@code bad-<n>}) that must be dead-lettered, once. The producer is
 * idempotent with {@code acks=all} and waits out broker outages (delivery and blocking timeouts of ten
 * minutes), so what it reports acknowledged is exactly what reached the broker once.
 *
 * <p>{@link #useEvolvedSchema} switches to a newer writer schema of {@code TextEvent} (one optional
 * field more), registered before the switch, whose id no worker has seen: what a producer that upgraded
 * during a registry outage sends.
 */
final class SteadyProducer implements AutoCloseable {
    /** Ids (and keys) of bad records start with this. */
    static final String BAD_PREFIX = "bad-";

    private static final int PATIENCE_MS = 600_000;

    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerde<TextEvent> current = AvroSerde.specific(TextEvent.class);
    private final AvroSerde<GenericRecord> evolved = AvroSerde.generic();
    private final Schema evolvedSchema;
    private final List<String> texts;
    private final int keys;
    private final long events;
    private final double rate;
    private final int badEvery;
    private final Set<String> ackedGood = ConcurrentHashMap.newKeySet();
    private final Set<String> ackedBad = ConcurrentHashMap.newKeySet();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong evolvedSent = new AtomicLong();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean useEvolved;
    private volatile boolean stopped;

    SteadyProducer(
            String bootstrap,
            String registryUrl,
            List<String> texts,
            int keys,
            long events,
            double rate,
            int badEvery) {
        this.texts = List.copyOf(texts);
        this.keys = keys;
        this.events = events;
        this.rate = rate;
        this.badEvery = badEvery;
        Map<String, String> registry = Map.of("schema.registry.url", registryUrl);
        current.configure(registry, false);
        evolved.configure(registry, false);
        evolvedSchema = evolvedSchema();
        // Registers the newer schema now and caches its id: during a registry outage the producer can still
        // write it, and the workers cannot look it up.
        evolved.serializer().serialize(Topics.TEXT_EVENTS, evolvedEvent("warm", "registering"));
        Map<String, Object> pc = KafkaClients.common(bootstrap, "streamguard-chaos-producer");
        pc.put(ProducerConfig.ACKS_CONFIG, "all");
        pc.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        pc.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        pc.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, PATIENCE_MS);
        pc.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, PATIENCE_MS);
        pc.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        producer = new KafkaProducer<>(pc, new StringSerializer(), new ByteArraySerializer());
        thread = new Thread(this::produce, "streamguard-chaos-producer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void produce() {
        FixedRate schedule = new FixedRate(rate);
        int[] sequence = new int[keys];
        long bad = 0;
        for (long n = 0; n < events && !stopped; n++) {
            if (!schedule.awaitNext()) {
                return;
            }
            String key;
            String id;
            String text;
            Set<String> acked;
            if (badEvery > 0 && n % badEvery == badEvery - 1) {
                id = String.format(BAD_PREFIX + "%06d", bad++);
                key = id;
                text = "";
                acked = ackedBad;
            } else {
                int k = (int) (n % keys);
                key = String.format("k%02d", k);
                id = key + "-" + String.format("%07d", sequence[k]++);
                text = texts.get((int) (n % texts.size()));
                acked = ackedGood;
            }
            byte[] value;
            if (useEvolved) {
                value = evolved.serializer().serialize(Topics.TEXT_EVENTS, evolvedEvent(id, text));
                evolvedSent.incrementAndGet();
            } else {
                TextEvent event = TextEvent.newBuilder()
                        .setId(id)
                        .setText(text)
                        .setSource("chaos")
                        .setEventTime(Instant.now())
                        .build();
                value = current.serializer().serialize(Topics.TEXT_EVENTS, event);
            }
            try {
                producer.send(new ProducerRecord<>(Topics.TEXT_EVENTS, key, value), (m, e) -> {
                    if (e == null) {
                        acked.add(id);
                    } else {
                        failure.compareAndSet(null, e);
                    }
                });
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
                return;
            }
            sent.incrementAndGet();
        }
        producer.flush();
    }

    private static Schema evolvedSchema() {
        Schema base = TextEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field(
                "chaosTag",
                Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)),
                "Added by bench chaos: a writer schema no worker has seen before the registry outage",
                Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }

    private GenericRecord evolvedEvent(String id, String text) {
        GenericRecord r = new GenericData.Record(evolvedSchema);
        r.put("id", id);
        r.put("text", text);
        r.put("source", "chaos");
        r.put("eventTime", System.currentTimeMillis());
        r.put("attributes", Map.of());
        r.put("chaosTag", "evolved");
        return r;
    }

    /** From the next event on, write with the newer schema (true) or the current one (false). */
    void useEvolvedSchema(boolean evolved) {
        this.useEvolved = evolved;
    }

    long sent() {
        return sent.get();
    }

    long evolvedSent() {
        return evolvedSent.get();
    }

    boolean done() {
        return !thread.isAlive();
    }

    /** Waits until every event was sent and acknowledged (or failed). */
    void awaitDone() throws InterruptedException {
        thread.join();
    }

    /** Ids of good events the broker acknowledged. */
    Set<String> ackedGood() {
        return ackedGood;
    }

    /** Ids of bad events (empty texts) the broker acknowledged. */
    Set<String> ackedBad() {
        return ackedBad;
    }

    /** The first send failure, if any: those events never reached Kafka. */
    Exception failure() {
        return failure.get();
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(PATIENCE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }
}
