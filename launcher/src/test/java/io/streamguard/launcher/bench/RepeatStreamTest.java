package io.streamguard.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RepeatStreamTest {

    private final List<String> fresh =
            IntStream.range(0, 5_000).mapToObj(i -> "text " + i).toList();

    @Test
    void aboutTheAskedShareRepeatsEarlierTextsAndNewOnesComeInOrder() {
        List<String> stream = RepeatStream.of(fresh, 2_000, 0.3, 7);

        int distinct = new HashSet<>(stream).size();
        assertThat(stream).hasSize(2_000);
        assertThat(2_000 - distinct).isBetween(540, 660); // 600 expected
        assertThat(stream.stream().distinct().toList()).isEqualTo(fresh.subList(0, distinct));
        assertThat(RepeatStream.of(fresh, 2_000, 0.3, 7)).as("seeded").isEqualTo(stream);
        assertThat(RepeatStream.of(fresh, 50, 0, 7)).isEqualTo(fresh.subList(0, 50));
    }

    @Test
    void refusesShareOutsideTheUnitIntervalAndTooFewTexts() {
        assertThatThrownBy(() -> RepeatStream.of(fresh, 10, 1, 7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RepeatStream.of(fresh.subList(0, 3), 10, 0, 7))
                .hasMessage("only 3 distinct texts for 10");
    }
}
