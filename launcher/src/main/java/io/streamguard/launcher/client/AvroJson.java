package io.streamguard.launcher.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Avro datum → plain JSON for humans and {@code jq}: union values appear unwrapped (not Avro's
 * {@code {"string": ...}} JSON encoding), timestamps as ISO-8601 instants, bytes as base64, fixed
 * as hex.
 */
public final class AvroJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {}

    public static JsonNode toJson(Object datum) {
        return toJson(datum, null);
    }

    /**
     * {@code schema} (may be null) only refines how a bare long is shown (timestamp logical types).
     */
    private static JsonNode toJson(Object datum, Schema schema) {
        if (datum == null) {
            return NODES.nullNode();
        }
        if (datum instanceof IndexedRecord record) {
            ObjectNode node = NODES.objectNode();
            for (Schema.Field field : record.getSchema().getFields()) {
                node.set(field.name(), toJson(record.get(field.pos()), field.schema()));
            }
            return node;
        }
        if (datum instanceof Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            Schema values = nonNull(schema) != null && nonNull(schema).getType() == Schema.Type.MAP
                    ? nonNull(schema).getValueType()
                    : null;
            map.forEach((k, v) -> node.set(String.valueOf(k), toJson(v, values)));
            return node;
        }
        if (datum instanceof Collection<?> items) {
            ArrayNode node = NODES.arrayNode();
            Schema elements = nonNull(schema) != null && nonNull(schema).getType() == Schema.Type.ARRAY
                    ? nonNull(schema).getElementType()
                    : null;
            items.forEach(item -> node.add(toJson(item, elements)));
            return node;
        }
        if (datum instanceof CharSequence || datum instanceof GenericEnumSymbol<?>) {
            return NODES.textNode(datum.toString());
        }
        if (datum instanceof Long l && isTimestamp(nonNull(schema))) {
            LogicalType type = nonNull(schema).getLogicalType();
            return NODES.textNode(
                    type instanceof LogicalTypes.TimestampMicros || type instanceof LogicalTypes.LocalTimestampMicros
                            ? Instant.EPOCH.plusNanos(l * 1_000).toString()
                            : Instant.ofEpochMilli(l).toString());
        }
        if (datum instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (datum instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (datum instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (datum instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (datum instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (datum instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (datum instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
        }
        if (datum instanceof GenericFixed fixed) {
            return NODES.textNode(HexFormat.of().formatHex(fixed.bytes()));
        }
        if (datum instanceof TemporalAccessor || datum instanceof UUID) {
            return NODES.textNode(datum.toString()); // Instant, LocalDate, LocalTime, ...: ISO-8601
        }
        return NODES.textNode(String.valueOf(datum));
    }

    private static boolean isTimestamp(Schema schema) {
        if (schema == null || schema.getLogicalType() == null) {
            return false;
        }
        LogicalType t = schema.getLogicalType();
        return t instanceof LogicalTypes.TimestampMillis
                || t instanceof LogicalTypes.TimestampMicros
                || t instanceof LogicalTypes.LocalTimestampMillis
                || t instanceof LogicalTypes.LocalTimestampMicros;
    }

    /** The non-null branch of a {@code ["null", X]} union, or the schema itself. */
    private static Schema nonNull(Schema schema) {
        if (schema == null || schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        return schema.getTypes().stream()
                .filter(s -> s.getType() != Schema.Type.NULL)
                .findFirst()
                .orElse(schema);
    }
}
