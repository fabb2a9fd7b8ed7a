package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedKFoldTest {

    @Test
    void foldsPartitionTheRowsAndKeepTheClassBalance() {
        int[] labels = new int[103];
        for (int i = 0; i < 13; i++) {
            labels[i * 7] = 1; // 13 positives spread through 103 rows
        }
        List<StratifiedKFold.Fold> folds = StratifiedKFold.split(labels, 5, 42);
        assertThat(folds).hasSize(5);
        int[] all = folds.stream()
                .flatMapToInt(f -> Arrays.stream(f.test()))
                .sorted()
                .toArray();
        assertThat(all).isEqualTo(IntStream.range(0, 103).toArray());
        for (StratifiedKFold.Fold fold : folds) {
            long positives =
                    Arrays.stream(fold.test()).filter(i -> labels[i] == 1).count();
            assertThat(positives).isBetween(2L, 3L);
            assertThat(fold.test().length).isBetween(20, 21);
            assertThat(fold.train().length + fold.test().length).isEqualTo(103);
            assertThat(fold.train()).doesNotContain(fold.test());
            assertThat(fold.test()).isSorted();
        }
    }

    @Test
    void sameSeedSameFoldsOtherSeedOtherFolds() {
        int[] labels = IntStream.range(0, 50).map(i -> i % 3 == 0 ? 1 : 0).toArray();
        assertThat(StratifiedKFold.split(labels, 5, 1).get(2).test())
                .isEqualTo(StratifiedKFold.split(labels, 5, 1).get(2).test())
                .isNotEqualTo(StratifiedKFold.split(labels, 5, 2).get(2).test());
    }

    @Test
    void refusesClassesSmallerThanK() {
        assertThatThrownBy(() -> StratifiedKFold.split(new int[] {0, 0, 0, 0, 0, 1, 1}, 5, 1))
                .hasMessageContaining("class 1 has 2 rows");
    }
}
