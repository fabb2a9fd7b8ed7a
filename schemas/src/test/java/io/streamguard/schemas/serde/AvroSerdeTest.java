package io.streamguard.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.streamguard.avro.Decision;
import io.streamguard.avro.LabelThresholds;
import io.streamguard.avro.LabeledEvent;
import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.Sentiment;
import io.streamguard.avro.TextEvent;
import io.streamguard.avro.Timings;
import io.streamguard.schemas.registry.RegistryConfig.SerdeSettings;
import io.streamguard.schemas.registry.RegistryUnreachableException;
import io.streamguard.schemas.registry.UnknownSchemaException;
import io.streamguard.schemas.testing.InMemoryRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    private static final String TOPIC = "text-events";
    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05.678Z");

    private final InMemoryRegistry registry = new InMemoryRegistry();

    private static TextEvent fullEvent() {
        return TextEvent.newBuilder()
                .setId("e-1")
                .setText("you are wonderful")
                .setLanguage("en")
                .setSource("chat")
                .setAuthor("u42")
                .setEventTime(T0)
                .setAttributes(Map.of("room", "lobby"))
                .build();
    }

    // ---- wire format ----

    @Test
    void bytesAreMagicByteBigEndianIdAndPlainAvroBody() throws IOException {
        InMemoryRegistry registry = new InMemoryRegistry(0x01020304);
        TextEvent event = fullEvent();

        byte[] bytes = new AvroSerializer<TextEvent>(registry).serialize(TOPIC, event);

        assertThat(Arrays.copyOfRange(bytes, 0, 5)).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04);
        byte[] body = Arrays.copyOfRange(bytes, 5, bytes.length);
        assertThat(body).isEqualTo(plainAvro(event));
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(TextEvent.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(body, null));
        assertThat(decoded.get("id")).hasToString("e-1");
        assertThat(decoded.get("text")).hasToString("you are wonderful");
        assertThat(decoded.get("eventTime")).isEqualTo(T0.toEpochMilli());
        assertThat(registry.schemaById(0x01020304)).isEqualTo(TextEvent.getClassSchema());
    }

    @Test
    void registersUnderTheValueSubjectOrTheKeySubject() {
        new AvroSerializer<TextEvent>(registry).serialize(TOPIC, fullEvent());
        new AvroSerializer<TextEvent>(registry, SerdeSettings.DEFAULTS, true).serialize(TOPIC, fullEvent());

        assertThat(registry.subjects()).containsExactly("text-events-value", "text-events-key");
    }

    // ---- round trips ----

    @Test
    void specificRecordsRoundTrip() {
        AvroSerde<TextEvent> serde = AvroSerde.specific(TextEvent.class, registry);
        TextEvent event = fullEvent();

        TextEvent back =
                serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, event));

        assertThat(back).isEqualTo(event);
        assertThat(back.getEventTime()).isEqualTo(T0);
    }

    @Test
    void nestedRecordsEnumsArraysAndBytesRoundTrip() {
        LabeledEvent labeled = LabeledEvent.newBuilder()
                .setId("e-1")
                .setScores(Map.of("toxicity", 0.91, "spam", 0.02))
                .setSentiment(new Sentiment("negative", 0.8))
                .setDecision(Decision.BLOCK)
                .setTriggeredLabels(List.of("toxicity"))
                .setModelVersion("m-7")
                .setTimings(new Timings(3L, 0.4, 5.5, 12L, 16))
                .setWorkerId("w-1")
                .setText("...")
                .setEventTime(T0)
                .build();
        ModelVersion model = ModelVersion.newBuilder()
                .setVersion("m-7")
                .setEncoderName("minilm-l6")
                .setCreatedAt(T0)
                .setLabels(List.of("toxicity", "spam"))
                .setThresholds(Map.of("toxicity", new LabelThresholds(0.5, 0.9)))
                .setHeads(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}))
                .setMetrics(Map.of("f1", 0.87))
                .build();

        AvroSerde<LabeledEvent> labeledSerde = AvroSerde.specific(LabeledEvent.class, registry);
        AvroSerde<ModelVersion> modelSerde = AvroSerde.specific(ModelVersion.class, registry);

        assertThat(labeledSerde
                        .deserializer()
                        .deserialize("text-labeled", labeledSerde.serializer().serialize("text-labeled", labeled)))
                .isEqualTo(labeled);
        ModelVersion modelBack = modelSerde
                .deserializer()
                .deserialize("model-versions", modelSerde.serializer().serialize("model-versions", model));
        assertThat(modelBack).isEqualTo(model);
        assertThat(modelBack.getLineage()).isEmpty();
    }

    @Test
    void genericRecordsRoundTripInTheWritersSchema() {
        AvroSerde<GenericRecord> serde = AvroSerde.generic(registry);
        GenericRecord record = new GenericData.Record(TextEvent.getClassSchema());
        record.put("id", "g-1");
        record.put("text", "hello");
        record.put("eventTime", T0.toEpochMilli());
        record.put("attributes", Map.of());

        GenericRecord back =
                serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, record));

        assertThat(back.getSchema()).isEqualTo(TextEvent.getClassSchema());
        assertThat(back.get("id")).isEqualTo("g-1");
        assertThat(back.get("eventTime")).isEqualTo(T0.toEpochMilli());
        assertThat(back.get("language")).isNull();
    }

    @Test
    void genericAndSpecificInteroperate() {
        AvroSerde<GenericRecord> generic = AvroSerde.generic(registry);
        AvroSerde<TextEvent> specific = AvroSerde.specific(TextEvent.class, registry);

        GenericRecord asGeneric =
                generic.deserializer().deserialize(TOPIC, specific.serializer().serialize(TOPIC, fullEvent()));
        TextEvent asSpecific =
                specific.deserializer().deserialize(TOPIC, generic.serializer().serialize(TOPIC, asGeneric));

        assertThat(asSpecific).isEqualTo(fullEvent());
    }

    @Test
    void nullIsATombstoneBothWays() {
        AvroSerde<TextEvent> serde = AvroSerde.specific(TextEvent.class, registry);

        assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
        assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
        assertThat(registry.registerCalls).hasValue(0);
    }

    // ---- schema evolution ----

    @Test
    void smallerWriterSchemaIsReadWithDefaultsFilledIn() {
        Schema minimal = new Schema.Parser().parse("""
                {"type":"record","name":"TextEvent","namespace":"io.streamguard.avro","fields":[
                  {"name":"id","type":"string"},{"name":"text","type":"string"}]}""");
        GenericRecord record = new GenericData.Record(minimal);
        record.put("id", "m-1");
        record.put("text", "short");
        byte[] bytes = new AvroSerializer<GenericRecord>(registry).serialize(TOPIC, record);

        TextEvent event = AvroDeserializer.specific(TextEvent.class, registry).deserialize(TOPIC, bytes);

        assertThat(event.getId()).isEqualTo("m-1");
        assertThat(event.getText()).isEqualTo("short");
        assertThat(event.getLanguage()).isNull();
        assertThat(event.getEventTime()).isNull();
        assertThat(event.getAttributes()).isEmpty();
    }

    @Test
    void oldConsumerReadsRecordsWithAnAddedOptionalField() {
        // A newer producer added "priority"; TextEvent (the old reader) does not know it.
        Schema newer = withField(
                TextEvent.getClassSchema(),
                new Schema.Field(
                        "priority",
                        Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.INT)),
                        null,
                        Schema.Field.NULL_DEFAULT_VALUE));
        GenericRecord record = new GenericData.Record(newer);
        record.put("id", "n-1");
        record.put("text", "newer");
        record.put("attributes", Map.of("k", "v"));
        record.put("priority", 7);
        byte[] bytes = new AvroSerializer<GenericRecord>(registry).serialize(TOPIC, record);

        TextEvent event = AvroDeserializer.specific(TextEvent.class, registry).deserialize(TOPIC, bytes);

        assertThat(event.getId()).isEqualTo("n-1");
        assertThat(event.getText()).isEqualTo("newer");
        assertThat(event.getAttributes()).containsEntry("k", "v");
    }

    @Test
    void unknownDecisionFromANewerProducerReadsAsReview() {
        Schema labeled = LabeledEvent.getClassSchema();
        Schema newerDecision = Schema.createEnum(
                "Decision", null, "io.streamguard.avro", List.of("ALLOW", "REVIEW", "BLOCK", "ESCALATE"));
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : labeled.getFields()) {
            fields.add(new Schema.Field(f, f.name().equals("decision") ? newerDecision : f.schema()));
        }
        Schema newer = Schema.createRecord(labeled.getName(), null, labeled.getNamespace(), false, fields);
        GenericRecord record = new GenericRecordBuilder(newer)
                .set("id", "e-9")
                .set("scores", Map.of())
                .set("decision", new GenericData.EnumSymbol(newerDecision, "ESCALATE"))
                .set("triggeredLabels", List.of())
                .set("modelVersion", "m-8")
                .build();
        byte[] bytes = new AvroSerializer<GenericRecord>(registry).serialize("text-labeled", record);

        LabeledEvent event =
                AvroDeserializer.specific(LabeledEvent.class, registry).deserialize("text-labeled", bytes);

        assertThat(event.getDecision()).isEqualTo(Decision.REVIEW);
    }

    @Test
    void writerMissingARequiredReaderFieldIsASchemaMismatch() {
        Schema idOnly = new Schema.Parser().parse("""
                {"type":"record","name":"TextEvent","fields":[{"name":"id","type":"string"}]}""");
        GenericRecord record = new GenericData.Record(idOnly);
        record.put("id", "x");
        byte[] bytes = new AvroSerializer<GenericRecord>(registry).serialize(TOPIC, record);

        SchemaResolutionException e = catchThrowableOfType(
                SchemaResolutionException.class,
                () -> AvroDeserializer.specific(TextEvent.class, registry).deserialize(TOPIC, bytes));

        assertThat(e.topic()).isEqualTo(TOPIC);
        assertThat(e.schemaId()).hasValue(1);
        assertThat(e).hasMessageContaining("text").hasMessageContaining(TextEvent.class.getName());
    }

    @Test
    void nonRecordWriterSchemaIsASchemaMismatch() {
        int id = registry.register("text-events-value", Schema.create(Schema.Type.STRING));

        assertThatThrownBy(() -> AvroDeserializer.generic(registry).deserialize(TOPIC, framed(id, new byte[] {2, 'h'})))
                .isInstanceOf(SchemaResolutionException.class)
                .hasMessageContaining("STRING");
    }

    // ---- bad bytes ----

    @Test
    void wrongMagicByteIsAWireFormatError() {
        byte[] bytes = new AvroSerializer<TextEvent>(registry).serialize(TOPIC, fullEvent());
        bytes[0] = 1;

        WireFormatException e = catchThrowableOfType(
                WireFormatException.class,
                () -> AvroDeserializer.specific(TextEvent.class, registry).deserialize(TOPIC, bytes));

        assertThat(e).isInstanceOf(SerializationException.class);
        assertThat(e.reason()).contains("magic byte 0x01");
        assertThat(e).hasMessageContaining("'" + TOPIC + "'");
    }

    @Test
    void recordShorterThanTheHeaderIsAWireFormatError() {
        assertThatThrownBy(() ->
                        AvroDeserializer.specific(TextEvent.class, registry).deserialize(TOPIC, new byte[] {0, 0}))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("fewer than the 5-byte header");
    }

    @Test
    void truncatedBodyIsAWireFormatErrorNamingTheSchemaId() {
        byte[] bytes = new AvroSerializer<TextEvent>(registry).serialize(TOPIC, fullEvent());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 6);

        WireFormatException e = catchThrowableOfType(
                WireFormatException.class,
                () -> AvroDeserializer.specific(TextEvent.class, registry).deserialize(TOPIC, truncated));

        assertThat(e.schemaId()).hasValue(1);
        assertThat(e.reason()).startsWith("corrupt or truncated Avro body");
        assertThat(e).hasMessageContaining("(schema id 1)");
    }

    @Test
    void trailingBytesAfterTheBodyAreAWireFormatError() {
        byte[] bytes = new AvroSerializer<TextEvent>(registry).serialize(TOPIC, fullEvent());
        byte[] padded = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() ->
                        AvroDeserializer.specific(TextEvent.class, registry).deserialize(TOPIC, padded))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("3 byte(s) left after the Avro body");
    }

    @Test
    void absurdLengthPrefixFailsWithoutAllocatingIt() {
        int id = registry.register("text-events-value", TextEvent.getClassSchema());
        // id: a string claiming ~1 GiB (zig-zag varint of 2^30), followed by nothing.
        byte[] body = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};

        assertThatThrownBy(() ->
                        AvroDeserializer.specific(TextEvent.class, registry).deserialize(TOPIC, framed(id, body)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("string length 1073741824 exceeds the 0 remaining byte(s)");
    }

    @Test
    void absurdCollectionSizeFailsWithoutAllocatingIt() {
        int id = registry.register("text-events-value", TextEvent.getClassSchema());
        // id "a", text "b", four null unions, then a map claiming 2^30 entries.
        byte[] body = {2, 'a', 2, 'b', 0, 0, 0, 0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08};

        assertThatThrownBy(() ->
                        AvroDeserializer.specific(TextEvent.class, registry).deserialize(TOPIC, framed(id, body)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("map declares 1073741824 item(s)");
    }

    @Test
    void invalidUnionIndexIsAWireFormatError() {
        int id = registry.register("text-events-value", TextEvent.getClassSchema());
        byte[] body = {2, 'a', 2, 'b', 0x10, 0, 0, 0, 0};

        assertThatThrownBy(() ->
                        AvroDeserializer.specific(TextEvent.class, registry).deserialize(TOPIC, framed(id, body)))
                .isInstanceOf(WireFormatException.class)
                .hasMessageContaining("corrupt or truncated Avro body");
    }

    @Test
    void unknownSchemaIdIsTyped() {
        UnknownSchemaIdException e = catchThrowableOfType(
                UnknownSchemaIdException.class, () -> AvroDeserializer.specific(TextEvent.class, registry)
                        .deserialize(TOPIC, framed(404, new byte[] {0})));

        assertThat(e).isInstanceOf(SerializationException.class);
        assertThat(e.schemaId()).isEqualTo(404);
        assertThat(e.topic()).isEqualTo(TOPIC);
        assertThat(e.getCause().kind()).isEqualTo(UnknownSchemaException.Kind.SCHEMA_NOT_FOUND);
        assertThat(e).hasMessageContaining("schema id 404");
    }

    // ---- caching ----

    @Test
    void writerSchemaIsFetchedOncePerId() {
        new AvroSerializer<TextEvent>(registry).serialize(TOPIC, fullEvent());
        byte[] bytes = new AvroSerializer<TextEvent>(registry).serialize(TOPIC, fullEvent());
        AvroDeserializer<TextEvent> deserializer = AvroDeserializer.specific(TextEvent.class, registry);

        for (int i = 0; i < 5; i++) {
            assertThat(deserializer.deserialize(TOPIC, bytes)).isEqualTo(fullEvent());
        }

        assertThat(registry.schemaByIdCalls).hasValue(1);
    }

    // ---- serializer modes ----

    @Test
    void withoutAutoRegistrationTheSchemaIsOnlyLookedUp() {
        AvroSerializer<TextEvent> serializer =
                new AvroSerializer<>(registry, new SerdeSettings(false, false, Optional.empty()), false);

        SchemaNotRegisteredException e = catchThrowableOfType(
                SchemaNotRegisteredException.class, () -> serializer.serialize(TOPIC, fullEvent()));
        assertThat(e.subject()).isEqualTo("text-events-value");
        assertThat(e).hasMessageContaining("auto.register.schemas is false");
        assertThat(registry.registerCalls).hasValue(0);

        int id = registry.register("text-events-value", TextEvent.getClassSchema());
        byte[] bytes = serializer.serialize(TOPIC, fullEvent());
        assertThat(WireFormat.parse(bytes, TOPIC).schemaId()).isEqualTo(id);
        assertThat(registry.lookupCalls).hasValue(2);
    }

    @Test
    void useLatestVersionWritesWithTheLatestSchemaFillingDefaults() throws IOException {
        Schema latest = withField(
                TextEvent.getClassSchema(), new Schema.Field("priority", Schema.create(Schema.Type.INT), null, 3));
        registry.register("text-events-value", TextEvent.getClassSchema());
        int latestId = registry.register("text-events-value", latest);
        AvroSerializer<TextEvent> serializer =
                new AvroSerializer<>(registry, new SerdeSettings(true, true, Optional.empty()), false);

        byte[] first = serializer.serialize(TOPIC, fullEvent());
        byte[] second = serializer.serialize(TOPIC, fullEvent());

        assertThat(WireFormat.parse(first, TOPIC).schemaId()).isEqualTo(latestId);
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(latest)
                .read(null, DecoderFactory.get().binaryDecoder(first, 5, first.length - 5, null));
        assertThat(decoded.get("priority")).isEqualTo(3);
        assertThat(decoded.get("id")).hasToString("e-1");
        assertThat(second).isEqualTo(first);
        assertThat(registry.latestCalls).as("latest cached without TTL").hasValue(1);
        assertThat(registry.registerCalls).as("never registers").hasValue(2);
    }

    @Test
    void useLatestVersionWithTheSameSchemaWritesDirectly() throws IOException {
        int id = registry.register("text-events-value", TextEvent.getClassSchema());
        AvroSerializer<TextEvent> serializer =
                new AvroSerializer<>(registry, new SerdeSettings(true, true, Optional.empty()), false);

        byte[] bytes = serializer.serialize(TOPIC, fullEvent());

        assertThat(WireFormat.parse(bytes, TOPIC).schemaId()).isEqualTo(id);
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(plainAvro(fullEvent()));
    }

    @Test
    void useLatestVersionRejectsALatestSchemaThatCannotHoldTheRecord() {
        Schema latest =
                withField(TextEvent.getClassSchema(), new Schema.Field("tenant", Schema.create(Schema.Type.STRING)));
        registry.register("text-events-value", latest);
        AvroSerializer<TextEvent> serializer =
                new AvroSerializer<>(registry, new SerdeSettings(true, true, Optional.empty()), false);

        assertThatThrownBy(() -> serializer.serialize(TOPIC, fullEvent()))
                .isInstanceOf(SchemaResolutionException.class)
                .hasMessageContaining("tenant");
    }

    @Test
    void recordThatViolatesItsSchemaIsASerializationError() {
        TextEvent invalid = fullEvent();
        invalid.setText(null);

        assertThatThrownBy(() -> new AvroSerializer<TextEvent>(registry).serialize(TOPIC, invalid))
                .isExactlyInstanceOf(SerializationException.class)
                .hasMessageContaining("io.streamguard.avro.TextEvent")
                .hasMessageContaining(TOPIC);
    }

    @Test
    void registryOutageIsRetriableAndNotBlamedOnTheRecord() {
        byte[] bytes = new AvroSerializer<TextEvent>(registry).serialize(TOPIC, fullEvent());
        AvroDeserializer<TextEvent> fresh = AvroDeserializer.specific(TextEvent.class, registry);
        registry.failWith(new RegistryUnreachableException("down", 4, new ConnectException("refused")));

        RegistryCallException e =
                catchThrowableOfType(RegistryCallException.class, () -> fresh.deserialize(TOPIC, bytes));

        assertThat(e.isRetriable()).isTrue();
        assertThat(e.getCause()).isInstanceOf(RegistryUnreachableException.class);
        assertThat(e).hasMessageContaining("fetching schema id 1");
    }

    // ---- configuration ----

    @Test
    void configureWithAGivenClientAppliesSettingsAndKeyFlag() {
        AvroSerde<TextEvent> serde = AvroSerde.specific(TextEvent.class, registry);
        serde.configure(Map.of(RegistryConfigKeys.AUTO_REGISTER, "false"), true);

        assertThatThrownBy(() -> serde.serializer().serialize(TOPIC, fullEvent()))
                .isInstanceOf(SchemaNotRegisteredException.class)
                .hasMessageContaining("text-events-key");
    }

    @Test
    void unconfiguredSerdeSaysSo() {
        assertThatThrownBy(
                        () -> AvroSerde.specific(TextEvent.class).serializer().serialize(TOPIC, fullEvent()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("configure");
    }

    @Test
    void invalidConfigurationIsAKafkaConfigException() {
        assertThatThrownBy(() ->
                        AvroSerde.specific(TextEvent.class).configure(Map.of("bootstrap.servers", "k:9092"), false))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void subclassWithNoArgumentConstructorServesAsDefaultSerde() {
        assertThat(new TextEventSerde().deserializer()).isInstanceOf(AvroDeserializer.class);
        assertThatThrownBy(() -> new AvroSerde<>(GenericData.Record.class) {})
                .isInstanceOf(IllegalArgumentException.class);
    }

    static final class TextEventSerde extends AvroSerde<TextEvent> {
        TextEventSerde() {
            super(TextEvent.class);
        }
    }

    /** Property names, spelled out to check the Confluent names are the ones honoured. */
    private static final class RegistryConfigKeys {
        static final String AUTO_REGISTER = "auto.register.schemas";
    }

    // ---- helpers ----

    private static byte[] plainAvro(TextEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(TextEvent.class).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] framed(int id, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireFormat.writeHeader(out, id);
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static Schema withField(Schema base, Schema.Field extra) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(extra);
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }
}
