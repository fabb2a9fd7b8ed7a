package io.streamguard.connectors.transforms;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Spreads a map field over top-level columns, one per key, because a relational sink has no map column: a
 * LabeledEvent's {@code scores} {offensive: 0.9, hate: 0.1} becomes {@code score_offensive}, {@code
 * score_hate}. Column names are {@code <prefix><key>} with the key lower-cased and anything outside {@code
 * [a-z0-9_]} replaced by {@code _}. With {@code keys} set exactly those columns are produced (a key absent from
 * a record is null, any other key is dropped), so a table's columns do not depend on the records; without it
 * each record's own keys, sorted by column name. The columns take the map's place among the other fields and are optional
 * fields of the map's (primitive) value schema. Schemaless (map) records are handled the same way.
 *
 * <pre>{@code
 * "transforms": "scores",
 * "transforms.scores.type": "io.streamguard.connectors.transforms.MapToColumns$Value",
 * "transforms.scores.field": "scores",
 * "transforms.scores.prefix": "score_",
 * "transforms.scores.keys": "offensive,hate,spam"
 * }</pre>
 */
public abstract class MapToColumns<R extends ConnectRecord<R>> implements Transformation<R> {
    public static final String FIELD_CONFIG = "field";
    public static final String PREFIX_CONFIG = "prefix";
    public static final String KEYS_CONFIG = "keys";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(
                    FIELD_CONFIG,
                    ConfigDef.Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    ConfigDef.Importance.HIGH,
                    "The map field to spread over columns; its keys must be strings and its values primitive.")
            .define(
                    PREFIX_CONFIG,
                    ConfigDef.Type.STRING,
                    null,
                    ConfigDef.Importance.MEDIUM,
                    "Prepended to each key to name its column; default '<field>_'.")
            .define(
                    KEYS_CONFIG,
                    ConfigDef.Type.LIST,
                    List.of(),
                    ConfigDef.Importance.MEDIUM,
                    "The keys to make columns of, so every record has the same columns (absent keys are null,"
                            + " others dropped). Empty: each record's own keys, sorted by column name.");

    /** Distinct (input schema, key set) pairs kept; beyond it the least recently used output schema is rebuilt. */
    static final int SCHEMA_CACHE_SIZE = 64;

    private static final Pattern NOT_SQL_NAME = Pattern.compile("[^a-z0-9_]");

    private final RecordPart part;
    private String field;
    private String prefix;
    private List<String> keys;
    private Cache<SchemaKey, Schema> schemas;

    MapToColumns(RecordPart part) {
        this.part = part;
    }

