package io.streamguard.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of {@link Topics} that are missing, the one way {@code up}, {@code topics create} and the
 * retrainer do it, so a topic gets the same configs whoever creates it first. Failures are Kafka's own
 * unchecked exceptions, with the topic in the message.
 */
public final class TopicAdmin {

    private TopicAdmin() {}

    /**
     * Creates each of {@code topics} that does not exist yet; existing ones are left untouched, whatever their
     * partitions or configs.
     *
     * @return the names actually created, in the order given
     * @throws KafkaException if the broker refuses one ({@code could not create topic <name>: <cause>})
     * @throws TimeoutException if the broker does not answer within {@code timeout} for one topic
     * @throws InterruptException if interrupted (the interrupt flag is set again)
     */
    public static List<String> createMissing(Admin admin, Collection<NewTopic> topics, Duration timeout) {
        Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
        List<String> created = new ArrayList<>();
        for (NewTopic topic : topics) {
            try {
                results.get(topic.name()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(topic.name());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new KafkaException("could not create topic " + topic.name() + ": " + rootMessage(e), e);
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw new TimeoutException("timed out creating topic " + topic.name(), e);
            } catch (InterruptedException e) {
                throw new InterruptException("interrupted while creating topics", e);
            }
        }
        return List.copyOf(created);
    }

    /**
     * Sets {@code configs} on existing {@code topic} (the others keep their values).
     *
     * @throws KafkaException if the broker refuses ({@code cannot configure <topic>: <cause>}), or on timeout
     *     or interruption as {@link #createMissing}
     */
    public static void setConfigs(Admin admin, String topic, Map<String, String> configs, Duration timeout) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        List<AlterConfigOp> ops = configs.entrySet().stream()
                .map(c -> new AlterConfigOp(new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET))
                .toList();
        try {
            admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new KafkaException("cannot configure " + topic + ": " + rootMessage(e), e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("timed out configuring topic " + topic, e);
        } catch (InterruptedException e) {
            throw new InterruptException("interrupted while configuring " + topic, e);
        }
    }

    /** The innermost cause's message (the broker's words), else its class name. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
