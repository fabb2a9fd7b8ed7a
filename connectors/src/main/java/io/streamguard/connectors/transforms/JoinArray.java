package io.streamguard.connectors.transforms;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Values;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Joins an array-of-primitives field into one string, because a relational sink column holds a string, not
 * a list: a LabeledEvent's {@code triggeredLabels} [offensive, hate] becomes {@code "offensive,hate"}. An
 * empty array becomes the empty string, a null array stays null (the field keeps its optionality), a null
 * element an empty item. Elements are written as Connect's {@link Values#convertToString} writes them (a
 * Timestamp as ISO-8601). The field keeps its name and place; Connect's {@code ReplaceField} renames it.
 *
 * <pre>{@code
 * "transforms": "labels",
 * "transforms.labels.type": "io.streamguard.connectors.transforms.JoinArray$Value",
 * "transforms.labels.field": "triggeredLabels",
 * "transforms.labels.delimiter": ","
 * }</pre>
 */
public abstract class JoinArray<R extends ConnectRecord<R>> implements Transformation<R> {
    public static final String FIELD_CONFIG = "field";
    public static final String DELIMITER_CONFIG = "delimiter";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    FIELD_CONFIG,
                    ConfigDef.Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    ConfigDef.Importance.HIGH,
                    "The array field (of primitives) to join into a string.")
            .define(
                    DELIMITER_CONFIG,
                    ConfigDef.Type.STRING,
                    ",",
                    ConfigDef.Importance.MEDIUM,
                    "Written between the elements. Kafka trims every string setting, so it cannot start or end with"
                            + " whitespace.");

    /** Distinct input schemas kept; beyond it the least recently used output schema is rebuilt. */
    static final int SCHEMA_CACHE_SIZE = 16;

    private final RecordPart part;
    private String field;
    private String delimiter;
    private Cache<Schema, Schema> schemas;

    JoinArray(RecordPart part) {
        this.part = part;
    }

    @Override
    public void configure(Map<String, ?> props) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, props);
        field = config.getString(FIELD_CONFIG);
        delimiter = config.getString(DELIMITER_CONFIG);
        schemas = new SynchronizedCache<>(new LRUCache<>(SCHEMA_CACHE_SIZE));
    }

    @Override
    public R apply(R record) {
        Object value = part.value(record);
        if (value == null) {
            return record;
        }
        if (value instanceof Struct struct) {
            return applyWithSchema(record, struct);
        }
        if (part.schema(record) == null && value instanceof Map<?, ?> map) {
            Object array = map.get(field);
            if (array != null && !(array instanceof List)) {
                throw new RecordShapeException(getClass().getName() + ": field '" + field + "' must be a list, is "
                        + array.getClass().getName());
            }
            Map<Object, Object> output = new LinkedHashMap<>(map);
            output.computeIfPresent(field, (k, v) -> join((List<?>) v, null));
            return part.with(record, null, output);
        }
        throw new RecordShapeException(
                getClass().getName() + ": expected a Struct or a schemaless Map, got " + value.getClass());
    }

    private R applyWithSchema(R record, Struct struct) {
        Field arrayField =
                ConnectSchemas.requireField(struct.schema(), field, getClass().getName());
        Schema arraySchema = arrayField.schema();
        if (arraySchema.type() != Schema.Type.ARRAY
                || !arraySchema.valueSchema().type().isPrimitive()) {
            throw new RecordShapeException(getClass().getName() + ": field '" + field
                    + "' must be an array of primitives, is " + arraySchema.type()
                    + (arraySchema.type() == Schema.Type.ARRAY
                            ? " of " + arraySchema.valueSchema().type()
                            : ""));
        }
        Schema outputSchema = schemas.get(struct.schema());
        if (outputSchema == null) {
            outputSchema = outputSchema(struct.schema());
            schemas.put(struct.schema(), outputSchema);
        }
        Struct output = new Struct(outputSchema);
        for (Field f : struct.schema().fields()) {
            Object fieldValue = struct.get(f);
            output.put(
                    f.name(),
                    f.name().equals(field) ? join((List<?>) fieldValue, arraySchema.valueSchema()) : fieldValue);
        }
        return part.with(record, outputSchema, output);
    }

    private Schema outputSchema(Schema input) {
        SchemaBuilder builder = ConnectSchemas.structLike(input);
        for (Field f : input.fields()) {
            if (f.name().equals(field)) {
                builder.field(f.name(), f.schema().isOptional() ? Schema.OPTIONAL_STRING_SCHEMA : Schema.STRING_SCHEMA);
            } else {
                builder.field(f.name(), f.schema());
            }
        }
        return builder.build();
    }

    private String join(List<?> elements, Schema elementSchema) {
        if (elements == null) {
            return null;
        }
        StringJoiner joined = new StringJoiner(delimiter);
        for (Object element : elements) {
            joined.add(element == null ? "" : Values.convertToString(elementSchema, element));
        }
        return joined.toString();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
        schemas = null;
    }

    /** Joins an array field of the record key. */
    public static class Key<R extends ConnectRecord<R>> extends JoinArray<R> {
        public Key() {
            super(RecordPart.KEY);
        }
    }

    /** Joins an array field of the record value. */
    public static class Value<R extends ConnectRecord<R>> extends JoinArray<R> {
        public Value() {
            super(RecordPart.VALUE);
        }
    }
}
