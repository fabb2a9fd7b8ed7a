package io.streamguard.model.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TopWordsTest {

    private static WordWeight w(String word, int start, double weight) {
        return new WordWeight(new Word(word, start, start + word.length()), weight);
    }

    @Test
    void strongestFirstAboveTheMinimumAtMostK() {
        List<WordWeight> weights =
                List.of(w("you", 0, 0.01), w("are", 4, -0.2), w("an", 8, 0.05), w("idiot", 11, 0.6), w("ok", 17, 0.05));
        assertThat(TopWords.of(weights, 2, 0.02)).containsExactly(weights.get(3), weights.get(2));
        assertThat(TopWords.of(weights, 5, 0.02)).containsExactly(weights.get(3), weights.get(2), weights.get(4));
        assertThat(TopWords.of(weights, 5, 1.0)).isEmpty();
        assertThat(TopWords.of(weights, 0, -1)).isEmpty();
    }
}
