package io.streamguard.topology.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Avro binary encoding written by hand, so a record can carry lengths and counts that lie. */
final class AvroBytes {
    private AvroBytes() {}

    /** Avro's zig-zag varint of {@code n}. */
    static byte[] varint(long n) {
        long z = (n << 1) ^ (n >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
        return out.toByteArray();
    }

    static byte[] str(String s) {
        return bytesField(s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] bytesField(byte[] b) {
        return concat(varint(b.length), b);
    }

    /** {@code count} nullable fields set to null (union branch 0). */
    static byte[] nulls(int count) {
        return new byte[count];
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
