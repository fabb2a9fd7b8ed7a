package io.streamguard.launcher.console;

import io.streamguard.avro.ModerationPolicy;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.ClientSecurity;
import io.streamguard.launcher.client.KafkaClients;
import io.streamguard.schemas.TopicScan;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live moderation policy of one key, as the workers see it: reads the compacted
 * {@code moderation-policy} topic to its end, then follows it on a daemon thread, so the console's
 * thresholds change the moment a worker's do (a new policy from {@code policy set}, another admin, or
 * this console).
 */
public final class PolicyFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyFollower.class);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    private final KafkaConsumer<String, byte[]> consumer;
    private final AvroSerde<ModerationPolicy> serde;
    private final String key;
    private final AtomicReference<Optional<ModerationPolicy>> current = new AtomicReference<>(Optional.empty());
    private final Thread thread;
    private volatile boolean running = true;

    /** Reads the policy in force, then follows; throws if the topic cannot be read. */
    public PolicyFollower(String bootstrap, String registryUrl, String key) {
        this.key = key;
        serde = AvroSerde.specific(ModerationPolicy.class);
        serde.configure(ClientSecurity.current().registry(registryUrl), false);
        Map<String, Object> conf = KafkaClients.common(bootstrap, "streamguard-console-policy");
        conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(conf, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.MODERATION_POLICY).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
        boolean complete = TopicScan.fromBeginning(consumer, partitions, CATCH_UP, r -> {
            apply(r);
            return true;
        });
        if (!complete) {
            consumer.close();
            serde.close();
            throw new LauncherException("timed out reading " + Topics.MODERATION_POLICY + " from " + bootstrap);
        }
        thread = new Thread(this::follow, "streamguard-console-policy");
        thread.setDaemon(true);
        thread.start();
    }

    /** The policy in force; empty while none is set (the model's own thresholds decide). */
    public Optional<ModerationPolicy> current() {
        return current.get();
    }

    private void follow() {
        try {
            while (running) {
                consumer.poll(Duration.ofMillis(500)).forEach(this::apply);
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.error("Stopped following {}: the console keeps the last policy it read", Topics.MODERATION_POLICY, e);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (!key.equals(r.key())) {
            return;
        }
        if (r.value() == null) {
            current.set(Optional.empty()); // a tombstone deletes the policy
            return;
        }
        try {
            current.set(Optional.of(serde.deserializer().deserialize(r.topic(), r.value())));
        } catch (RuntimeException e) {
            LOG.warn("Skipping an undecodable policy record at {}-{}@{}", r.topic(), r.partition(), r.offset(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(5));
        serde.close();
    }
}
