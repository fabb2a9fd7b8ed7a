package io.streamguard.connectors.converter;

import io.streamguard.schemas.Topics;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig;
import io.streamguard.schemas.registry.RegistryConfig.SerdeSettings;
import io.streamguard.schemas.registry.RegistryException;
import io.streamguard.schemas.registry.SchemaVersion;
import io.streamguard.schemas.serde.AvroDeserializer;
import io.streamguard.schemas.serde.AvroSerializer;
import io.streamguard.schemas.serde.RegistryCallException;
import io.streamguard.schemas.serde.SchemaNotRegisteredException;
import io.streamguard.schemas.serde.SchemaResolutionException;
import io.streamguard.schemas.serde.UnknownSchemaIdException;
import io.streamguard.schemas.serde.WireFormat;
import io.streamguard.schemas.serde.WireFormatException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.storage.Converter;

/**
 * Kafka Connect converter between Connect records and Avro in Confluent's wire format ({@code 0x00}, 4-byte schema
 * id, Avro binary), through schemas' {@link AvroSerializer}/{@link AvroDeserializer} and {@link RegistryClient}: a
 * drop-in for Confluent's {@code io.confluent.connect.avro.AvroConverter}, configured the same way, e.g.
 *
 * <pre>{@code
 * value.converter=io.streamguard.connectors.converter.AvroConverter
 * value.converter.schema.registry.url=http://registry:8081
 * value.converter.basic.auth.credentials.source=USER_INFO
 * value.converter.basic.auth.user.info=connect:secret
 * value.converter.use.latest.version=true
 * }</pre>
 *
 * <p>Subjects follow the topic-name strategy: {@code <topic>-value}, or {@code <topic>-key} as a key converter.
 * Only records are converted (a top-level Connect STRUCT, an Avro record), which is what every StreamGuard topic
 * holds; {@link AvroData} documents the type mapping.
 *
 * <p>Writing ({@link #fromConnectData}): a null value is a tombstone (null bytes). Otherwise the Connect schema is
 * translated to Avro and the record serialized as the pipeline's producers do: registered on first use, or with
 * {@code auto.register.schemas=false} looked up (unregistered: {@link UnregisteredSchemaException}), or with {@code
 * use.latest.version=true} written with the subject's latest schema (the usual choice for our topics, whose
 * registered schemas the Connect-derived one only approximates, e.g. without {@code avro.java.string}).
 *
 * <p>Reading ({@link #toConnectData}): the writer schema is fetched by id once and cached. By default each record
 * is given in its writer's schema, so a topic holding several schema versions yields several Connect schemas
 * (named with the record's full name, no version). With {@code use.latest.version=true} every record is resolved
 * onto the subject's latest schema (Avro schema resolution: defaults filled in for fields older writers lacked,
 * removed fields dropped), so all records of a topic give one Connect schema, carrying the latest version's number;
 * this is what a sink that creates or evolves a table wants. The latest version is cached ({@code
 * latest.cache.ttl.sec}) and fetched again when a writer id not seen before appears.
 *
 * <p>A record that cannot be read throws a {@link ConverterException} naming the topic and the problem: {@link
 * UndecodableRecordException} (bad magic byte, short or corrupt body), {@link SchemaIdNotFoundException}, {@link
 * SchemaMismatchException}, {@link UnsupportedSchemaException}; a value that cannot be written throws {@link
 * UnwritableRecordException} or one of those. Connect's {@code errors.tolerance=all} then skips or dead-letters the
 * record with that message. A registry that is unreachable or answers 5xx throws Connect's {@link
 * RetriableException} instead, so the record is retried rather than dead-lettered; other registry refusals
 * (authentication, incompatible schema) are {@link RegistryFailureException}.
 *
 * <p>Thread-safe once configured.
 */
public class AvroConverter implements Converter, Versioned {

    private final RegistryClient givenClient;

    private boolean isKey;
    private SerdeSettings settings;
    private AvroData avroData;
    private AvroSerializer<GenericRecord> serializer;
    private AvroDeserializer<GenericRecord> deserializer;
    private RegistryClient client;

    /** Resolving readers from a writer schema id to a latest schema id (use.latest.version only). */
    private Cache<ResolverKey, DatumReader<GenericRecord>> resolvers;

