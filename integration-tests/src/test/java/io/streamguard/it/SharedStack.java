package io.streamguard.it;

import io.streamguard.launcher.stack.EmbeddedStack;
import io.streamguard.schemas.serde.AvroSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * One real stack (KRaft broker + Apicurio registry) per test JVM: starting it costs seconds, and the
 * tests isolate themselves by topic and subject names instead. Stopped by a shutdown hook.
 */
final class SharedStack {
    private static EmbeddedStack stack;

    private SharedStack() {}

    static synchronized EmbeddedStack get() {
        if (stack == null) {
            try {
                Path dir = Files.createTempDirectory("streamguard-it-");
                stack = EmbeddedStack.builder()
                        .dataDir(dir)
                        .ephemeralPorts()
                        .partitions(3)
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "shared-stack-stop"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return stack;
    }

    static String bootstrap() {
        return get().bootstrapServers();
    }

    static String registryUrl() {
        return get().registryUrl();
    }

    /** A record value serde of {@code type} on the shared registry, configured. */
    static <T extends SpecificRecord> AvroSerde<T> valueSerde(Class<T> type) {
        AvroSerde<T> serde = AvroSerde.specific(type);
        serde.configure(Map.of("schema.registry.url", registryUrl()), false);
        return serde;
    }

    /** A fresh topic per test, so tests never see each other's records. */
    static String newTopic(String prefix, int partitions) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = get().admin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topic " + name, e.getCause());
        }
        return name;
    }

    static Properties producerProps() {
        Properties p = new Properties();
        p.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                "schema.registry.url",
                registryUrl()));
        return p;
    }

    static Properties consumerProps() {
        Properties p = new Properties();
        p.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                "schema.registry.url",
                registryUrl()));
        return p;
    }

    /**
     * A consumer without a group that reads only committed transactions: what a downstream reader of the
     * exactly-once pipeline sees. Callers assign partitions themselves.
     */
    static Properties readCommittedProps() {
        return readCommittedProps(bootstrap());
    }

    /** {@link #readCommittedProps()} on another stack's broker. */
    static Properties readCommittedProps(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return p;
    }
}
