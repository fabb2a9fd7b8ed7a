package io.streamguard.connectors.converter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.streamguard.avro.Decision;
import io.streamguard.avro.Feedback;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.Sentiment;
import io.streamguard.avro.TextEvent;
import io.streamguard.avro.Timings;
import io.streamguard.connectors.ConnectorsException;
import io.streamguard.schemas.registry.RegistryAuthException;
import io.streamguard.schemas.registry.RegistryUnreachableException;
import io.streamguard.schemas.serde.AvroDeserializer;
import io.streamguard.schemas.serde.AvroSerializer;
import io.streamguard.schemas.testing.InMemoryRegistry;
import java.net.ConnectException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.avro.Schema.Parser;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;

class AvroConverterTest {

    private static final String TOPIC = "text-labeled";
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

    private final InMemoryRegistry registry = new InMemoryRegistry();

    private AvroConverter converter(Map<String, ?> settings) {
        AvroConverter converter = new AvroConverter(registry);
        converter.configure(settings, false);
        return converter;
    }

    private AvroConverter converter() {
        return converter(Map.of());
    }

    private static LabeledEvent fullLabeledEvent() {
        return LabeledEvent.newBuilder()
                .setId("e-1")
                .setScores(Map.of("toxic", 0.91, "insult", 0.12))
                .setSentiment(new Sentiment("negative", 0.8))
                .setDecision(Decision.BLOCK)
                .setTriggeredLabels(List.of("toxic"))
                .setModelVersion("m-3")
                .setPolicyVersion(null)
                .setTruncated(true)
                .setTimings(new Timings(4L, 0.5, 12.25, 20L, 8))
                .setWorkerId("w-1")
                .setText("you are awful")
                .setEventTime(T0)
                .build();
    }

    private static LabeledEvent minimalLabeledEvent() {
        return LabeledEvent.newBuilder()
                .setId("e-2")
                .setScores(Map.of())
                .setDecision(Decision.ALLOW)
                .setTriggeredLabels(List.of())
                .setModelVersion("m-3")
                .build();
    }

    private <T extends SpecificRecord> byte[] pipelineWrites(String topic, T record) {
        return new AvroSerializer<T>(registry).serialize(topic, record);
    }

    private <T extends SpecificRecord> T pipelineReads(Class<T> type, String topic, byte[] bytes) {
        return AvroDeserializer.specific(type, registry).deserialize(topic, bytes);
    }

    // ---- reading what the pipeline wrote ----

