package io.streamguard.model.tokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Several encodings padded to one length and laid out row-major in flat arrays, the shape an
 * encoder consumes as a {@code [size, sequenceLength]} int tensor without further copying.
 *
 * <p><b>Ownership:</b> as for {@link Encoding}, arrays are neither copied in nor out; treat them as
 * read-only.
 *
 * @param size the number of rows (texts)
 * @param sequenceLength the padded length of every row
 * @param ids {@code size * sequenceLength} ids; row {@code r} starts at {@code r * sequenceLength}
 *     and is padded with the vocabulary's {@code [PAD]} id
 * @param attentionMask 1 for real ids, 0 for padding, same layout as {@code ids}
 * @param lengths the number of real ids in each row
 * @param truncated whether each row's text was truncated
 */
public record EncodedBatch(
        int size, int sequenceLength, int[] ids, int[] attentionMask, int[] lengths, boolean[] truncated) {

    public EncodedBatch {
        if (size < 0 || sequenceLength < 0) {
            throw new IllegalArgumentException("negative size " + size + " or sequenceLength " + sequenceLength);
        }
        int cells = Math.multiplyExact(size, sequenceLength);
        if (ids.length != cells || attentionMask.length != cells) {
            throw new IllegalArgumentException("ids/attentionMask must hold size * sequenceLength = " + cells
                    + " entries, got " + ids.length + "/" + attentionMask.length);
        }
        if (lengths.length != size || truncated.length != size) {
            throw new IllegalArgumentException("lengths/truncated must hold one entry per row (" + size + ")");
        }
        for (int length : lengths) {
            if (length < 0 || length > sequenceLength) {
                throw new IllegalArgumentException("row length " + length + " outside 0.." + sequenceLength);
            }
        }
    }

    /**
     * Lays out already tokenized texts as one batch, padded with {@code padId} to the longest
     * {@link Encoding#length()} (positions past an encoding's length are ignored, so padded encodings
     * are fine). For the vocabulary's {@code [PAD]} id this equals {@link BertTokenizer#encodeBatch}
     * of the same texts; {@link BertTokenizer#pad} supplies that id.
     */
    public static EncodedBatch of(List<Encoding> encodings, int padId) {
        int size = encodings.size();
        int longest = 0;
        for (Encoding e : encodings) {
            longest = Math.max(longest, e.length());
        }
        int[] ids = new int[Math.multiplyExact(size, longest)];
        int[] mask = new int[ids.length];
        int[] lengths = new int[size];
        boolean[] truncated = new boolean[size];
        for (int row = 0; row < size; row++) {
            Encoding e = encodings.get(row);
            int from = row * longest;
            System.arraycopy(e.ids(), 0, ids, from, e.length());
            Arrays.fill(ids, from + e.length(), from + longest, padId);
            Arrays.fill(mask, from, from + e.length(), 1);
            lengths[row] = e.length();
            truncated[row] = e.truncated();
        }
        return new EncodedBatch(size, longest, ids, mask, lengths, truncated);
    }

    /** Row {@code row} without its padding; a copy, equal to what encoding that text alone gives. */
    public Encoding row(int row) {
        Objects.checkIndex(row, size);
        int from = row * sequenceLength;
        int to = from + lengths[row];
        return new Encoding(
                Arrays.copyOfRange(ids, from, to),
                Arrays.copyOfRange(attentionMask, from, to),
                lengths[row],
                truncated[row]);
    }

    /** How many rows were truncated, e.g. for a metric. */
    public int truncatedCount() {
        int n = 0;
        for (boolean t : truncated) {
            if (t) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedBatch other
                && size == other.size
                && sequenceLength == other.sequenceLength
                && Arrays.equals(ids, other.ids)
                && Arrays.equals(attentionMask, other.attentionMask)
                && Arrays.equals(lengths, other.lengths)
                && Arrays.equals(truncated, other.truncated);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                size,
                sequenceLength,
                Arrays.hashCode(ids),
                Arrays.hashCode(attentionMask),
                Arrays.hashCode(lengths),
                Arrays.hashCode(truncated));
    }

    @Override
    public String toString() {
        return "EncodedBatch[size=" + size + ", sequenceLength=" + sequenceLength + ", lengths="
                + Arrays.toString(lengths) + ", truncated=" + truncatedCount() + "]";
    }
}
