package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.avro.TextEvent;
import io.streamguard.schemas.Topics;
import io.streamguard.schemas.registry.IncompatibleSchemaException;
import io.streamguard.schemas.serde.AvroSerde;
import io.streamguard.schemas.serde.RegistryCallException;
import io.streamguard.schemas.serde.UnknownSchemaIdException;
import io.streamguard.schemas.serde.WireFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** BACKWARD evolution of TextEvent through the real broker and registry, and typed errors for bad bytes. */
class SchemaEvolutionIT {
    private static final Map<String, String> REGISTRY = Map.of("schema.registry.url", SharedStack.registryUrl());

    /** TextEvent as a newer producer might write it: one optional field more. */
    private static final Schema TEXT_EVENT_PLUS_PRIORITY = withExtraField(new Schema.Field(
            "priority",
            SchemaBuilder.unionOf().nullType().and().intType().endUnion(),
            null,
            Schema.Field.NULL_DEFAULT_VALUE));

    /** TextEvent with a new field that has no default: old data cannot be read with it. */
    private static final Schema TEXT_EVENT_PLUS_REQUIRED =
            withExtraField(new Schema.Field("tenant", Schema.create(Schema.Type.STRING), null, (Object) null));

    @Test
    void oldConsumerReadsRecordWrittenWithAnAddedOptionalField() throws Exception {
        String topic = SharedStack.newTopic(Topics.TEXT_EVENTS, 1);
        try (AvroSerde<TextEvent> specific = AvroSerde.specific(TextEvent.class);
                AvroSerde<GenericRecord> generic = AvroSerde.generic()) {
            specific.configure(REGISTRY, false);
            generic.configure(REGISTRY, false);
            try (KafkaProducer<String, TextEvent> v1 = new KafkaProducer<>(
                            SharedStack.producerProps(), new StringSerializer(), specific.serializer());
                    KafkaProducer<String, GenericRecord> v2 = new KafkaProducer<>(
                            SharedStack.producerProps(), new StringSerializer(), generic.serializer())) {
                v1.send(new ProducerRecord<>(
                                topic,
                                "a",
                                TextEvent.newBuilder()
                                        .setId("a")
                                        .setText("first")
                                        .build()))
                        .get();
                GenericRecord newer = new GenericData.Record(TEXT_EVENT_PLUS_PRIORITY);
                newer.put("id", "b");
                newer.put("text", "second");
                newer.put("attributes", Map.of("k", "v"));
                newer.put("priority", 7);
                v2.send(new ProducerRecord<>(topic, "b", newer)).get();
            }

            try (KafkaConsumer<String, TextEvent> old = new KafkaConsumer<>(
                    SharedStack.consumerProps(), new StringDeserializer(), specific.deserializer())) {
                old.subscribe(List.of(topic));
                List<TextEvent> read = PythonAndKcatInteropIT.pollUntil(old, 2).stream()
                        .map(r -> r.value())
                        .toList();
                assertThat(read)
                        .extracting(TextEvent::getId, TextEvent::getText)
                        .containsExactly(Tuple.tuple("a", "first"), Tuple.tuple("b", "second"));
                assertThat(read.get(1).getAttributes()).containsEntry("k", "v");
            }
        }
    }

    @Test
    void producerWithAnIncompatibleSchemaIsRefusedWithATypedError() {
        String topic = SharedStack.newTopic(Topics.TEXT_EVENTS, 1);
        try (AvroSerde<TextEvent> specific = AvroSerde.specific(TextEvent.class);
                AvroSerde<GenericRecord> generic = AvroSerde.generic()) {
            specific.configure(REGISTRY, false);
            generic.configure(REGISTRY, false);
            specific.serializer()
                    .serialize(
                            topic,
                            TextEvent.newBuilder().setId("a").setText("t").build());
            GenericRecord bad = new GenericData.Record(TEXT_EVENT_PLUS_REQUIRED);
            bad.put("id", "x");
            bad.put("text", "y");
            bad.put("attributes", Map.of());
            bad.put("tenant", "acme");

            assertThatThrownBy(() -> generic.serializer().serialize(topic, bad))
                    .isInstanceOf(RegistryCallException.class)
                    .hasCauseInstanceOf(IncompatibleSchemaException.class);
        }
    }

    @Test
    void badBytesAreTypedErrorsNotCrashes() {
        String topic = SharedStack.newTopic(Topics.TEXT_EVENTS, 1);
        try (AvroSerde<TextEvent> serde = AvroSerde.specific(TextEvent.class)) {
            serde.configure(REGISTRY, false);
            byte[] good = serde.serializer()
                    .serialize(
                            topic,
                            TextEvent.newBuilder().setId("a").setText("hello").build());

            byte[] wrongMagic = good.clone();
            wrongMagic[0] = 1;
            assertThatThrownBy(() -> serde.deserializer().deserialize(topic, wrongMagic))
                    .isInstanceOf(WireFormatException.class)
                    .hasMessageContaining("magic");

            byte[] unknownId = good.clone();
            unknownId[1] = 0x7f;
            assertThatThrownBy(() -> serde.deserializer().deserialize(topic, unknownId))
                    .isInstanceOf(UnknownSchemaIdException.class);

            byte[] truncated = Arrays.copyOf(good, good.length - 3);
            assertThatThrownBy(() -> serde.deserializer().deserialize(topic, truncated))
                    .isInstanceOf(WireFormatException.class);

            assertThat(serde.deserializer().deserialize(topic, good).getText()).isEqualTo("hello");
        }
    }

    private static Schema withExtraField(Schema.Field extra) {
        Schema base = TextEvent.getClassSchema();
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : base.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(extra);
        return Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
    }
}
