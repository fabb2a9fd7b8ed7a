package io.streamguard.topology;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.config.MeterFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * One tag key for every state store's meters. Kafka Streams names a store's tag after its kind
 * ({@code rocksdb-state-id}, {@code in-memory-state-id}, {@code rocksdb-window-state-id}, ...), so one meter
 * name such as {@code kafka.stream.state.put.rate} comes with different tag keys for the micro-batch buffer
 * (RocksDB) and the policy store (in memory). Prometheus allows one set of tag keys per name: Micrometer's
 * registry refused the second kind's meters ("registration has failed" at startup) and they were missing
 * from /metrics. This filter renames each such key to {@value #KEY}; store names are unique in a topology,
 * so the value still tells the stores apart, and the number of tags stays what Micrometer's Kafka binder
 * compares.
 *
 * <p>Known limit: the binder removes the meter of a Kafka metric that went away (a task moved to another
 * worker) by its unmapped id, so such a meter stays, reading NaN, until the task comes back or the worker
 * restarts.
 */
final class StateStoreTags implements MeterFilter {

    static final String KEY = "state.id";

    private static final String STATE_METERS = "kafka.stream.state.";
    private static final String KIND_SUFFIX = "." + KEY;

    @Override
    public Meter.Id map(Meter.Id id) {
        if (!id.getName().startsWith(STATE_METERS)) {
            return id;
        }
        List<Tag> tags = new ArrayList<>();
        boolean renamed = false;
        for (Tag tag : id.getTagsAsIterable()) {
            if (tag.getKey().endsWith(KIND_SUFFIX)) {
                tags.add(Tag.of(KEY, tag.getValue()));
                renamed = true;
            } else {
                tags.add(tag);
            }
        }
        return renamed ? id.replaceTags(tags) : id;
    }
}