    @Override
    public void configure(Map<String, ?> props) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, props);
        field = config.getString(FIELD_CONFIG);
        String configuredPrefix = config.getString(PREFIX_CONFIG);
        prefix = configuredPrefix == null ? field + "_" : configuredPrefix;
        List<String> configuredKeys = config.getList(KEYS_CONFIG);
        keys = configuredKeys.isEmpty() ? null : List.copyOf(configuredKeys);
        if (keys != null) {
            try {
                columns(keys);
            } catch (RecordShapeException e) {
                throw new ConfigException(KEYS_CONFIG, configuredKeys, e.getMessage());
            }
        }
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
            return part.with(record, null, applySchemaless(map));
        }
        throw new RecordShapeException(
                getClass().getName() + ": expected a Struct or a schemaless Map, got " + value.getClass());
    }

    private R applyWithSchema(R record, Struct struct) {
        Field mapField =
                ConnectSchemas.requireField(struct.schema(), field, getClass().getName());
        Schema mapSchema = mapField.schema();
        if (mapSchema.type() != Schema.Type.MAP
                || mapSchema.keySchema().type() != Schema.Type.STRING
                || !mapSchema.valueSchema().type().isPrimitive()) {
            throw new RecordShapeException(getClass().getName() + ": field '" + field
                    + "' must be a map with string keys and primitive values, is " + describe(mapSchema));
        }
        Map<?, ?> map = (Map<?, ?>) struct.get(mapField);
        List<String> mapKeys = keys != null ? keys : sortedKeys(map);
        SchemaKey cacheKey = new SchemaKey(struct.schema(), mapKeys);
        Schema outputSchema = schemas.get(cacheKey);
        if (outputSchema == null) {
            outputSchema = outputSchema(struct.schema(), mapField, mapKeys);
            schemas.put(cacheKey, outputSchema);
        }
        Struct output = new Struct(outputSchema);
        for (Field f : struct.schema().fields()) {
            if (!f.name().equals(field)) {
                output.put(f.name(), struct.get(f));
            }
        }
        for (String key : mapKeys) {
            output.put(column(key), map == null ? null : map.get(key));
        }
        return part.with(record, outputSchema, output);
    }

    private Schema outputSchema(Schema input, Field mapField, List<String> mapKeys) {
        List<String> columns = columns(mapKeys);
        Schema columnSchema = ConnectSchemas.optionalPrimitive(mapField.schema().valueSchema());
        SchemaBuilder builder = ConnectSchemas.structLike(input);
        for (Field f : input.fields()) {
            if (f.name().equals(field)) {
                for (String column : columns) {
                    if (input.field(column) != null) {
                        throw new RecordShapeException(
                                getClass().getName() + ": column '" + column + "' would replace field '" + column
                                        + "'; set " + PREFIX_CONFIG + " to tell them apart");
                    }
                    builder.field(column, columnSchema);
                }
            } else {
                builder.field(f.name(), f.schema());
            }
        }
        return builder.build();
    }

    private Map<String, Object> applySchemaless(Map<?, ?> value) {
        Object mapValue = value.get(field);
        if (mapValue != null && !(mapValue instanceof Map)) {
            throw new RecordShapeException(getClass().getName() + ": field '" + field + "' must be a map, is "
                    + mapValue.getClass().getName());
        }
        Map<?, ?> map = (Map<?, ?>) mapValue;
        List<String> mapKeys = keys != null ? keys : sortedKeys(map);
        Map<String, Object> output = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : value.entrySet()) {
            if (!field.equals(entry.getKey())) {
                output.put(String.valueOf(entry.getKey()), entry.getValue());
            }
        }
        for (String column : columns(mapKeys)) {
            if (output.containsKey(column)) {
                throw new RecordShapeException(getClass().getName() + ": column '" + column + "' would replace field '"
                        + column + "'; set " + PREFIX_CONFIG + " to tell them apart");
            }
        }
        for (String key : mapKeys) {
            output.put(column(key), map == null ? null : map.get(key));
        }
        return output;
    }

    private List<String> sortedKeys(Map<?, ?> map) {
        if (map == null) {
            return List.of();
        }
        List<String> sorted = new ArrayList<>(map.size());
        for (Object key : map.keySet()) {
            if (!(key instanceof String s)) {
                throw new RecordShapeException(
                        getClass().getName() + ": field '" + field + "' has a non-string key " + key);
            }
            sorted.add(s);
        }
        sorted.sort(Comparator.comparing((String key) -> sanitize(key)).thenComparing(Comparator.naturalOrder()));
        return sorted;
    }

    /** The column names of {@code mapKeys}, refusing two keys that would share one. */
    private List<String> columns(List<String> mapKeys) {
        List<String> columns = new ArrayList<>(mapKeys.size());
        Set<String> seen = new HashSet<>();
        for (String key : mapKeys) {
            String column = column(key);
            if (column.isEmpty()) {
                throw new RecordShapeException(getClass().getName() + ": key '' with an empty prefix names no column");
            }
            if (!seen.add(column)) {
                throw new RecordShapeException(getClass().getName() + ": keys of field '" + field
                        + "' collide on column '" + column + "' (" + mapKeys + ")");
            }
            columns.add(column);
        }
        return columns;
    }

    private String column(String key) {
        return prefix + sanitize(key);
    }

    /** {@code key} as a SQL-friendly column name: lower case, anything outside [a-z0-9_] becomes '_'. */
    static String sanitize(String key) {
        return NOT_SQL_NAME.matcher(key.toLowerCase(Locale.ROOT)).replaceAll("_");
    }

    private static String describe(Schema schema) {
        return schema.type() == Schema.Type.MAP
                ? "MAP<" + schema.keySchema().type() + ","
                        + schema.valueSchema().type() + ">"
                : schema.type().toString();
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public void close() {
        schemas = null;
    }

    private record SchemaKey(Schema schema, List<String> keys) {}

    /** Spreads a map field of the record key. */
    public static class Key<R extends ConnectRecord<R>> extends MapToColumns<R> {
        public Key() {
            super(RecordPart.KEY);
        }
    }

    /** Spreads a map field of the record value. */
    public static class Value<R extends ConnectRecord<R>> extends MapToColumns<R> {
        public Value() {
            super(RecordPart.VALUE);
        }
    }
}
