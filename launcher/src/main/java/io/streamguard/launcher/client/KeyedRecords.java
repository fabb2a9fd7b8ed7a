package io.streamguard.launcher.client;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.schemas.TopicScan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Finding the records of one key without reading a whole topic. Event ids are the keys of {@code text-events} and
 * {@code text-labeled}, and Kafka's default partitioner (which {@code produce}, Kafka Streams and other clients use
 * unless configured otherwise) puts every record of a key on one partition: murmur2 of the key's bytes modulo the
 * partition count. So a key's records are all on {@link #partitionFor} and only that partition needs reading.
 */
public final class KeyedRecords {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private KeyedRecords() {}

    /** The partition Kafka's default partitioner gives a record with the UTF-8 key {@code key}. */
    public static int partitionFor(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /**
     * Which of {@code keys} have a record on {@code topic}: reads only their partitions, from the beginning to the
     * end offsets at the time of the call (read_committed). A missing topic has none.
     *
     * @throws LauncherException if the end is not reached within 30 s
     */
    public static Set<String> present(String bootstrap, String topic, Collection<String> keys) {
        Set<String> found = new HashSet<>();
        Map<String, Object> conf = KafkaClients.common(bootstrap, "streamguard-cli-key-lookup");
        conf.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        conf.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(conf, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos == null || infos.isEmpty() || keys.isEmpty()) {
                return found;
            }
            Set<TopicPartition> partitions = new HashSet<>();
            keys.forEach(k -> partitions.add(new TopicPartition(topic, partitionFor(k, infos.size()))));
            boolean complete = TopicScan.fromBeginning(consumer, partitions, READ_TIMEOUT, r -> {
                if (r.key() != null && keys.contains(r.key())) {
                    found.add(r.key());
                }
                return found.size() < keys.size(); // all found: the rest need not be read
            });
            if (!complete) {
                throw new LauncherException("timed out reading " + topic + " from " + bootstrap);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw KafkaClients.unreachable(bootstrap, e);
        }
        return found;
    }
}
