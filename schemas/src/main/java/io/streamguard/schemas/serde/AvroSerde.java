package io.streamguard.schemas.serde;

import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig.SerdeSettings;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link AvroSerializer} plus {@link AvroDeserializer} sharing one {@link RegistryClient}; the entry
 * point for Kafka Streams. Examples:
 *
 * <pre>{@code
 * // Configured from properties (schema.registry.url, basic.auth.user.info, ...):
 * Serde<TextEvent> serde = AvroSerde.specific(TextEvent.class);
 * serde.configure(props, false);
 *
 * // Or sharing one client, ready to use (Kafka Streams does not configure serdes given to Consumed.with):
 * RegistryClient registry = RegistryClient.create(RegistryConfig.fromMap(props));
 * Serde<TextEvent> serde = AvroSerde.specific(TextEvent.class, registry);
 * }</pre>
 *
 * <p>The public no-argument constructor makes a generic serde, for {@code default.value.serde}; for a
 * specific default serde, subclass with a no-argument constructor calling {@link #AvroSerde(Class)}.
 */
public class AvroSerde<T extends IndexedRecord> implements Serde<T> {

    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;
    private final boolean clientGiven;

    /** Generic serde for reflective instantiation; {@link #configure} must be called. */
    @SuppressWarnings("unchecked")
    public AvroSerde() {
        this(new AvroSerializer<>(), (AvroDeserializer<T>) AvroDeserializer.generic(), false);
    }

    /**
     * Specific serde for subclasses used as default serdes; {@code recordClass} must be a generated
     * {@link SpecificRecord} class. {@link #configure} must be called.
     */
    protected AvroSerde(Class<T> recordClass) {
        this(new AvroSerializer<>(), AvroDeserializer.forClass(recordClass), false);
    }

    private AvroSerde(AvroSerializer<T> serializer, AvroDeserializer<T> deserializer, boolean clientGiven) {
        this.serializer = serializer;
        this.deserializer = deserializer;
        this.clientGiven = clientGiven;
    }

    /** Serde for {@code recordClass}; call {@link #configure} before use. */
    public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> recordClass) {
        return new AvroSerde<>(new AvroSerializer<>(), AvroDeserializer.specific(recordClass), false);
    }

    /** Value serde for {@code recordClass} with default settings, ready to use. */
    public static <T extends SpecificRecord> AvroSerde<T> specific(Class<T> recordClass, RegistryClient client) {
        return specific(recordClass, client, SerdeSettings.DEFAULTS);
    }

    /** Value serde for {@code recordClass}, ready to use. */
    public static <T extends SpecificRecord> AvroSerde<T> specific(
            Class<T> recordClass, RegistryClient client, SerdeSettings settings) {
        return new AvroSerde<>(
                new AvroSerializer<>(client, settings, false), AvroDeserializer.specific(recordClass, client), true);
    }

    /** Generic serde; call {@link #configure} before use. */
    public static AvroSerde<GenericRecord> generic() {
        return new AvroSerde<>(new AvroSerializer<>(), AvroDeserializer.generic(), false);
    }

    /** Generic value serde with default settings, ready to use. */
    public static AvroSerde<GenericRecord> generic(RegistryClient client) {
        return generic(client, SerdeSettings.DEFAULTS);
    }

    /** Generic value serde, ready to use. */
    public static AvroSerde<GenericRecord> generic(RegistryClient client, SerdeSettings settings) {
        return new AvroSerde<>(new AvroSerializer<>(client, settings, false), AvroDeserializer.generic(client), true);
    }

    /**
     * Builds one client for both halves from the registry properties, or, if a client was given, only
     * applies the serde settings and the key flag (use {@code isKey=true} for {@code <topic>-key}).
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Objects.requireNonNull(configs, "configs");
        if (clientGiven) {
            serializer.configure(configs, isKey);
            deserializer.configure(configs, isKey);
        } else {
            SerdeConfigs.configure(configs, isKey, false, null, (client, settings, key) -> {
                serializer.init(client, settings, key);
                deserializer.init(client, settings, key);
            });
        }
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
