package io.streamguard.launcher.client;

import io.streamguard.avro.ModerationPolicy;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.schemas.TopicScan;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.serde.AvroSerde;
import io.streamguard.topology.Policy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The compacted {@code moderation-policy} topic: the latest value per policy name is the live policy,
 * which every worker reads as a global store. Values are Avro {@code ModerationPolicy} through the
 * registry.
 */
public final class PolicyTopic {
    private static final Pattern NUMBERED = Pattern.compile("v?(\\d+)");
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private PolicyTopic() {}

    /** The live policy called {@code key}, or empty if none was set (or it was deleted). */
    public static Optional<ModerationPolicy> read(String bootstrap, String registryUrl, String key) {
        String topic = Topics.MODERATION_POLICY;
        Map<String, Object> conf = KafkaClients.common(bootstrap, "streamguard-cli-policy-reader");
        conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (AvroSerde<ModerationPolicy> serde = serde(registryUrl);
                KafkaConsumer<String, byte[]> consumer =
                        new KafkaConsumer<>(conf, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            AtomicReference<byte[]> latest = new AtomicReference<>();
            boolean complete = TopicScan.fromBeginning(consumer, partitions, READ_TIMEOUT, r -> {
                if (key.equals(r.key())) {
                    latest.set(r.value()); // a tombstone (null) deletes the policy
                }
                return true;
            });
            if (!complete) {
                throw new LauncherException("timed out reading " + topic + " from " + bootstrap);
            }
            return Optional.ofNullable(latest.get())
                    .map(bytes -> serde.deserializer().deserialize(topic, bytes));
        }
    }

    /**
     * Validates {@code policy} as the workers will, then writes it as the live policy {@code key}.
     *
     * @throws io.streamguard.topology.InvalidPolicyException if a worker would refuse it
     */
    public static void write(String bootstrap, String registryUrl, String key, ModerationPolicy policy) {
        Policy.fromAvro(policy);
        Map<String, Object> conf = KafkaClients.common(bootstrap, "streamguard-cli-policy-writer");
        conf.put(ProducerConfig.ACKS_CONFIG, "all");
        conf.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, KafkaClients.API_TIMEOUT_MS);
        conf.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        try (AvroSerde<ModerationPolicy> serde = serde(registryUrl);
                KafkaProducer<String, ModerationPolicy> producer =
                        new KafkaProducer<>(conf, new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(Topics.MODERATION_POLICY, key, policy))
                    .get(KafkaClients.API_TIMEOUT_MS + 16_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw KafkaClients.unreachable(bootstrap, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted while writing the policy");
        }
    }

    /** {@code v<n+1>} after {@code v<n>} (or {@code <n>}); {@code v1} first or after any other name. */
    public static String nextVersion(Optional<ModerationPolicy> current) {
        if (current.isEmpty()) {
            return "v1";
        }
        Matcher m = NUMBERED.matcher(current.get().getVersion());
        return m.matches() ? "v" + (Long.parseLong(m.group(1)) + 1) : "v1";
    }

    private static AvroSerde<ModerationPolicy> serde(String registryUrl) {
        AvroSerde<ModerationPolicy> serde = AvroSerde.specific(ModerationPolicy.class);
        serde.configure(ClientSecurity.current().registry(registryUrl), false);
        return serde;
    }
}
