package io.streamguard.schemas.serde;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoder over a byte array that rejects lengths and item counts larger than the bytes
 * left. Avro's own decoder allocates a string, byte or collection buffer of the declared size before
 * reading it, so one corrupt length prefix could demand gigabytes; here it fails fast with an
 * {@link EOFException} instead.
 *
 * <p>The item-count bound assumes every collection item takes at least one byte, which holds for all
 * types except {@code null} and empty records; arrays of more such items than the record has bytes
 * are rejected. Nobody writes those.
 */
final class BoundedBinaryDecoder extends Decoder {

    private final BinaryDecoder in;
    // For a byte-array source, available() is exactly the number of unread bytes.
    private final InputStream unread;

    BoundedBinaryDecoder(byte[] data, int offset, int length) {
        this.in = DecoderFactory.get().binaryDecoder(data, offset, length, null);
        this.unread = in.inputStream();
    }

    /** True once every byte has been consumed. */
    boolean isEnd() throws IOException {
        return in.isEnd();
    }

    int remaining() throws IOException {
        return unread.available();
    }

    private int length(String what) throws IOException {
        long length = in.readLong();
        int remaining = remaining();
        if (length < 0 || length > remaining) {
            throw new EOFException(what + " length " + length + " exceeds the " + remaining + " remaining byte(s)");
        }
        return (int) length;
    }

    private long items(long count, String what) throws IOException {
        int remaining = remaining();
        if (count > remaining) {
            throw new EOFException(what + " declares " + count + " item(s) but only " + remaining + " byte(s) remain");
        }
        return count;
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int length = length("string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(length);
        in.readFixed(result.getBytes(), 0, length);
        return result;
    }

    @Override
    public String readString() throws IOException {
        return readString(null).toString();
    }

    @Override
    public void skipString() throws IOException {
        in.skipFixed(length("string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int length = length("bytes");
        ByteBuffer result;
        if (old != null && old.hasArray() && length <= old.capacity()) {
            result = old;
            result.clear();
        } else {
            result = ByteBuffer.allocate(length);
        }
        in.readFixed(result.array(), result.arrayOffset() + result.position(), length);
        result.limit(length);
        return result;
    }

    @Override
    public void skipBytes() throws IOException {
        in.skipFixed(length("bytes"));
    }

    @Override
    public long readArrayStart() throws IOException {
        return items(in.readArrayStart(), "array");
    }

    @Override
    public long arrayNext() throws IOException {
        return items(in.arrayNext(), "array");
    }

    @Override
    public long skipArray() throws IOException {
        return items(in.skipArray(), "array");
    }

    @Override
    public long readMapStart() throws IOException {
        return items(in.readMapStart(), "map");
    }

    @Override
    public long mapNext() throws IOException {
        return items(in.mapNext(), "map");
    }

    @Override
    public long skipMap() throws IOException {
        return items(in.skipMap(), "map");
    }

    // Fixed-size values need no bound: their sizes come from the schema, not the data.

    @Override
    public void readNull() throws IOException {
        in.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return in.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return in.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return in.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return in.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return in.readDouble();
    }

    @Override
    public void readFixed(byte[] bytes, int start, int length) throws IOException {
        in.readFixed(bytes, start, length);
    }

    @Override
    public void skipFixed(int length) throws IOException {
        in.skipFixed(length);
    }

    @Override
    public int readEnum() throws IOException {
        return in.readEnum();
    }

    @Override
    public int readIndex() throws IOException {
        return in.readIndex();
    }
}
