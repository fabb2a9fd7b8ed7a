package io.streamguard.schemas.serde;

import java.io.ByteArrayOutputStream;

/**
 * Confluent's framing of a registry-encoded record: magic byte {@code 0x00}, the schema id as a 4-byte
 * big-endian int, then the Avro binary body.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0x00;
    /** Magic byte plus schema id. */
    public static final int HEADER_SIZE = 5;

    /** Where a framed record's parts lie. */
    public record Header(int schemaId, int payloadOffset, int payloadLength) {}

    private WireFormat() {}

    /** Writes the 5-byte header for {@code schemaId}. */
    public static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /**
     * Reads the header of {@code data}.
     *
     * @param topic only for the error message
     * @throws WireFormatException if {@code data} is shorter than the header or the magic byte is wrong
     */
    public static Header parse(byte[] data, String topic) {
        if (data.length < HEADER_SIZE) {
            throw new WireFormatException(
                    topic,
                    null,
                    "record has " + data.length + " byte(s), fewer than the " + HEADER_SIZE
                            + "-byte header (magic byte + schema id)");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new WireFormatException(
                    topic,
                    null,
                    String.format(
                            "unknown magic byte 0x%02x (expected 0x00); not written by a schema-registry serializer",
                            data[0] & 0xff));
        }
        int id = (data[1] & 0xff) << 24 | (data[2] & 0xff) << 16 | (data[3] & 0xff) << 8 | (data[4] & 0xff);
        return new Header(id, HEADER_SIZE, data.length - HEADER_SIZE);
    }
}