    @Test
    void labeledEventFromThePipelineReadsAsStructWithEveryField() {
        SchemaAndValue read = converter().toConnectData(TOPIC, pipelineWrites(TOPIC, fullLabeledEvent()));

        Schema schema = read.schema();
        assertThat(schema.name()).isEqualTo("io.streamguard.avro.LabeledEvent");
        assertThat(schema.version())
                .as("version unknown without use.latest.version")
                .isNull();
        Struct struct = (Struct) read.value();
        assertThat(struct.getString("id")).isEqualTo("e-1");
        assertThat(struct.getMap("scores")).isEqualTo(Map.of("toxic", 0.91, "insult", 0.12));
        Struct sentiment = struct.getStruct("sentiment");
        assertThat(sentiment.schema().isOptional()).isTrue();
        assertThat(sentiment.getString("label")).isEqualTo("negative");
        assertThat(sentiment.getFloat64("score")).isEqualTo(0.8);
        assertThat(struct.getString("decision")).isEqualTo("BLOCK");
        assertThat(schema.field("decision").schema().parameters())
                .containsEntry(AvroData.ENUM, "io.streamguard.avro.Decision")
                .containsEntry(AvroData.ENUM + ".ALLOW", "ALLOW")
                .containsEntry(AvroData.ENUM + ".BLOCK", "BLOCK");
        assertThat(struct.getArray("triggeredLabels")).containsExactly("toxic");
        assertThat(struct.getString("policyVersion")).isNull();
        assertThat(struct.getBoolean("truncated")).isTrue();
        Struct timings = struct.getStruct("timings");
        assertThat(timings.getInt64("queueWaitMs")).isEqualTo(4L);
        assertThat(timings.getFloat64("modelMs")).isEqualTo(12.25);
        assertThat(timings.getInt32("batchSize")).isEqualTo(8);
        assertThat(struct.getString("workerId")).isEqualTo("w-1");
        assertThat(schema.field("eventTime").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(struct.get("eventTime")).isEqualTo(java.util.Date.from(T0));
    }

    @Test
    void absentOptionalsReadAsNullAndDefaultsAreInTheSchema() {
        SchemaAndValue read = converter().toConnectData(TOPIC, pipelineWrites(TOPIC, minimalLabeledEvent()));

        Struct struct = (Struct) read.value();
        assertThat(struct.getStruct("sentiment")).isNull();
        assertThat(struct.getStruct("timings")).isNull();
        assertThat(struct.get("eventTime")).isNull();
        assertThat(struct.getBoolean("truncated")).isFalse();
        assertThat(read.schema().field("truncated").schema().defaultValue()).isEqualTo(false);
        assertThat(read.schema().field("text").schema().isOptional()).isTrue();
    }

    @Test
    void feedbackMapOfBooleansAndTextEventRead() {
        AvroConverter converter = converter();
        Feedback feedback = new Feedback("e-1", Map.of("toxic", true, "spam", false), "mod-1", T0, null, null);
        Struct f = (Struct) converter
                .toConnectData("moderation-feedback", pipelineWrites("moderation-feedback", feedback))
                .value();
        assertThat(f.getMap("verdicts")).isEqualTo(Map.of("toxic", true, "spam", false));
        assertThat(f.get("time")).isEqualTo(java.util.Date.from(T0));

        TextEvent event = TextEvent.newBuilder()
                .setId("t-1")
                .setText("hello")
                .setAttributes(Map.of("room", "lobby"))
                .build();
        SchemaAndValue t = converter.toConnectData("text-events", pipelineWrites("text-events", event));
        assertThat(((Struct) t.value()).getMap("attributes")).isEqualTo(Map.of("room", "lobby"));
        assertThat(t.schema().field("attributes").schema().defaultValue()).isEqualTo(Map.of());
    }

    // ---- writing what the pipeline reads ----

    @Test
    void structsWrittenByTheConverterReadAsEqualSpecificRecords() {
        AvroConverter converter = converter();
        for (LabeledEvent event : List.of(fullLabeledEvent(), minimalLabeledEvent())) {
            SchemaAndValue asConnect = converter.toConnectData(TOPIC, pipelineWrites(TOPIC, event));
            byte[] written = converter.fromConnectData("copy", asConnect.schema(), asConnect.value());
            assertThat(pipelineReads(LabeledEvent.class, "copy", written)).isEqualTo(event);
        }
        Feedback feedback = new Feedback("e-1", Map.of("toxic", true), "mod-1", T0, "text", "a note");
        SchemaAndValue f = converter.toConnectData("fb", pipelineWrites("fb", feedback));
        assertThat(pipelineReads(Feedback.class, "fb2", converter.fromConnectData("fb2", f.schema(), f.value())))
                .isEqualTo(feedback);
        TextEvent event =
                TextEvent.newBuilder().setId("t").setText("x").setEventTime(T0).build();
        SchemaAndValue t = converter.toConnectData("te", pipelineWrites("te", event));
        assertThat(pipelineReads(TextEvent.class, "te2", converter.fromConnectData("te2", t.schema(), t.value())))
                .isEqualTo(event);
    }

    @Test
    void handBuiltStructWithTheEnumSchemaWritesTheAvroEnum() {
        AvroConverter converter = converter();
        Schema schema = converter
                .toConnectData(TOPIC, pipelineWrites(TOPIC, minimalLabeledEvent()))
                .schema();
        Struct struct = new Struct(schema)
                .put("id", "h-1")
                .put("scores", Map.of("toxic", 0.5))
                .put("decision", "REVIEW")
                .put("triggeredLabels", List.of())
                .put("modelVersion", "m-1")
                .put("eventTime", java.util.Date.from(T0));

        LabeledEvent read = pipelineReads(LabeledEvent.class, "out", converter.fromConnectData("out", schema, struct));

        assertThat(read.getDecision()).isEqualTo(Decision.REVIEW);
        assertThat(read.getEventTime()).isEqualTo(T0);
        assertThat(read.getTruncated()).as("Connect default").isFalse();
        assertThat(registry.latest("out-value").schema().getField("decision").schema())
                .isEqualTo(Decision.getClassSchema());

        struct.put("decision", "MAYBE");
        assertThatThrownBy(() -> converter.fromConnectData("out", schema, struct))
                .isInstanceOf(UnwritableRecordException.class)
                .hasMessageContaining("topic 'out'")
                .hasMessageContaining("'MAYBE', not a symbol of enum io.streamguard.avro.Decision");
    }

    @Test
    void useLatestVersionWritesWithTheRegisteredSchema() {
        byte[] registered = pipelineWrites(TOPIC, minimalLabeledEvent());
        int registeredId = registry.latest(TOPIC + "-value").id();
        AvroConverter converter = converter(Map.of("use.latest.version", true, "auto.register.schemas", false));
        SchemaAndValue asConnect = converter.toConnectData(TOPIC, registered);

        byte[] written = converter.fromConnectData(TOPIC, asConnect.schema(), asConnect.value());

        assertThat(id(written)).isEqualTo(registeredId);
        assertThat(registry.registerCalls)
                .as("only the pipeline's own registration")
                .hasValue(1);
        assertThat(pipelineReads(LabeledEvent.class, TOPIC, written)).isEqualTo(minimalLabeledEvent());
    }

    @Test
    void unregisteredSchemaWithoutAutoRegistrationFailsNamingTheSubject() {
        AvroConverter converter = converter(Map.of("auto.register.schemas", false));
        Schema schema = SchemaBuilder.struct()
                .name("io.streamguard.test.Row")
                .field("id", Schema.STRING_SCHEMA)
                .build();

        assertThatThrownBy(() -> converter.fromConnectData("rows", schema, new Struct(schema).put("id", "1")))
                .isInstanceOf(UnregisteredSchemaException.class)
                .hasMessageContaining("io.streamguard.test.Row is not registered under subject 'rows-value'")
                .hasMessageContaining("auto.register.schemas is false");
        assertThat(registry.registerCalls).hasValue(0);
    }

    @Test
    void tombstonesPassThrough() {
        AvroConverter converter = converter();
        assertThat(converter.toConnectData(TOPIC, null)).isEqualTo(SchemaAndValue.NULL);
        assertThat(converter.fromConnectData(TOPIC, null, null)).isNull();
        assertThat(converter.fromConnectData(
                        TOPIC, SchemaBuilder.struct().optional().build(), null))
                .isNull();
    }

    @Test
    void optionalTopLevelStructIsWrittenAsAPlainRecord() {
        Schema schema = SchemaBuilder.struct()
                .name("io.streamguard.test.Envelope")
                .optional()
                .field("op", Schema.STRING_SCHEMA)
                .build();
        AvroConverter converter = converter();

        byte[] written = converter.fromConnectData("cdc", schema, new Struct(schema).put("op", "c"));

        assertThat(registry.latest("cdc-value").schema().getType()).isEqualTo(org.apache.avro.Schema.Type.RECORD);
        assertThat(((Struct) converter.toConnectData("cdc", written).value()).getString("op"))
                .isEqualTo("c");
    }

    @Test
    void keyConverterUsesTheKeySubject() {
        AvroConverter converter = new AvroConverter(registry);
        converter.configure(Map.of(), true);
        Schema schema = SchemaBuilder.struct()
                .name("io.streamguard.test.Key")
                .field("id", Schema.STRING_SCHEMA)
                .build();

        converter.fromConnectData("rows", schema, new Struct(schema).put("id", "1"));

        assertThat(registry.subjects()).containsExactly("rows-key");
    }

    // ---- schema evolution ----

    private static final org.apache.avro.Schema ITEM_V1 = new Parser()
            .parse("{\"type\":\"record\",\"name\":\"Item\",\"namespace\":\"io.streamguard.test\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"string\"}]}");
    private static final org.apache.avro.Schema ITEM_V2 = new Parser()
            .parse("{\"type\":\"record\",\"name\":\"Item\",\"namespace\":\"io.streamguard.test\",\"fields\":["
                    + "{\"name\":\"id\",\"type\":\"string\"},"
                    + "{\"name\":\"note\",\"type\":\"string\",\"default\":\"none\"}]}");

    /** A v1 record and a v2 record, written in that order (so v2 is the subject's latest). */
    private byte[][] v1ThenV2() {
        AvroSerializer<GenericRecord> producer = new AvroSerializer<>(registry);
        byte[] v1 = producer.serialize(
                "items", new GenericRecordBuilder(ITEM_V1).set("id", "a").build());
        byte[] v2 = producer.serialize(
                "items",
                new GenericRecordBuilder(ITEM_V2)
                        .set("id", "b")
                        .set("note", "new")
                        .build());
        return new byte[][] {v1, v2};
    }

    @Test
    void withoutUseLatestVersionEachRecordKeepsItsWriterSchema() {
        byte[][] records = v1ThenV2();
        AvroConverter converter = converter();

        SchemaAndValue v1 = converter.toConnectData("items", records[0]);
        SchemaAndValue v2 = converter.toConnectData("items", records[1]);

        assertThat(v1.schema().fields()).extracting(f -> f.name()).containsExactly("id");
        assertThat(v2.schema().fields()).extracting(f -> f.name()).containsExactly("id", "note");
        assertThat(((Struct) v2.value()).getString("note")).isEqualTo("new");
        assertThat(v1.schema().name()).isEqualTo(v2.schema().name()).isEqualTo("io.streamguard.test.Item");
    }

    @Test
    void withUseLatestVersionOlderRecordsAreResolvedOntoTheLatestSchema() {
        byte[][] records = v1ThenV2();
        AvroConverter converter = converter(Map.of("use.latest.version", true));

        SchemaAndValue v1 = converter.toConnectData("items", records[0]);
        SchemaAndValue v2 = converter.toConnectData("items", records[1]);

        assertThat(v1.schema()).isEqualTo(v2.schema());
        assertThat(v1.schema().version()).isEqualTo(2);
        assertThat(v1.schema().fields()).extracting(f -> f.name()).containsExactly("id", "note");
        assertThat(((Struct) v1.value()).getString("id")).isEqualTo("a");
        assertThat(((Struct) v1.value()).getString("note")).as("v2's default").isEqualTo("none");
        assertThat(((Struct) v2.value()).getString("note")).isEqualTo("new");
    }

    @Test
    void withUseLatestVersionAStructLackingAFieldIsWrittenAsTheLatestWithItsDefault() {
        v1ThenV2();
        int latestId = registry.latest("items-value").id();
        Schema oldShape = SchemaBuilder.struct()
                .name("io.streamguard.test.Item")
                .field("id", Schema.STRING_SCHEMA)
                .build();
        AvroConverter converter = converter(Map.of("use.latest.version", true));

        byte[] written = converter.fromConnectData("items", oldShape, new Struct(oldShape).put("id", "c"));

        assertThat(id(written)).isEqualTo(latestId);
        GenericRecord read = AvroDeserializer.generic(registry).deserialize("items", written);
        assertThat(read.get("id")).hasToString("c");
        assertThat(read.get("note")).hasToString("none");
    }

    @Test
    void withUseLatestVersionAnIncompatibleOlderRecordIsASchemaMismatch() {
        org.apache.avro.Schema old = new Parser()
                .parse("{\"type\":\"record\",\"name\":\"Item\",\"namespace\":\"io.streamguard.test\",\"fields\":["
                        + "{\"name\":\"other\",\"type\":\"string\"}]}");
        AvroSerializer<GenericRecord> producer = new AvroSerializer<>(registry);
        byte[] oldRecord = producer.serialize(
                "items", new GenericRecordBuilder(old).set("other", "x").build());
        producer.serialize(
                "items", new GenericRecordBuilder(ITEM_V1).set("id", "a").build());

        assertThatThrownBy(() -> converter(Map.of("use.latest.version", true)).toConnectData("items", oldRecord))
                .isInstanceOf(SchemaMismatchException.class)
                .hasMessageStartingWith("Record on topic 'items': schema id 1 cannot be read as version 2")
                .hasMessageContaining("id");
    }

    // ---- caching ----

    @Test
    void registryIsAskedOnceForHundredRecords() {
        byte[][] records = v1ThenV2();
        AvroConverter plain = converter();
        AvroConverter latest = converter(Map.of("use.latest.version", true));
        int before = registry.schemaByIdCalls.get();

        for (int i = 0; i < 100; i++) {
            plain.toConnectData("items", records[0]);
            latest.toConnectData("items", records[0]);
            latest.toConnectData("items", records[1]);
        }

        assertThat(registry.schemaByIdCalls.get() - before)
                .as("one fetch per schema id and converter")
                .isEqualTo(3);
        assertThat(registry.latestCalls).as("latest version fetched once").hasValue(1);
    }

    @Test
    void aNewlyRegisteredVersionIsPickedUpWithItsFirstRecord() {
        AvroSerializer<GenericRecord> producer = new AvroSerializer<>(registry);
        byte[] v1 = producer.serialize(
                "items", new GenericRecordBuilder(ITEM_V1).set("id", "a").build());
        AvroConverter converter = converter(Map.of("use.latest.version", true));
        assertThat(converter.toConnectData("items", v1).schema().version()).isEqualTo(1);

        byte[] v2 = producer.serialize(
                "items", new GenericRecordBuilder(ITEM_V2).set("id", "b").build());

        assertThat(converter.toConnectData("items", v2).schema().version()).isEqualTo(2);
        assertThat(converter.toConnectData("items", v1).schema().version()).isEqualTo(2);
        assertThat(registry.latestCalls).hasValue(2);
    }

    // ---- undecodable records ----

    @Test
    void undecodableBytesGiveTypedOneLineReasons() {
        byte[] good = pipelineWrites(TOPIC, fullLabeledEvent());
        AvroConverter converter = converter();

        byte[] badMagic = good.clone();
        badMagic[0] = 0x01;
        assertThat(undecodable(converter, badMagic))
                .isExactlyInstanceOf(UndecodableRecordException.class)
                .hasMessage("Malformed record on topic 'text-labeled': unknown magic byte 0x01 (expected 0x00);"
                        + " not written by a schema-registry serializer");

        assertThat(undecodable(converter, new byte[] {0, 0, 1}))
                .isExactlyInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("topic 'text-labeled'")
                .hasMessageContaining("fewer than the 5-byte header");

        assertThat(undecodable(converter, Arrays.copyOf(good, good.length - 7)))
                .isExactlyInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("topic 'text-labeled' (schema id 1)")
                .hasMessageContaining("corrupt or truncated Avro body");

        assertThat(undecodable(converter, Arrays.copyOf(good, good.length + 3)))
                .isExactlyInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("3 byte(s) left after the Avro body");

        byte[] unknownId = good.clone();
        unknownId[4] = 42;
        assertThat(undecodable(converter, unknownId))
                .isExactlyInstanceOf(SchemaIdNotFoundException.class)
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageContaining("topic 'text-labeled' references schema id 42");
    }

    private static ConnectorsException undecodable(AvroConverter converter, byte[] bytes) {
        ConnectorsException e =
                catchThrowableOfType(ConnectorsException.class, () -> converter.toConnectData(TOPIC, bytes));
        assertThat(e).as("a ConnectorsException").isNotNull();
        assertThat(e.getMessage()).doesNotContain("\n");
        return e;
    }

    // ---- registry failures ----

    @Test
    void registryOutageIsRetriableAndRefusalIsNot() {
        byte[] good = pipelineWrites(TOPIC, fullLabeledEvent());
        AvroConverter converter = converter();

        registry.failWith(
                new RegistryUnreachableException("no registry reachable", 1, new ConnectException("refused")));
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, good))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("topic 'text-labeled'");

