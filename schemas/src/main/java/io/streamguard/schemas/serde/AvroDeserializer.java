package io.streamguard.schemas.serde;

import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig.SerdeSettings;
import io.streamguard.schemas.registry.RegistryException;
import io.streamguard.schemas.registry.UnknownSchemaException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads records in Confluent's wire format. The writer's schema is fetched by the id in the header
 * (cached forever, ids are immutable).
 *
 * <p>A specific deserializer ({@link #specific}) resolves the writer's schema to its class's schema,
 * so records from older or newer producers are read with defaults filled in and unknown fields
 * dropped, as long as the two are compatible. A generic one ({@link #generic}, or the no-argument
 * constructor) returns {@link GenericRecord}s in the writer's own schema.
 *
 * <p>Null bytes (tombstones) yield null. Everything else that goes wrong is a
 * {@link SerializationException} naming the topic and schema id: {@link WireFormatException} (bad
 * bytes), {@link UnknownSchemaIdException}, {@link SchemaResolutionException} (writer schema not
 * readable as the class), {@link RegistryCallException} (registry failure; see
 * {@link RegistryCallException#isRetriable()}). Thread-safe once configured.
 */
public class AvroDeserializer<T extends IndexedRecord> implements Deserializer<T> {

    private final Class<? extends SpecificRecord> recordClass;
    private final Schema readerSchema;
    private final boolean clientGiven;
    private RegistryClient client;

    /** One resolving reader per writer schema id: building one parses and resolves both schemas. */
    private final ConcurrentMap<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation: a generic deserializer; {@link #configure} must be called. */
    public AvroDeserializer() {
        this(null, null);
    }

    private AvroDeserializer(Class<? extends SpecificRecord> recordClass, RegistryClient client) {
        this.recordClass = recordClass;
        this.readerSchema = recordClass == null
                ? null
                : SpecificData.getForClass(recordClass).getSchema(recordClass);
        this.clientGiven = client != null;
        this.client = client;
    }

    /** Reads into {@code recordClass}; call {@link #configure} before use. */
    public static <T extends SpecificRecord> AvroDeserializer<T> specific(Class<T> recordClass) {
        return new AvroDeserializer<>(Objects.requireNonNull(recordClass, "recordClass"), null);
    }

    /** Reads into {@code recordClass} using {@code client}; ready to use. */
    public static <T extends SpecificRecord> AvroDeserializer<T> specific(Class<T> recordClass, RegistryClient client) {
        return new AvroDeserializer<>(
                Objects.requireNonNull(recordClass, "recordClass"), Objects.requireNonNull(client, "client"));
    }

    /** For {@link AvroSerde}'s subclass constructor, where T is only known to be an IndexedRecord. */
    static <T extends IndexedRecord> AvroDeserializer<T> forClass(Class<T> recordClass) {
        if (!SpecificRecord.class.isAssignableFrom(recordClass)) {
            throw new IllegalArgumentException(recordClass.getName() + " is not a generated SpecificRecord class");
        }
        return new AvroDeserializer<>(recordClass.asSubclass(SpecificRecord.class), null);
    }

    /** Reads {@link GenericRecord}s; call {@link #configure} before use. */
    public static AvroDeserializer<GenericRecord> generic() {
        return new AvroDeserializer<>(null, null);
    }

    /** Reads {@link GenericRecord}s using {@code client}; ready to use. */
    public static AvroDeserializer<GenericRecord> generic(RegistryClient client) {
        return new AvroDeserializer<>(null, Objects.requireNonNull(client, "client"));
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfigs.configure(configs, isKey, clientGiven, client, this::init);
    }

    void init(RegistryClient client, SerdeSettings settings, boolean isKey) {
        // The writer schema comes from the record's id, so neither settings nor key/value matter here.
        this.client = client;
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroDeserializer needs configure(...) or a RegistryClient before use");
        }
        WireFormat.Header header = WireFormat.parse(data, topic);
        int id = header.schemaId();
        DatumReader<T> reader = readerFor(topic, id);

        BoundedBinaryDecoder decoder = new BoundedBinaryDecoder(data, header.payloadOffset(), header.payloadLength());
        T value;
        int unread;
        try {
            value = reader.read(null, decoder);
            unread = decoder.isEnd() ? 0 : decoder.remaining();
        } catch (IOException | RuntimeException e) {
            // Avro signals bad input with assorted exceptions (EOF, AvroRuntimeException, index errors).
            throw new WireFormatException(topic, id, "corrupt or truncated Avro body: " + Describe.failure(e), e);
        }
        if (unread > 0) {
            throw new WireFormatException(
                    topic, id, unread + " byte(s) left after the Avro body; the data does not match schema id " + id);
        }
        return value;
    }

    private DatumReader<T> readerFor(String topic, int id) {
        DatumReader<T> reader = readers.get(id);
        if (reader != null) {
            return reader;
        }
        Schema writer;
        try {
            writer = client.schemaById(id);
        } catch (UnknownSchemaException e) {
            throw new UnknownSchemaIdException(topic, id, e);
        } catch (RegistryException e) {
            throw new RegistryCallException(topic, "fetching schema id " + id, e);
        }
        if (writer.getType() != Schema.Type.RECORD) {
            throw new SchemaResolutionException(
                    topic, id, "writer schema is " + writer.getType() + ", but this deserializer reads records");
        }
        if (readerSchema == null) {
            reader = new GenericDatumReader<>(writer, writer, GenericData.get());
        } else {
            // Checked up front so a mismatch is reported as such, not as a corrupt body at read time.
            SchemaCompatibility.SchemaPairCompatibility check =
                    SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
            if (check.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new SchemaResolutionException(
                        topic,
                        id,
                        "writer schema " + writer.getFullName() + " cannot be read as " + recordClass.getName() + ": "
                                + Describe.incompatibilities(check));
            }
            reader = new SpecificDatumReader<>(writer, readerSchema, SpecificData.getForClass(recordClass));
        }
        DatumReader<T> raced = readers.putIfAbsent(id, reader);
        return raced != null ? raced : reader;
    }
}
