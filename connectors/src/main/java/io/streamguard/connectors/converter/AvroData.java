package io.streamguard.connectors.converter;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.JsonProperties;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Translates Avro schemas and generic values to Connect schemas and values and back, so the converter's wire
 * handling stays separate from the type mapping. Schema translations are cached both ways in bounded LRU caches
 * (a converter sees few distinct schemas, but each translation walks the whole schema).
 *
 * <p>The mapping, Avro to Connect (the reverse restores the Avro schema):
 *
 * <ul>
 *   <li>record: STRUCT named with the record's full name, field docs and defaults carried (except defaults of
 *       record-typed fields, which a Connect schema cannot hold);
 *   <li>{@code ["null", T]} (either order): T's schema made optional; Connect optional fields become {@code ["null",
 *       T]} with default null, or {@code [T, "null"]} when the Connect default is not null;
 *   <li>enum: STRING with parameters {@value #ENUM} = the enum's full name and {@code
 *       io.confluent.connect.avro.Enum.<SYMBOL>} = SYMBOL per symbol, in order (Confluent's AvroData does the
 *       same), plus {@value #ENUM_DEFAULT} = the enum's default symbol if it has one;
 *   <li>map (string keys) and array: MAP(STRING, V) and ARRAY(V);
 *   <li>bytes: BYTES; fixed: BYTES named with the fixed's full name and parameter {@value #FIXED_SIZE};
 *   <li>logical types: timestamp-millis, date, time-millis, decimal to Connect's Timestamp, Date, Time, Decimal
 *       (precision in parameter {@value #DECIMAL_PRECISION}, default 64 when Connect gives none); others
 *       (timestamp-micros, uuid, ...) stay their underlying type, and come back without the logical type;
 *   <li>Connect INT8/INT16 become Avro int with property {@value #CONNECT_TYPE} so they come back as such.
 * </ul>
 *
 * <p>Not supported, with an {@link UnsupportedSchemaException} naming where: unions of several non-null types
 * (map them to a record with one optional field per branch upstream), recursive records, maps with non-string
 * keys, names Avro does not accept. A Connect STRUCT without a name becomes an Avro record named {@value
 * #DEFAULT_NAMESPACE}.{@value #DEFAULT_NAME}1, 2, ... numbered in schema order, so the same Connect schema always
 * gives the same Avro schema.
 *
 * <p>Thread-safe.
 */
public final class AvroData {

    public static final String ENUM = "io.confluent.connect.avro.Enum";
    public static final String ENUM_DEFAULT = "io.streamguard.connect.avro.Enum.default";
    public static final String FIXED_SIZE = "connect.fixed.size";
    public static final String FIXED_NAME = "io.streamguard.connect.avro.fixed.name";
    public static final String DECIMAL_PRECISION = "connect.decimal.precision";
    public static final String CONNECT_TYPE = "connect.type";
    public static final String DEFAULT_NAMESPACE = "io.streamguard.connect";
    public static final String DEFAULT_NAME = "ConnectDefault";
    static final int DEFAULT_DECIMAL_PRECISION = 64;

    private record ToConnectKey(org.apache.avro.Schema schema, Integer version) {}

    private final Cache<ToConnectKey, Schema> toConnectCache;
    private final Cache<Schema, org.apache.avro.Schema> fromConnectCache;

    /** @param cacheSize schema translations kept per direction */
    public AvroData(int cacheSize) {
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cacheSize must be >= 1: " + cacheSize);
        }
        this.toConnectCache = new SynchronizedCache<>(new LRUCache<>(cacheSize));
        this.fromConnectCache = new SynchronizedCache<>(new LRUCache<>(cacheSize));
    }

    // ---- Avro -> Connect ----

    /**
     * The Connect schema of an Avro record schema, named with its full name and carrying {@code version} (may be
     * null).
     */
    public Schema toConnectSchema(org.apache.avro.Schema avro, Integer version) {
        ToConnectKey key = new ToConnectKey(avro, version);
        Schema cached = toConnectCache.get(key);
        if (cached != null) {
            return cached;
        }
        Schema schema =
                toConnectBuilder(avro, new HashSet<>(), "").version(version).build();
        toConnectCache.put(key, schema);
        return schema;
    }

    /** An Avro value (as Avro's generic model reads it, without conversions) with its Connect schema. */
    public SchemaAndValue toConnectData(org.apache.avro.Schema avro, Object value, Integer version) {
        Schema schema = toConnectSchema(avro, version);
        return new SchemaAndValue(schema, toConnectValue(schema, avro, value));
    }

    private SchemaBuilder toConnectBuilder(org.apache.avro.Schema avro, Set<String> enclosing, String path) {
        LogicalType logical = avro.getLogicalType();
        switch (avro.getType()) {
            case BOOLEAN:
                return SchemaBuilder.bool();
            case INT:
                if (logical instanceof LogicalTypes.Date) {
                    return Date.builder();
                }
                if (logical instanceof LogicalTypes.TimeMillis) {
                    return Time.builder();
                }
                String connectType = avro.getProp(CONNECT_TYPE);
                if ("int8".equals(connectType)) {
                    return SchemaBuilder.int8();
                }
                return "int16".equals(connectType) ? SchemaBuilder.int16() : SchemaBuilder.int32();
            case LONG:
                return logical instanceof LogicalTypes.TimestampMillis ? Timestamp.builder() : SchemaBuilder.int64();
            case FLOAT:
                return SchemaBuilder.float32();
            case DOUBLE:
                return SchemaBuilder.float64();
            case STRING:
                return SchemaBuilder.string();
            case BYTES:
                return logical instanceof LogicalTypes.Decimal decimal
                        ? decimalBuilder(decimal)
                        : SchemaBuilder.bytes();
            case FIXED:
                if (logical instanceof LogicalTypes.Decimal decimal) {
                    return decimalBuilder(decimal)
                            .parameter(FIXED_SIZE, String.valueOf(avro.getFixedSize()))
                            .parameter(FIXED_NAME, avro.getFullName());
                }
                return SchemaBuilder.bytes()
                        .name(avro.getFullName())
                        .parameter(FIXED_SIZE, String.valueOf(avro.getFixedSize()));
            case ENUM:
                SchemaBuilder enumBuilder = SchemaBuilder.string().parameter(ENUM, avro.getFullName());
                for (String symbol : avro.getEnumSymbols()) {
                    enumBuilder.parameter(ENUM + "." + symbol, symbol);
                }
                if (avro.getEnumDefault() != null) {
                    enumBuilder.parameter(ENUM_DEFAULT, avro.getEnumDefault());
                }
                return avro.getDoc() == null ? enumBuilder : enumBuilder.doc(avro.getDoc());
            case ARRAY:
                return SchemaBuilder.array(toConnectBuilder(avro.getElementType(), enclosing, path + "[]")
                        .build());
            case MAP:
                return SchemaBuilder.map(
                        Schema.STRING_SCHEMA,
                        toConnectBuilder(avro.getValueType(), enclosing, path + "{}")
                                .build());
            case UNION:
                org.apache.avro.Schema branch = nullableBranch(avro, path);
                return toConnectBuilder(branch, enclosing, path).optional();
            case RECORD:
                return recordBuilder(avro, enclosing, path);
            case NULL:
            default:
                throw new UnsupportedSchemaException(
                        "Avro type " + avro.getType() + " at " + where(path) + " has no Connect equivalent");
        }
    }

    private SchemaBuilder recordBuilder(org.apache.avro.Schema avro, Set<String> enclosing, String path) {
        if (!enclosing.add(avro.getFullName())) {
            throw new UnsupportedSchemaException("Avro record " + avro.getFullName() + " at " + where(path)
                    + " contains itself; Connect schemas cannot be recursive");
        }
        SchemaBuilder builder = SchemaBuilder.struct().name(avro.getFullName());
        if (avro.getDoc() != null) {
            builder.doc(avro.getDoc());
        }
        for (org.apache.avro.Schema.Field field : avro.getFields()) {
            String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            SchemaBuilder fieldBuilder = toConnectBuilder(field.schema(), enclosing, fieldPath);
            boolean recordTyped = fieldBuilder.type() == Schema.Type.STRUCT;
            // A Connect schema has one doc: a record's or enum's own, else the field's.
            if (field.doc() != null && !carriesTypeDoc(fieldBuilder)) {
                fieldBuilder.doc(field.doc());
            }
            // A Struct default would have to carry the schema being built; Connect cannot express that.
            if (field.hasDefaultValue() && !recordTyped) {
                Object avroDefault = GenericData.get().getDefaultValue(field);
                if (avroDefault != null) {
                    fieldBuilder.defaultValue(toConnectValue(fieldBuilder, field.schema(), avroDefault));
                }
            }
            builder.field(field.name(), fieldBuilder.build());
        }
        enclosing.remove(avro.getFullName());
        return builder;
    }

    /** Whether {@code schema}'s doc is that of an Avro record or enum rather than of the field using it. */
    private static boolean carriesTypeDoc(Schema schema) {
        return schema.type() == Schema.Type.STRUCT
                || (schema.parameters() != null && schema.parameters().containsKey(ENUM));
    }

    private static SchemaBuilder decimalBuilder(LogicalTypes.Decimal decimal) {
        return Decimal.builder(decimal.getScale()).parameter(DECIMAL_PRECISION, String.valueOf(decimal.getPrecision()));
    }

    /** T of {@code ["null", T]} or {@code [T, "null"]}; anything else is unsupported. */
    private static org.apache.avro.Schema nullableBranch(org.apache.avro.Schema union, String path) {
        List<org.apache.avro.Schema> types = union.getTypes();
        List<org.apache.avro.Schema> nonNull = types.stream()
                .filter(t -> t.getType() != org.apache.avro.Schema.Type.NULL)
                .toList();
        if (nonNull.size() == 1 && types.size() == 2) {
            return nonNull.get(0);
        }
        throw new UnsupportedSchemaException("Avro union " + union + " at " + where(path)
                + " is not supported: only [\"null\", T] maps to Connect (an optional T); use a record with one"
                + " optional field per branch instead");
    }

    /**
     * {@code value} in Avro's generic representation (Utf8 or String, ByteBuffer, GenericFixed, GenericEnumSymbol,
     * IndexedRecord, epoch numbers for logical types) as a value of {@code schema}.
     */
    Object toConnectValue(Schema schema, org.apache.avro.Schema avro, Object value) {
        if (value == null) {
            return null;
        }
        if (avro.getType() == org.apache.avro.Schema.Type.UNION) {
            avro = avro.getTypes().get(GenericData.get().resolveUnion(avro, value));
            if (avro.getType() == org.apache.avro.Schema.Type.NULL) {
                return null;
            }
        }
        LogicalType logical = avro.getLogicalType();
        switch (avro.getType()) {
            case RECORD:
                IndexedRecord record = (IndexedRecord) value;
                Struct struct = new Struct(schema);
                for (Field field : schema.fields()) {
                    org.apache.avro.Schema.Field avroField = avro.getField(field.name());
                    struct.put(field, toConnectValue(field.schema(), avroField.schema(), record.get(avroField.pos())));
                }
                return struct;
            case ENUM:
            case STRING:
                return value.toString();
            case BYTES:
            case FIXED:
                byte[] bytes =
                        value instanceof GenericFixed fixed ? fixed.bytes().clone() : bytesOf(value);
                return logical instanceof LogicalTypes.Decimal ? Decimal.toLogical(schema, bytes) : bytes;
            case INT:
                int i = (Integer) value;
                if (logical instanceof LogicalTypes.Date) {
                    return Date.toLogical(schema, i);
                }
                if (logical instanceof LogicalTypes.TimeMillis) {
                    return Time.toLogical(schema, i);
                }
                return switch (schema.type()) {
                    case INT8 -> (byte) i;
                    case INT16 -> (short) i;
                    default -> i;
                };
            case LONG:
                return logical instanceof LogicalTypes.TimestampMillis
                        ? Timestamp.toLogical(schema, (Long) value)
                        : value;
            case ARRAY:
                Collection<?> items = (Collection<?>) value;
                List<Object> list = new ArrayList<>(items.size());
                for (Object item : items) {
                    list.add(toConnectValue(schema.valueSchema(), avro.getElementType(), item));
                }
                return list;
            case MAP:
                Map<?, ?> entries = (Map<?, ?>) value;
                org.apache.avro.Schema valueType = avro.getValueType();
                Map<String, Object> map = new LinkedHashMap<>(entries.size() * 2);
                entries.forEach((k, v) -> map.put(k.toString(), toConnectValue(schema.valueSchema(), valueType, v)));
                return map;
            default:
                return value; // boolean, float, double
        }
    }

    private static byte[] bytesOf(Object value) {
        if (value instanceof byte[] array) {
            return array.clone();
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    // ---- Connect -> Avro ----

    /** The Avro schema of a Connect schema (see the class comment for the mapping). */
    public org.apache.avro.Schema fromConnectSchema(Schema schema) {
        org.apache.avro.Schema cached = fromConnectCache.get(schema);
        if (cached != null) {
            return cached;
        }
        org.apache.avro.Schema avro;
        try {
            // The top level is never a union, even for an optional schema (as Debezium's envelopes are).
            avro = fromConnectType(schema, new Names(), "");
        } catch (AvroRuntimeException e) {
            // Avro rejects invalid names and defaults that do not fit.
            throw new UnsupportedSchemaException(
                    "Connect schema " + describe(schema) + " has no Avro equivalent: " + e.getMessage(), e);
        }
        fromConnectCache.put(schema, avro);
        return avro;
    }

    /** The Avro value (generic model) of a Connect value of {@code schema}, laid out as {@link #fromConnectSchema}. */
    public Object fromConnectData(Schema schema, Object value) {
        return fromConnectValue(schema, fromConnectSchema(schema), value, "");
    }

    /** Named types defined so far in one translation: Avro allows each name once per schema. */
    private static final class Names {
        final Map<String, Schema> connect = new HashMap<>();
        final Map<String, org.apache.avro.Schema> avro = new HashMap<>();
        int unnamed;

        /** The Avro schema already defined for {@code name}, if {@code schema} is the same type. */
        org.apache.avro.Schema existing(String name, Schema schema, String path) {
            Schema defined = connect.get(name);
            if (defined == null) {
                return null;
            }
            boolean same = defined.type() == schema.type()
                    && (schema.type() != Schema.Type.STRUCT || defined.fields().equals(schema.fields()))
                    && Objects.equals(defined.parameters(), schema.parameters());
            if (!same) {
                throw new UnsupportedSchemaException(
                        "two different Connect schemas are named " + name + " (second at " + where(path) + ")");
            }
            return avro.get(name);
        }

        void define(String name, Schema schema, org.apache.avro.Schema defined) {
            connect.put(name, schema);
            avro.put(name, defined);
        }
    }

    /** {@code schema}'s Avro type, in a union with null if it is optional. */
    private org.apache.avro.Schema nullable(Schema schema, Names names, String path) {
        org.apache.avro.Schema avro = fromConnectType(schema, names, path);
        if (!schema.isOptional()) {
            return avro;
        }
        org.apache.avro.Schema nullSchema = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.NULL);
        // A union's default must match its first branch.
        return schema.defaultValue() == null
                ? org.apache.avro.Schema.createUnion(nullSchema, avro)
                : org.apache.avro.Schema.createUnion(avro, nullSchema);
    }

    private org.apache.avro.Schema fromConnectType(Schema schema, Names names, String path) {
        String name = schema.name();
        Map<String, String> params = schema.parameters() == null ? Map.of() : schema.parameters();
        if (Decimal.LOGICAL_NAME.equals(name)) {
            int scale = Integer.parseInt(params.get(Decimal.SCALE_FIELD));
            String precision = params.get(DECIMAL_PRECISION);
            LogicalTypes.Decimal decimal = LogicalTypes.decimal(
                    precision == null ? DEFAULT_DECIMAL_PRECISION : Integer.parseInt(precision), scale);
            org.apache.avro.Schema base = params.containsKey(FIXED_SIZE)
                    ? fixed(params.getOrDefault(FIXED_NAME, defaultName(names)), params, schema, names, path)
                    : org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES);
            return decimal.addToSchema(base);
        }
        if (Date.LOGICAL_NAME.equals(name)) {
            return LogicalTypes.date().addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
        }
        if (Time.LOGICAL_NAME.equals(name)) {
            return LogicalTypes.timeMillis()
                    .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT));
        }
        if (Timestamp.LOGICAL_NAME.equals(name)) {
            return LogicalTypes.timestampMillis()
                    .addToSchema(org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG));
        }
        switch (schema.type()) {
            case INT8:
            case INT16:
                org.apache.avro.Schema small = org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
                small.addProp(CONNECT_TYPE, schema.type().getName());
                return small;
            case INT32:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.INT);
            case INT64:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.LONG);
            case FLOAT32:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.FLOAT);
            case FLOAT64:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.DOUBLE);
            case BOOLEAN:
                return org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BOOLEAN);
            case STRING:
                return params.containsKey(ENUM)
                        ? enumSchema(params, schema, names, path)
                        : org.apache.avro.Schema.create(org.apache.avro.Schema.Type.STRING);
            case BYTES:
                return params.containsKey(FIXED_SIZE)
                        ? fixed(name == null ? defaultName(names) : name, params, schema, names, path)
                        : org.apache.avro.Schema.create(org.apache.avro.Schema.Type.BYTES);
            case ARRAY:
                return org.apache.avro.Schema.createArray(nullable(schema.valueSchema(), names, path + "[]"));
            case MAP:
                if (schema.keySchema().type() != Schema.Type.STRING) {
                    throw new UnsupportedSchemaException("Connect map at " + where(path) + " has "
                            + schema.keySchema().type() + " keys; Avro maps need string keys");
                }
                return org.apache.avro.Schema.createMap(nullable(schema.valueSchema(), names, path + "{}"));
            case STRUCT:
                return record(schema, names, path);
            default:
                throw new UnsupportedSchemaException(
                        "Connect type " + schema.type() + " at " + where(path) + " has no Avro equivalent");
        }
    }

    private org.apache.avro.Schema record(Schema schema, Names names, String path) {
        String fullName = schema.name() == null ? defaultName(names) : schema.name();
        org.apache.avro.Schema existing = names.existing(fullName, schema, path);
        if (existing != null) {
            return existing;
        }
        List<org.apache.avro.Schema.Field> fields = new ArrayList<>();
        for (Field field : schema.fields()) {
            String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
            Schema fieldSchema = field.schema();
            org.apache.avro.Schema avroType = nullable(fieldSchema, names, fieldPath);
            String doc = carriesTypeDoc(fieldSchema) ? null : fieldSchema.doc();
            fields.add(new org.apache.avro.Schema.Field(field.name(), avroType, doc, avroDefault(fieldSchema)));
        }
        org.apache.avro.Schema record =
                org.apache.avro.Schema.createRecord(simpleName(fullName), schema.doc(), namespace(fullName), false);
        record.setFields(fields);
        names.define(fullName, schema, record);
        return record;
    }

    private static org.apache.avro.Schema enumSchema(
            Map<String, String> params, Schema schema, Names names, String path) {
        String fullName = params.get(ENUM);
        org.apache.avro.Schema existing = names.existing(fullName, schema, path);
        if (existing != null) {
            return existing;
        }
        String prefix = ENUM + ".";
        List<String> symbols = params.keySet().stream()
                .filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length()))
                .toList();
        org.apache.avro.Schema avro = org.apache.avro.Schema.createEnum(
                simpleName(fullName), schema.doc(), namespace(fullName), symbols, params.get(ENUM_DEFAULT));
        names.define(fullName, schema, avro);
        return avro;
    }

    private static org.apache.avro.Schema fixed(
            String fullName, Map<String, String> params, Schema schema, Names names, String path) {
        org.apache.avro.Schema existing = names.existing(fullName, schema, path);
        if (existing != null) {
            return existing;
        }
        org.apache.avro.Schema avro = org.apache.avro.Schema.createFixed(
                simpleName(fullName), null, namespace(fullName), Integer.parseInt(params.get(FIXED_SIZE)));
        names.define(fullName, schema, avro);
        return avro;
    }

    private static String defaultName(Names names) {
        return DEFAULT_NAMESPACE + "." + DEFAULT_NAME + ++names.unnamed;
    }

    private static String simpleName(String fullName) {
        return fullName.substring(fullName.lastIndexOf('.') + 1);
    }

    private static String namespace(String fullName) {
        int dot = fullName.lastIndexOf('.');
        return dot < 0 ? null : fullName.substring(0, dot);
    }

    /** The Avro field default for a Connect field schema, in the JSON-like form Avro's Field constructor takes. */
    private static Object avroDefault(Schema schema) {
        Object value = schema.defaultValue();
        if (value == null) {
            return schema.isOptional() ? JsonProperties.NULL_VALUE : null;
        }
        return jsonDefault(schema, value);
    }

    private static Object jsonDefault(Schema schema, Object value) {
        if (value == null) {
            return JsonProperties.NULL_VALUE;
        }
        String name = schema.name();
        if (Decimal.LOGICAL_NAME.equals(name)) {
            byte[] unscaled = Decimal.fromLogical(schema, (BigDecimal) value);
            String size = schema.parameters().get(FIXED_SIZE);
            return new String(
                    size == null ? unscaled : signExtend(unscaled, Integer.parseInt(size), "default"),
                    StandardCharsets.ISO_8859_1);
        }
        if (Date.LOGICAL_NAME.equals(name)) {
            return Date.fromLogical(schema, (java.util.Date) value);
        }
        if (Time.LOGICAL_NAME.equals(name)) {
            return Time.fromLogical(schema, (java.util.Date) value);
        }
        if (Timestamp.LOGICAL_NAME.equals(name)) {
            return Timestamp.fromLogical(schema, (java.util.Date) value);
        }
        switch (schema.type()) {
            case INT8:
            case INT16:
                return ((Number) value).intValue();
            case BYTES:
                // Avro's JSON form of bytes: one ISO-8859-1 character per byte.
                return new String(bytesOf(value), StandardCharsets.ISO_8859_1);
            case ARRAY:
                List<Object> list = new ArrayList<>();
                for (Object item : (Collection<?>) value) {
                    list.add(jsonDefault(schema.valueSchema(), item));
                }
                return list;
            case MAP:
                Map<String, Object> map = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((k, v) -> map.put(k.toString(), jsonDefault(schema.valueSchema(), v)));
                return map;
            case STRUCT:
                Struct struct = (Struct) value;
                Map<String, Object> fields = new LinkedHashMap<>();
                for (Field field : schema.fields()) {
                    fields.put(field.name(), jsonDefault(field.schema(), struct.get(field)));
                }
                return fields;
            default:
                return value;
        }
    }

    private Object fromConnectValue(Schema schema, org.apache.avro.Schema avro, Object value, String path) {
        if (value == null) {
            if (avro.isNullable()) {
                return null;
            }
            throw new UnwritableRecordException(where(path) + " is null, but its schema requires a value");
        }
        if (avro.getType() == org.apache.avro.Schema.Type.UNION) {
            avro = nullableBranch(avro, path);
        }
        LogicalType logical = avro.getLogicalType();
        try {
            switch (avro.getType()) {
                case RECORD:
                    Struct struct = (Struct) value;
                    GenericData.Record record = new GenericData.Record(avro);
                    for (Field field : schema.fields()) {
                        String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
                        org.apache.avro.Schema.Field avroField = avro.getField(field.name());
                        record.put(
                                avroField.pos(),
                                fromConnectValue(field.schema(), avroField.schema(), struct.get(field), fieldPath));
                    }
                    return record;
                case ENUM:
                    String symbol = (String) value;
                    if (!avro.hasEnumSymbol(symbol)) {
                        throw new UnwritableRecordException(where(path) + " is '" + symbol + "', not a symbol of enum "
                                + avro.getFullName() + " " + avro.getEnumSymbols());
                    }
                    return new GenericData.EnumSymbol(avro, symbol);
                case STRING:
                    return value;
                case BYTES:
                    return ByteBuffer.wrap(
                            logical instanceof LogicalTypes.Decimal
                                    ? Decimal.fromLogical(schema, (BigDecimal) value)
                                    : bytesOf(value));
                case FIXED:
                    byte[] bytes = logical instanceof LogicalTypes.Decimal
                            ? signExtend(Decimal.fromLogical(schema, (BigDecimal) value), avro.getFixedSize(), path)
                            : bytesOf(value);
                    if (bytes.length != avro.getFixedSize()) {
                        throw new UnwritableRecordException(where(path) + " has " + bytes.length
                                + " byte(s), but fixed " + avro.getFullName() + " holds " + avro.getFixedSize());
                    }
                    return new GenericData.Fixed(avro, bytes);
                case INT:
                    if (logical instanceof LogicalTypes.Date) {
                        return Date.fromLogical(schema, (java.util.Date) value);
                    }
                    if (logical instanceof LogicalTypes.TimeMillis) {
                        return Time.fromLogical(schema, (java.util.Date) value);
                    }
                    return ((Number) value).intValue();
                case LONG:
                    return logical instanceof LogicalTypes.TimestampMillis
                            ? Timestamp.fromLogical(schema, (java.util.Date) value)
                            : ((Number) value).longValue();
                case ARRAY:
                    Collection<?> items = (Collection<?>) value;
                    List<Object> list = new ArrayList<>(items.size());
                    for (Object item : items) {
                        list.add(fromConnectValue(schema.valueSchema(), avro.getElementType(), item, path + "[]"));
                    }
                    return list;
                case MAP:
                    Map<?, ?> entries = (Map<?, ?>) value;
                    Map<String, Object> map = new LinkedHashMap<>(entries.size() * 2);
                    for (Map.Entry<?, ?> e : entries.entrySet()) {
                        map.put(
                                e.getKey().toString(),
                                fromConnectValue(schema.valueSchema(), avro.getValueType(), e.getValue(), path + "{}"));
                    }
                    return map;
                default:
                    return value; // boolean, float, double
            }
        } catch (ClassCastException | DataException e) {
            if (e instanceof UnwritableRecordException unwritable) {
                throw unwritable;
            }
            throw new UnwritableRecordException(
                    where(path) + " does not fit its schema " + describe(schema) + ": " + e.getMessage(), e);
        }
    }

    /** Big-endian two's complement {@code bytes} widened to {@code size} bytes. */
    private static byte[] signExtend(byte[] bytes, int size, String path) {
        if (bytes.length > size) {
            throw new UnwritableRecordException(
                    where(path) + " needs " + bytes.length + " byte(s), more than its fixed size " + size);
        }
        byte[] out = new byte[size];
        Arrays.fill(out, 0, size - bytes.length, bytes.length > 0 && bytes[0] < 0 ? (byte) -1 : 0);
        System.arraycopy(bytes, 0, out, size - bytes.length, bytes.length);
        return out;
    }

    private static String where(String path) {
        return path.isEmpty() ? "the top level" : "field '" + path + "'";
    }

    private static String describe(Schema schema) {
        return schema.name() == null ? schema.type().toString() : schema.type() + " " + schema.name();
    }
}
