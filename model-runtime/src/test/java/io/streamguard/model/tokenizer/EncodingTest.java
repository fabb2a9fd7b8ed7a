package io.streamguard.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EncodingTest {

    @Test
    void equalityIsByContentNotArrayIdentity() {
        Encoding a = new Encoding(new int[] {101, 7592, 102}, new int[] {1, 1, 1}, 3, false);
        Encoding b = new Encoding(new int[] {101, 7592, 102}, new int[] {1, 1, 1}, 3, false);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Encoding(new int[] {101, 7592, 102}, new int[] {1, 1, 1}, 3, true));
        assertThat(a).isNotEqualTo(new Encoding(new int[] {101, 2088, 102}, new int[] {1, 1, 1}, 3, false));
        assertThat(a.toString()).contains("[101, 7592, 102]", "length=3", "truncated=false");
    }

    @Test
    void doesNotCopyItsArrays() {
        int[] ids = {101, 102};
        Encoding e = new Encoding(ids, new int[] {1, 1}, 2, false);
        assertThat(e.ids()).isSameAs(ids);
    }

    @Test
    void allowsPaddingBeyondLength() {
        Encoding padded = new Encoding(new int[] {101, 102, 0, 0}, new int[] {1, 1, 0, 0}, 2, false);
        assertThat(padded.length()).isEqualTo(2);
    }

    @Test
    void validatesShape() {
        assertThatThrownBy(() -> new Encoding(new int[2], new int[3], 2, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("differ in length");
        assertThatThrownBy(() -> new Encoding(new int[2], new int[2], 3, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 0..2");
    }

    @Test
    void batchValidatesShape() {
        assertThatThrownBy(() -> new EncodedBatch(2, 3, new int[5], new int[6], new int[2], new boolean[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size * sequenceLength = 6");
        assertThatThrownBy(() -> new EncodedBatch(2, 3, new int[6], new int[6], new int[1], new boolean[2]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one entry per row");
        assertThatThrownBy(() -> new EncodedBatch(1, 3, new int[3], new int[3], new int[] {4}, new boolean[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("row length 4");
        EncodedBatch ok = new EncodedBatch(
                1, 3, new int[] {101, 102, 0}, new int[] {1, 1, 0}, new int[] {2}, new boolean[] {false});
        assertThat(ok.row(0)).isEqualTo(new Encoding(new int[] {101, 102}, new int[] {1, 1}, 2, false));
        assertThat(ok)
                .isEqualTo(new EncodedBatch(
                        1, 3, new int[] {101, 102, 0}, new int[] {1, 1, 0}, new int[] {2}, new boolean[] {false}));
        assertThatThrownBy(() -> ok.row(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