        registry.failWith(new RegistryAuthException(401, OptionalInt.empty(), "unauthorized", "GET /schemas/ids/1"));
        assertThatThrownBy(() -> converter.toConnectData(TOPIC, good))
                .isInstanceOf(RegistryFailureException.class)
                .hasMessageContaining("topic 'text-labeled'");
    }

    // ---- unsupported input ----

    @Test
    void schemalessAndNonRecordValuesAreUnsupported() {
        AvroConverter converter = converter();

        assertThatThrownBy(() -> converter.fromConnectData("t", null, Map.of("a", 1)))
                .isInstanceOf(UnsupportedSchemaException.class)
                .hasMessageContaining("topic 't'")
                .hasMessageContaining("schemaless");
        assertThatThrownBy(() -> converter.fromConnectData("t", Schema.STRING_SCHEMA, "x"))
                .isInstanceOf(UnsupportedSchemaException.class)
                .hasMessageContaining("top-level STRING");
    }

    @Test
    void structMissingARequiredValueIsUnwritable() {
        Schema schema = SchemaBuilder.struct()
                .name("io.streamguard.test.Row")
                .field("id", Schema.STRING_SCHEMA)
                .build();

        assertThatThrownBy(() -> converter().fromConnectData("rows", schema, new Struct(schema)))
                .isInstanceOf(UnwritableRecordException.class)
                .hasMessageContaining("topic 'rows'")
                .hasMessageContaining("id");
    }

    // ---- configuration ----

    @Test
    void configIsTheRegistryDefinitionPlusTheCacheSize() {
        assertThat(new AvroConverter().config().names())
                .contains(
                        "schema.registry.url",
                        "basic.auth.credentials.source",
                        "basic.auth.user.info",
                        "auto.register.schemas",
                        "use.latest.version",
                        "schema.registry.ssl.truststore.location",
                        "schema.registry.retries",
                        AvroConverterConfig.SCHEMAS_CACHE_SIZE);
        assertThat(new AvroConverter().version()).isNotBlank();
    }

    @Test
    void missingRegistryUrlIsAConfigError() {
        assertThatThrownBy(() -> new AvroConverter().configure(new HashMap<>(), false))
                .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    private static int id(byte[] bytes) {
        return (bytes[1] & 0xff) << 24 | (bytes[2] & 0xff) << 16 | (bytes[3] & 0xff) << 8 | (bytes[4] & 0xff);
    }
}
