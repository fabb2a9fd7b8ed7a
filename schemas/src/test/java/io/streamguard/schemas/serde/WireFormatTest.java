package io.streamguard.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    @Test
    void headerIsMagicByteThenBigEndianId() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        WireFormat.writeHeader(out, 0x01020304);

        assertThat(out.toByteArray()).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04);
    }

    @Test
    void parseReadsIdAndLocatesThePayload() {
        byte[] data = {0x00, 0x00, 0x00, 0x01, (byte) 0xff, 42, 43};

        assertThat(WireFormat.parse(data, "t")).isEqualTo(new WireFormat.Header(511, 5, 2));
    }

    @Test
    void headerOnlyIsAnEmptyPayload() {
        assertThat(WireFormat.parse(new byte[] {0, 0, 0, 0, 9}, "t")).isEqualTo(new WireFormat.Header(9, 5, 0));
    }

    @Test
    void tooShortForAHeader() {
        WireFormatException e = catchThrowableOfType(
                WireFormatException.class, () -> WireFormat.parse(new byte[] {0, 0, 1}, "text-events"));

        assertThat(e.topic()).isEqualTo("text-events");
        assertThat(e.schemaId()).isEmpty();
        assertThat(e.reason()).contains("3 byte(s)").contains("5-byte header");
        assertThat(e).hasMessageStartingWith("Malformed record on topic 'text-events': ");
    }

    @Test
    void wrongMagicByte() {
        WireFormatException e = catchThrowableOfType(
                WireFormatException.class, () -> WireFormat.parse("{\"id\":1}".getBytes(), "text-events"));

        assertThat(e.reason()).contains("unknown magic byte 0x7b");
        assertThat(e.schemaId()).isEmpty();
    }
}
