package io.streamguard.launcher.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamguard.launcher.input.InputEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

class AvroJsonTest {

    @Test
    void textEventBecomesPlainJson() {
        InputEvent in = new InputEvent(
                "e1", "héllo 👋", "en", null, null, Instant.parse("2024-05-01T12:00:00.123Z"), Map.of("room", "42"), 1);

        JsonNode json = AvroJson.toJson(in.toAvro());

        assertThat(json.toString())
                .isEqualTo(
                        "{\"id\":\"e1\",\"text\":\"héllo 👋\",\"language\":\"en\",\"source\":null,"
                                + "\"author\":null,\"eventTime\":\"2024-05-01T12:00:00.123Z\",\"attributes\":{\"room\":\"42\"}}");
    }

    @Test
    void genericTimestampsAreShownAsInstantsAndBytesAsBase64() {
        Schema schema = SchemaBuilder.record("R")
                .fields()
                .name("at")
                .type()
                .optional()
                .type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
                .requiredLong("count")
                .requiredBytes("blob")
                .name("tags")
                .type()
                .array()
                .items()
                .stringType()
                .noDefault()
                .endRecord();
        GenericData.Record record = new GenericData.Record(schema);
        record.put("at", 1714564800000L);
        record.put("count", 1714564800000L);
        record.put("blob", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        record.put("tags", List.of(new Utf8("a"), "b"));

        assertThat(AvroJson.toJson(record).toString())
                .isEqualTo(
                        "{\"at\":\"2024-05-01T12:00:00Z\",\"count\":1714564800000,\"blob\":\"AQID\",\"tags\":[\"a\",\"b\"]}");
    }
}
