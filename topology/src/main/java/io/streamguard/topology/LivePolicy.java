package io.streamguard.topology;

import io.streamguard.avro.ModerationPolicy;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The moderation policy in force, read from the global policy store and converted once per change.
 * An invalid policy on the topic keeps the last valid one in force (or the model's thresholds) and is
 * logged, never applied half-way.
 */
final class LivePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(LivePolicy.class);

    private final KeyValueStore<String, ModerationPolicy> store;
    private final String key;
    private ModerationPolicy lastRecord;
    private Policy last;

    LivePolicy(KeyValueStore<String, ModerationPolicy> store, String key) {
        this.store = store;
        this.key = key;
    }

    /** The policy to decide under, or null for the model's own thresholds. */
    Policy current() {
        ModerationPolicy record = store.get(key);
        if (record == null) {
            lastRecord = null;
            last = null;
            return null;
        }
        if (!record.equals(lastRecord)) {
            try {
                last = Policy.fromAvro(record);
                LOG.info("Moderation policy {} in force", last.version());
            } catch (InvalidPolicyException e) {
                LOG.error(
                        "Ignoring invalid moderation policy '{}' version {}: {}; keeping {}",
                        key,
                        record.getVersion(),
                        e.getMessage(),
                        last == null ? "the model's thresholds" : "policy " + last.version());
            }
            lastRecord = record;
        }
        return last;
    }
}
