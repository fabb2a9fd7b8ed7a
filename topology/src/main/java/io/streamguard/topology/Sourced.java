package io.streamguard.topology;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A deserialized value together with the exact bytes it came from. The Processor API does not expose
 * a record's raw bytes, but a record buffered for a later batch may still have to be dead-lettered
 * as it was produced.
 */
record Sourced<T>(T value, byte[] bytes) {

    /**
     * Wraps {@code inner}: deserialization failures still surface from the source node (so Kafka
     * Streams' deserialization handler sees them); successes keep their bytes. Serializing writes the
     * bytes back unchanged.
     */
    static <T> Serde<Sourced<T>> serde(Deserializer<T> inner) {
        Objects.requireNonNull(inner, "inner");
        Deserializer<Sourced<T>> deserializer = new Deserializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                inner.configure(configs, isKey);
            }

            @Override
            public Sourced<T> deserialize(String topic, byte[] data) {
                T value = inner.deserialize(topic, data);
                return value == null ? null : new Sourced<>(value, data);
            }
        };
        Serializer<Sourced<T>> serializer = (topic, sourced) -> sourced == null ? null : sourced.bytes();
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
