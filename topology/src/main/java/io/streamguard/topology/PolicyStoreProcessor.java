package io.streamguard.topology;

import io.streamguard.avro.ModerationPolicy;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global policy store equal to the compacted {@code moderation-policy} topic, like a
 * GlobalKTable: values are stored as read (on restart Kafka Streams restores the store by copying the
 * topic, bypassing this processor, so it must not transform), tombstones delete. Validation happens
 * where the policy is used.
 */
final class PolicyStoreProcessor implements Processor<String, ModerationPolicy, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyStoreProcessor.class);

    private final String storeName;
    private KeyValueStore<String, ModerationPolicy> store;

    PolicyStoreProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, ModerationPolicy> record) {
        if (record.key() == null) {
            LOG.warn("Ignoring a moderation-policy record without a key: policies are looked up by name");
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
