package io.streamguard.launcher.traffic;

import io.streamguard.launcher.cli.LauncherException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;

/**
 * Empties a topic by deleting its records up to the end offsets, so a consumer group that starts
 * from the earliest offset sees only what is produced afterwards (one benchmark run, not the last).
 */
public final class TopicDrain {
    private TopicDrain() {}

    /** Deletes what {@code topic} holds now; records produced meanwhile may stay. */
    public static void drain(Admin admin, String topic) {
        try {
            List<TopicPartition> partitions =
                    admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
            admin.listOffsets(latest)
                    .all()
                    .get()
                    .forEach((tp, info) -> delete.put(tp, RecordsToDelete.beforeOffset(info.offset())));
            admin.deleteRecords(delete).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted while draining " + topic);
        } catch (ExecutionException e) {
            throw new LauncherException(
                    "cannot drain " + topic + ": " + e.getCause().getMessage());
        }
    }
}
