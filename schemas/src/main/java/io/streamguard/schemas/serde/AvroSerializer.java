package io.streamguard.schemas.serde;

import io.streamguard.schemas.Topics;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig.SerdeSettings;
import io.streamguard.schemas.registry.RegistryException;
import io.streamguard.schemas.registry.SchemaVersion;
import io.streamguard.schemas.registry.UnknownSchemaException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (specific or generic) in Confluent's wire format: {@code 0x00}, the 4-byte
 * big-endian schema id, the Avro binary body. The subject is {@code <topic>-value}, or
 * {@code <topic>-key} when configured for keys.
 *
 * <p>Which id a record is written under depends on {@link SerdeSettings}: by default its schema is
 * registered on first use; with {@code auto.register.schemas=false} it must already be registered;
 * with {@code use.latest.version=true} the record is written with the subject's latest schema, which
 * must be able to read the record's schema (fields it lacks get their defaults).
 *
 * <p>Thread-safe once configured. Failures are {@link SerializationException}s:
 * {@link SchemaNotRegisteredException}, {@link SchemaResolutionException}, {@link RegistryCallException},
 * or a plain one when the record itself cannot be encoded (e.g. null in a non-nullable field).
 */
public class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {

    private final boolean clientGiven;
    private RegistryClient client;
    private SerdeSettings settings = SerdeSettings.DEFAULTS;
    private boolean isKey;

    private final ConcurrentMap<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Latest> latestBySubject = new ConcurrentHashMap<>();
    private final ConcurrentMap<ProjectionKey, RecordWriter> projections = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation; {@link #configure} must be called with the registry URL. */
    public AvroSerializer() {
        this.clientGiven = false;
    }

    /** A value serializer with default settings, ready to use. */
    public AvroSerializer(RegistryClient client) {
        this(client, SerdeSettings.DEFAULTS, false);
    }

    /**
     * A ready serializer sharing {@code client}. {@link #configure} may still be called; it then only
     * reads the serde settings and key flag, never replacing the client.
     */
    public AvroSerializer(RegistryClient client, SerdeSettings settings, boolean isKey) {
        this.clientGiven = true;
        init(Objects.requireNonNull(client, "client"), settings, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfigs.configure(configs, isKey, clientGiven, client, this::init);
    }

    void init(RegistryClient client, SerdeSettings settings, boolean isKey) {
        this.client = client;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.isKey = isKey;
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (client == null) {
            throw new IllegalStateException("AvroSerializer needs configure(...) or a RegistryClient before use");
        }
        String subject = isKey ? Topics.keySubject(topic) : Topics.valueSubject(topic);
        Schema schema = record.getSchema();
        int schemaId;
        RecordWriter writer;
        if (settings.useLatestVersion()) {
            SchemaVersion latest = latest(topic, subject);
            schemaId = latest.id();
            writer = projections.computeIfAbsent(
                    new ProjectionKey(latest.id(), schema, record.getClass()),
                    key -> writerOnto(topic, latest, record));
        } else {
            schemaId = registeredId(topic, subject, schema);
            DatumWriter<Object> datumWriter = datumWriter(record);
            writer = datumWriter::write;
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        WireFormat.writeHeader(out, schemaId);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot serialize " + schema.getFullName() + " for topic '" + topic + "' (schema id " + schemaId
                            + "): " + e.getMessage(),
                    e);
        }
        return out.toByteArray();
    }

    private int registeredId(String topic, String subject, Schema schema) {
        try {
            return settings.autoRegisterSchemas() ? client.register(subject, schema) : client.lookup(subject, schema);
        } catch (UnknownSchemaException e) {
            throw new SchemaNotRegisteredException(subject, schema.getFullName(), e);
        } catch (RegistryException e) {
            throw new RegistryCallException(
                    topic,
                    (settings.autoRegisterSchemas() ? "registering " : "looking up ") + schema.getFullName()
                            + " under subject '" + subject + "'",
                    e);
        }
    }

    private SchemaVersion latest(String topic, String subject) {
        long now = System.nanoTime();
        Latest cached = latestBySubject.get(subject);
        if (cached != null && !cached.expired(now, settings)) {
            return cached.version();
        }
        try {
            SchemaVersion version = client.latest(subject);
            latestBySubject.put(subject, new Latest(version, now));
            return version;
        } catch (RegistryException e) {
            throw new RegistryCallException(
                    topic, "fetching the latest schema of subject '" + subject + "' (use.latest.version=true)", e);
        }
    }

    /** How to write records of {@code sample}'s schema so they decode with the latest schema. */
    private RecordWriter writerOnto(String topic, SchemaVersion latest, IndexedRecord sample) {
        Schema own = sample.getSchema();
        DatumWriter<Object> ownWriter = datumWriter(sample);
        // Same canonical form means identical binary encoding: no conversion needed.
        if (SchemaNormalization.parsingFingerprint64(own)
                == SchemaNormalization.parsingFingerprint64(latest.schema())) {
            return ownWriter::write;
        }
        SchemaCompatibility.SchemaPairCompatibility check =
                SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), own);
        if (check.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new SchemaResolutionException(
                    topic,
                    latest.id(),
                    own.getFullName() + " cannot be written as version "
                            + latest.version() + " of subject '" + latest.subject() + "': "
                            + Describe.incompatibilities(check));
        }
        // Let Avro's schema resolution do the projection: encode with our schema, decode as the latest
        // (filling defaults, dropping unknown fields), encode that. Only paid when the schemas differ.
        GenericDatumReader<Object> resolver = new GenericDatumReader<>(own, latest.schema(), GenericData.get());
        GenericDatumWriter<Object> latestWriter = new GenericDatumWriter<>(latest.schema(), GenericData.get());
        return (record, encoder) -> {
            ByteArrayOutputStream scratch = new ByteArrayOutputStream(256);
            BinaryEncoder ownEncoder = EncoderFactory.get().binaryEncoder(scratch, null);
            ownWriter.write(record, ownEncoder);
            ownEncoder.flush();
            Object projected = resolver.read(null, DecoderFactory.get().binaryDecoder(scratch.toByteArray(), null));
            latestWriter.write(projected, encoder);
        };
    }

    /** Specific records need their class's model (logical-type conversions, Java enums). */
    private DatumWriter<Object> datumWriter(IndexedRecord record) {
        Class<?> type = record instanceof SpecificRecord ? record.getClass() : GenericData.Record.class;
        return writers.computeIfAbsent(
                new WriterKey(record.getSchema(), type),
                key -> key.type() == GenericData.Record.class
                        ? new GenericDatumWriter<>(key.schema(), GenericData.get())
                        : new SpecificDatumWriter<>(key.schema(), SpecificData.getForClass(key.type())));
    }

    @FunctionalInterface
    private interface RecordWriter {
        void write(Object record, Encoder encoder) throws IOException;
    }

    private record WriterKey(Schema schema, Class<?> type) {}

    private record ProjectionKey(int latestId, Schema schema, Class<?> type) {}

    private record Latest(SchemaVersion version, long fetchedAtNanos) {

        boolean expired(long nowNanos, SerdeSettings settings) {
            return settings.latestCacheTtl()
                    .map(ttl -> nowNanos - fetchedAtNanos >= ttl.toNanos())
                    .orElse(false);
        }
    }
}
