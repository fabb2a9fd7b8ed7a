package io.streamguard.connectors.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.TextEvent;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema.Parser;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.junit.jupiter.api.Test;

class AvroDataTest {

    private final AvroData data = new AvroData(10);

    private static org.apache.avro.Schema parse(String json) {
        return new Parser().parse(json);
    }

    private static final org.apache.avro.Schema TYPES = parse("""
            {"type": "record", "name": "Types", "namespace": "io.streamguard.test", "doc": "all of them", "fields": [
              {"name": "date", "type": {"type": "int", "logicalType": "date"}},
              {"name": "time", "type": {"type": "int", "logicalType": "time-millis"}},
              {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "micros", "type": {"type": "long", "logicalType": "timestamp-micros"}},
              {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
              {"name": "fixedAmount", "type": {"type": "fixed", "name": "Money", "size": 8,
                "logicalType": "decimal", "precision": 18, "scale": 3}},
              {"name": "raw", "type": "bytes", "default": "\\u0001\\u0002"},
              {"name": "hash", "type": {"type": "fixed", "name": "Hash", "size": 4}},
              {"name": "color", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN"],
                "default": "RED"}, "default": "GREEN"},
              {"name": "f", "type": "float", "default": 1.5},
              {"name": "n", "type": ["null", "long"], "default": null},
              {"name": "s", "type": ["string", "null"], "default": "dflt", "doc": "string first"},
              {"name": "items", "type": {"type": "array", "items": ["null", "int"]}},
              {"name": "nested", "type": {"type": "map", "values": {"type": "record", "name": "Inner",
                "fields": [{"name": "x", "type": "int"}]}}}
            ]}""");

    private static GenericRecord typesRecord() {
        org.apache.avro.Schema inner = TYPES.getField("nested").schema().getValueType();
        return new GenericRecordBuilder(TYPES)
                .set("date", 19_000)
                .set("time", 3_600_000)
                .set("ts", 1_700_000_000_123L)
                .set("micros", 1_700_000_000_123_456L)
                .set(
                        "amount",
                        ByteBuffer.wrap(new BigDecimal("-12.34").unscaledValue().toByteArray()))
                .set(
                        "fixedAmount",
                        new GenericData.Fixed(
                                TYPES.getField("fixedAmount").schema(), new byte[] {0, 0, 0, 0, 0, 0, 0x30, 0x39}))
                .set("hash", new GenericData.Fixed(TYPES.getField("hash").schema(), new byte[] {1, 2, 3, 4}))
                .set("color", new GenericData.EnumSymbol(TYPES.getField("color").schema(), "GREEN"))
                .set("n", 7L)
                .set("items", List.of(1, 2))
                .set(
                        "nested",
                        Map.of("k", new GenericRecordBuilder(inner).set("x", 5).build()))
                .build();
    }

