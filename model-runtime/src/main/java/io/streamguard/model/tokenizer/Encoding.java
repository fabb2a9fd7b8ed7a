package io.streamguard.model.tokenizer;

import java.util.Arrays;

/**
 * One tokenized text: {@code [CLS] pieces... [SEP]}, followed by padding if the arrays are longer
 * than {@code length}.
 *
 * <p><b>Ownership:</b> the arrays are not copied, neither on construction nor by the accessors,
 * because this sits on the per-message hot path. The encoding owns them; treat them as read-only.
 * {@link BertTokenizer} never touches an array after handing it out.
 *
 * @param ids token ids; {@code ids[0]} is {@code [CLS]} and {@code ids[length - 1]} is
 *     {@code [SEP]}; entries from {@code length} on are padding
 * @param attentionMask 1 for the first {@code length} positions, 0 for padding
 * @param length the number of real (non-padding) ids
 * @param truncated whether the text produced more pieces than fit and the tail was dropped
 */
public record Encoding(int[] ids, int[] attentionMask, int length, boolean truncated) {

    public Encoding {
        if (ids.length != attentionMask.length) {
            throw new IllegalArgumentException(
                    "ids and attentionMask differ in length: " + ids.length + " vs " + attentionMask.length);
        }
        if (length < 0 || length > ids.length) {
            throw new IllegalArgumentException("length " + length + " outside 0.." + ids.length);
        }
    }

    /** Compares array contents; the generated record equality would compare array identity. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Encoding other
                && length == other.length
                && truncated == other.truncated
                && Arrays.equals(ids, other.ids)
                && Arrays.equals(attentionMask, other.attentionMask);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ids) + Arrays.hashCode(attentionMask)) + 2 * length + (truncated ? 1 : 0);
    }

    @Override
    public String toString() {
        return "Encoding[ids=" + Arrays.toString(ids) + ", length=" + length + ", truncated=" + truncated + "]";
    }
}