    private final ConcurrentMap<String, Latest> latestBySubject = new ConcurrentHashMap<>();

    /** For Connect's reflective instantiation: {@link #configure} builds the registry client. */
    public AvroConverter() {
        this(null);
    }

    /**
     * A converter sharing {@code client} (tests, embedding); {@link #configure} then reads only the serde settings
     * and the cache size, and {@code schema.registry.url} may be absent.
     */
    public AvroConverter(RegistryClient client) {
        this.givenClient = client;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Objects.requireNonNull(configs, "configs");
        AvroConverterConfig own = new AvroConverterConfig(configs);
        try {
            if (givenClient != null) {
                client = givenClient;
                settings = SerdeSettings.fromMap(configs);
            } else {
                RegistryConfig registry = RegistryConfig.fromMap(configs);
                client = RegistryClient.create(registry);
                settings = registry.serde();
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid AvroConverter configuration: " + e.getMessage());
        }
        this.isKey = isKey;
        this.avroData = new AvroData(own.schemasCacheSize());
        this.serializer = new AvroSerializer<>(client, settings, isKey);
        this.deserializer = AvroDeserializer.generic(client);
        this.resolvers = new SynchronizedCache<>(new LRUCache<>(own.schemasCacheSize()));
        latestBySubject.clear();
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        requireConfigured();
        if (value == null) {
            return null;
        }
        if (schema == null) {
            throw new UnsupportedSchemaException(onTopic(
                    topic,
                    "schemaless value of " + value.getClass().getName()
                            + "; AvroConverter needs a Connect schema (a STRUCT)"));
        }
        if (schema.type() != Schema.Type.STRUCT || !(value instanceof Struct struct)) {
            throw new UnsupportedSchemaException(onTopic(
                    topic,
                    "top-level " + schema.type() + " value; AvroConverter writes records only (a Connect STRUCT)"));
        }
        GenericRecord record;
        try {
            struct.validate();
            record = (GenericRecord) avroData.fromConnectData(schema, struct);
        } catch (UnsupportedSchemaException e) {
            throw new UnsupportedSchemaException(onTopic(topic, e.getMessage()), e);
        } catch (DataException e) {
            throw new UnwritableRecordException(onTopic(topic, e.getMessage()), e);
        }
        try {
            return serializer.serialize(topic, record);
        } catch (SchemaNotRegisteredException e) {
            throw new UnregisteredSchemaException(onTopic(topic, e.getMessage()), e);
        } catch (SchemaResolutionException e) {
            throw new SchemaMismatchException(e.getMessage(), e);
        } catch (RegistryCallException e) {
            throw registryFailure(e);
        } catch (SerializationException e) {
            throw new UnwritableRecordException(e.getMessage(), e);
        }
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        requireConfigured();
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        GenericRecord record;
        try {
            record = deserializer.deserialize(topic, value);
        } catch (WireFormatException e) {
            throw new UndecodableRecordException(e.getMessage(), e);
        } catch (UnknownSchemaIdException e) {
            throw new SchemaIdNotFoundException(e.getMessage(), e);
        } catch (SchemaResolutionException e) {
            throw new UnsupportedSchemaException(e.getMessage(), e);
        } catch (RegistryCallException e) {
            throw registryFailure(e);
        }
        try {
            if (!settings.useLatestVersion()) {
                return avroData.toConnectData(record.getSchema(), record, null);
            }
            int writerId = WireFormat.parse(value, topic).schemaId();
            SchemaVersion latest = latest(topic, writerId);
            Object resolved = writerId == latest.id() ? record : resolve(topic, value, writerId, record, latest);
            return avroData.toConnectData(latest.schema(), resolved, latest.version());
        } catch (UnsupportedSchemaException e) {
            throw new UnsupportedSchemaException(onTopic(topic, e.getMessage()), e);
        } catch (ConverterException e) {
            throw e;
        } catch (DataException e) {
            throw new UndecodableRecordException(
                    onTopic(topic, "record does not fit its Connect schema: " + e.getMessage()), e);
        }
    }

    /** The record's bytes read again, as the latest schema (only for records written with an older one). */
    private GenericRecord resolve(
            String topic, byte[] value, int writerId, GenericRecord record, SchemaVersion latest) {
        ResolverKey key = new ResolverKey(writerId, latest.id());
        DatumReader<GenericRecord> reader = resolvers.get(key);
        if (reader == null) {
            org.apache.avro.Schema writer = record.getSchema();
            SchemaCompatibility.SchemaPairCompatibility check =
                    SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), writer);
            if (check.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                throw new SchemaMismatchException(
                        onTopic(
                                topic,
                                "schema id " + writerId + " cannot be read as version " + latest.version()
                                        + " (id " + latest.id() + ") of subject '" + latest.subject()
                                        + "' (use.latest.version=true): " + incompatibilities(check)),
                        null);
            }
            reader = new GenericDatumReader<>(writer, latest.schema());
            resolvers.put(key, reader);
        }
        int offset = WireFormat.HEADER_SIZE;
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(value, offset, value.length - offset, null));
        } catch (IOException | RuntimeException e) {
            // The bytes already decoded with the writer schema, so this is a resolution failure (e.g. an enum
            // symbol the latest schema lacks and has no default for).
            throw new SchemaMismatchException(
                    onTopic(
                            topic,
                            "schema id " + writerId + " record cannot be resolved onto id " + latest.id() + ": "
                                    + e.getMessage()),
                    e);
        }
    }

    /**
     * The subject's latest version, cached; fetched again after {@code latest.cache.ttl.sec}, and once per writer
     * id that is not the cached latest (so a newly registered version is picked up when its first record comes).
     */
    private SchemaVersion latest(String topic, int writerId) {
        String subject = subject(topic);
        long now = System.nanoTime();
        Latest cached = latestBySubject.get(subject);
        boolean fresh = cached != null
                && !cached.expired(now, settings)
                && (writerId == cached.version().id() || cached.olderIds().contains(writerId));
        if (!fresh) {
            try {
                // Ids known to be older stay older, and so does the previous latest: a refetch for a new id must
                // not make the next record of an old id refetch again.
                Set<Integer> olderIds = cached == null ? ConcurrentHashMap.newKeySet() : cached.olderIds();
                SchemaVersion fetched = client.latest(subject);
                if (cached != null && cached.version().id() != fetched.id()) {
                    olderIds.add(cached.version().id());
                }
                cached = new Latest(fetched, now, olderIds);
            } catch (RegistryException e) {
                throw registryFailure(new RegistryCallException(
                        topic, "fetching the latest schema of subject '" + subject + "' (use.latest.version=true)", e));
            }
            latestBySubject.put(subject, cached);
        }
        if (writerId != cached.version().id()) {
            cached.olderIds().add(writerId);
        }
        return cached.version();
    }

    private String subject(String topic) {
        return isKey ? Topics.keySubject(topic) : Topics.valueSubject(topic);
    }

    private static RuntimeException registryFailure(RegistryCallException e) {
        return e.isRetriable()
                ? new RetriableException(ConverterException.oneLine(e.getMessage()), e)
                : new RegistryFailureException(e.getMessage(), e);
    }

    private static String onTopic(String topic, String reason) {
        return "Record on topic '" + topic + "': " + reason;
    }

    private static String incompatibilities(SchemaCompatibility.SchemaPairCompatibility check) {
        return check.getResult().getIncompatibilities().stream()
                .map(i -> i.getMessage() + " at " + i.getLocation())
                .collect(Collectors.joining("; "));
    }

    private void requireConfigured() {
        if (serializer == null) {
            throw new IllegalStateException("AvroConverter needs configure(...) before use");
        }
    }

    /** The registry and serde keys (schemas' {@link RegistryConfig#configDef()}) plus the cache size. */
    @Override
    public ConfigDef config() {
        return AvroConverterConfig.configDef();
    }

    @Override
    public String version() {
        return PluginVersion.VERSION;
    }

    @Override
    public void close() {
        // The registry client holds no resources that need closing.
    }

    private record ResolverKey(int writerId, int latestId) {}

    private record Latest(SchemaVersion version, long fetchedAtNanos, Set<Integer> olderIds) {

        boolean expired(long nowNanos, SerdeSettings settings) {
            return settings.latestCacheTtl()
                    .map(ttl -> nowNanos - fetchedAtNanos >= ttl.toNanos())
                    .orElse(false);
        }
    }
}