    @Test
    void logicalTypesEnumsFixedAndUnionsMapToConnect() {
        SchemaAndValue converted = data.toConnectData(TYPES, typesRecord(), 3);
        Schema schema = converted.schema();
        Struct struct = (Struct) converted.value();

        assertThat(schema.name()).isEqualTo("io.streamguard.test.Types");
        assertThat(schema.version()).isEqualTo(3);
        assertThat(schema.doc()).isEqualTo("all of them");
        assertThat(schema.field("date").schema().name()).isEqualTo(Date.LOGICAL_NAME);
        assertThat(struct.get("date")).isEqualTo(new java.util.Date(19_000L * 86_400_000L));
        assertThat(schema.field("time").schema().name()).isEqualTo(Time.LOGICAL_NAME);
        assertThat(struct.get("time")).isEqualTo(new java.util.Date(3_600_000L));
        assertThat(schema.field("ts").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(struct.get("ts")).isEqualTo(new java.util.Date(1_700_000_000_123L));
        assertThat(schema.field("micros").schema().type()).isEqualTo(Schema.Type.INT64);
        assertThat(struct.getInt64("micros")).isEqualTo(1_700_000_000_123_456L);
        assertThat(schema.field("amount").schema().name()).isEqualTo(Decimal.LOGICAL_NAME);
        assertThat(schema.field("amount").schema().parameters()).containsEntry(AvroData.DECIMAL_PRECISION, "10");
        assertThat(struct.get("amount")).isEqualTo(new BigDecimal("-12.34"));
        assertThat(struct.get("fixedAmount")).isEqualTo(new BigDecimal("12.345"));
        assertThat(schema.field("hash").schema().name()).isEqualTo("io.streamguard.test.Hash");
        assertThat(struct.getBytes("hash")).containsExactly(1, 2, 3, 4);
        assertThat(schema.field("raw").schema().defaultValue()).isEqualTo(new byte[] {1, 2});
        assertThat(struct.getString("color")).isEqualTo("GREEN");
        assertThat(schema.field("color").schema().defaultValue()).isEqualTo("GREEN");
        assertThat(schema.field("color").schema().parameters()).containsEntry(AvroData.ENUM_DEFAULT, "RED");
        assertThat(schema.field("f").schema().defaultValue()).isEqualTo(1.5f);
        assertThat(schema.field("n").schema().isOptional()).isTrue();
        assertThat(struct.getInt64("n")).isEqualTo(7L);
        assertThat(schema.field("s").schema().isOptional()).isTrue();
        assertThat(schema.field("s").schema().defaultValue()).isEqualTo("dflt");
        assertThat(schema.field("s").schema().doc()).isEqualTo("string first");
        assertThat(schema.field("items").schema().valueSchema().isOptional()).isTrue();
        assertThat(struct.getArray("items")).containsExactly(1, 2);
        Map<String, Struct> nested = struct.getMap("nested");
        assertThat(nested.get("k").getInt32("x")).isEqualTo(5);
    }

    @Test
    void connectSchemaTranslatedBackIsTheAvroSchema() {
        for (org.apache.avro.Schema avro : List.of(TYPES, LabeledEvent.getClassSchema(), TextEvent.getClassSchema())) {
            Schema connect = data.toConnectSchema(avro, null);
            org.apache.avro.Schema back = data.fromConnectSchema(connect);

            // Equal but for the avro.java.string properties of the generated classes, which Connect cannot carry,
            // and timestamp-micros, which is a plain INT64 in Connect.
            String expected = avro.toString()
                    .replace("{\"type\":\"string\",\"avro.java.string\":\"String\"}", "\"string\"")
                    .replace(",\"avro.java.string\":\"String\"", "")
                    .replace("{\"type\":\"long\",\"logicalType\":\"timestamp-micros\"}", "\"long\"");
            assertThat(back.toString()).isEqualTo(expected);
            assertThat(SchemaNormalization.parsingFingerprint64(back))
                    .isEqualTo(SchemaNormalization.parsingFingerprint64(avro));
        }
    }

    @Test
    void valuesRoundTripThroughConnect() {
        GenericRecord record = typesRecord();
        SchemaAndValue connect = data.toConnectData(TYPES, record, null);

        Object back = data.fromConnectData(connect.schema(), connect.value());

        assertThat(back).hasToString(record.toString());
    }

    @Test
    void unnamedConnectStructsGetNumberedDefaultNames() {
        Schema inner = SchemaBuilder.struct().field("x", Schema.INT32_SCHEMA).build();
        Schema outer = SchemaBuilder.struct()
                .field("a", inner)
                .field(
                        "b",
                        SchemaBuilder.struct()
                                .field("y", Schema.STRING_SCHEMA)
                                .optional()
                                .build())
                .field("c", inner)
                .build();

        org.apache.avro.Schema avro = data.fromConnectSchema(outer);

        assertThat(avro.getFullName()).isEqualTo("io.streamguard.connect.ConnectDefault1");
        assertThat(avro.getField("a").schema().getFullName()).isEqualTo("io.streamguard.connect.ConnectDefault2");
        assertThat(avro.getField("b").schema().getTypes().get(1).getFullName())
                .isEqualTo("io.streamguard.connect.ConnectDefault3");
        assertThat(avro.getField("b").defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
        assertThat(avro.getField("c").schema().getFullName()).isEqualTo("io.streamguard.connect.ConnectDefault4");
        assertThat(data.fromConnectSchema(outer)).isEqualTo(avro);
    }

    @Test
    void connectOnlyTypesAndDefaultsComeBack() {
        Schema schema = SchemaBuilder.struct()
                .name("io.streamguard.test.Row")
                .field("tiny", Schema.INT8_SCHEMA)
                .field("small", SchemaBuilder.int16().defaultValue((short) 3).build())
                .field(
                        "opt",
                        SchemaBuilder.string().optional().defaultValue("x").build())
                .field("price", Decimal.builder(2).optional().build())
                .build();

        org.apache.avro.Schema avro = data.fromConnectSchema(schema);
        Schema back = data.toConnectSchema(avro, null);

        assertThat(avro.getField("opt").schema().getTypes().get(0).getType())
                .isEqualTo(org.apache.avro.Schema.Type.STRING);
        assertThat(avro.getField("opt").defaultVal()).isEqualTo("x");
        assertThat(avro.getField("price").schema().getTypes().get(1).getLogicalType())
                .isEqualTo(org.apache.avro.LogicalTypes.decimal(64, 2));
        assertThat(back.field("tiny").schema().type()).isEqualTo(Schema.Type.INT8);
        assertThat(back.field("small").schema().type()).isEqualTo(Schema.Type.INT16);
        assertThat(back.field("small").schema().defaultValue()).isEqualTo((short) 3);
        assertThat(back.field("opt").schema().defaultValue()).isEqualTo("x");

        Struct struct = new Struct(schema).put("tiny", (byte) 1).put("price", new BigDecimal("9.99"));
        Struct again = (Struct) data.toConnectData(avro, data.fromConnectData(schema, struct), null)
                .value();
        assertThat(again.get("tiny")).isEqualTo((byte) 1);
        assertThat(again.get("small")).isEqualTo((short) 3);
        assertThat(again.get("opt")).isEqualTo("x");
        assertThat(again.get("price")).isEqualTo(new BigDecimal("9.99"));
    }

    @Test
    void unsupportedSchemasSayWhatAndWhere() {
        org.apache.avro.Schema multiUnion = parse("""
                {"type": "record", "name": "U", "fields": [{"name": "v", "type": ["null", "int", "string"]}]}""");
        assertThatThrownBy(() -> data.toConnectSchema(multiUnion, null))
                .isInstanceOf(UnsupportedSchemaException.class)
                .hasMessageContaining("field 'v'")
                .hasMessageContaining("only [\"null\", T] maps to Connect");

        org.apache.avro.Schema recursive = parse("""
                {"type": "record", "name": "Node", "fields": [{"name": "next", "type": ["null", "Node"]}]}""");
        assertThatThrownBy(() -> data.toConnectSchema(recursive, null))
                .isInstanceOf(UnsupportedSchemaException.class)
                .hasMessageContaining("Node at field 'next' contains itself");

        Schema intKeys = SchemaBuilder.struct()
                .field(
                        "m",
                        SchemaBuilder.map(Schema.INT32_SCHEMA, Schema.STRING_SCHEMA)
                                .build())
                .build();
        assertThatThrownBy(() -> data.fromConnectSchema(intKeys))
                .isInstanceOf(UnsupportedSchemaException.class)
                .hasMessageContaining("field 'm' has INT32 keys");

        Schema badName =
                SchemaBuilder.struct().field("user-id", Schema.STRING_SCHEMA).build();
        assertThatThrownBy(() -> data.fromConnectSchema(badName))
                .isInstanceOf(UnsupportedSchemaException.class)
                .hasMessageContaining("user-id");
    }

    @Test
    void valuesThatDoNotFitAreUnwritable() {
        Schema schema = SchemaBuilder.struct()
                .name("io.streamguard.test.Row")
                .field(
                        "hash",
                        SchemaBuilder.bytes()
                                .name("io.streamguard.test.Hash")
                                .parameter(AvroData.FIXED_SIZE, "4")
                                .build())
                .build();

        assertThatThrownBy(() -> data.fromConnectData(schema, new Struct(schema).put("hash", new byte[] {1})))
                .isInstanceOf(UnwritableRecordException.class)
                .hasMessageContaining("field 'hash' has 1 byte(s), but fixed io.streamguard.test.Hash holds 4");
    }
}
