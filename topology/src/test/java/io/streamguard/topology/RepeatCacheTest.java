package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.heads.Scores;
import io.streamguard.model.tokenizer.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class RepeatCacheTest {

    /** Scores a text by its first id and records every call, so a test sees what reached the encoder. */
    private final List<List<Integer>> calls = new ArrayList<>();

    private final AtomicReference<String> version = new AtomicReference<>("v1");
    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger misses = new AtomicInteger();

    private final BatchScorer encoder = new BatchScorer() {
        @Override
        public List<ScoredText> score(List<Encoding> encodings) {
            calls.add(encodings.stream().map(e -> e.ids()[1]).toList());
            ModelInfo model = new ModelInfo(version.get(), Map.of());
            return encodings.stream()
                    .map(e -> new ScoredText(
                            new Scores(Map.of("spam", e.ids()[1] / 1000f), Map.of()), e.truncated(), model))
                    .toList();
        }

        @Override
        public String vocabHash() {
            return "vocab";
        }
    };

    private final RepeatCache cache =
            new RepeatCache(encoder, version::get, 3, hits::incrementAndGet, misses::incrementAndGet);

    @Test
    void aRepeatIsAnsweredWithoutTheEncoderAndWithTheFirstCopysScores() {
        List<ScoredText> first = cache.score(List.of(text(7), text(8)));
        List<ScoredText> again = cache.score(List.of(text(8), text(9), text(7)));

        assertThat(calls).containsExactly(List.of(7, 8), List.of(9));
        assertThat(again.get(0)).isSameAs(first.get(1));
        assertThat(again.get(2)).isSameAs(first.get(0));
        assertThat(again).extracting(s -> s.scores().labels().get("spam")).containsExactly(0.008f, 0.009f, 0.007f);
        assertThat(hits).hasValue(2);
        assertThat(misses).hasValue(3);
    }

    @Test
    void copiesWithinOneBatchReachTheEncoderOnceAndEveryPositionGetsItsAnswer() {
        List<ScoredText> out = cache.score(List.of(text(5), text(6), text(5), text(5)));

        assertThat(calls).containsExactly(List.of(5, 6));
        assertThat(out)
                .extracting(s -> s.scores().labels().get("spam"))
                .containsExactly(0.005f, 0.006f, 0.005f, 0.005f);
        assertThat(hits).hasValue(2);
        assertThat(misses).hasValue(2);
    }

    @Test
    void aNewVersionEmptiesTheCacheAndRepeatsAreScoredByIt() {
        cache.score(List.of(text(1)));
        version.set("v2");

        List<ScoredText> out = cache.score(List.of(text(1)));

        assertThat(calls).containsExactly(List.of(1), List.of(1));
        assertThat(out.get(0).model().version()).isEqualTo("v2");
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aSwapDuringTheCallRescoresTheWholeBatchOnTheNewVersion() {
        AtomicReference<Boolean> swapOnNextCall = new AtomicReference<>(false);
        BatchScorer swapping = new BatchScorer() {
            @Override
            public List<ScoredText> score(List<Encoding> encodings) {
                if (swapOnNextCall.getAndSet(false)) {
                    version.set("v2"); // the follower swaps while this call runs
                }
                return encoder.score(encodings);
            }

            @Override
            public String vocabHash() {
                return "vocab";
            }
        };
        AtomicReference<String> servedAtLookup = new AtomicReference<>("v1");
        RepeatCache racing =
                new RepeatCache(swapping, servedAtLookup::get, 3, hits::incrementAndGet, misses::incrementAndGet);
        racing.score(List.of(text(1)));
        calls.clear();
        swapOnNextCall.set(true);

        List<ScoredText> out = racing.score(List.of(text(1), text(2)));

        // Text 1 was a hit on v1, text 2 came back on v2: the batch is scored again, all on v2.
        assertThat(out).extracting(s -> s.model().version()).containsExactly("v2", "v2");
        assertThat(calls).containsExactly(List.of(2), List.of(1, 2));
    }

    @Test
    void aTruncatedTextIsNotTheSameEntryAsOneThatFitExactly() {
        cache.score(List.of(text(4)));
        List<ScoredText> out = cache.score(List.of(truncated(4)));

        assertThat(calls).hasSize(2);
        assertThat(out.get(0).truncated()).isTrue();
    }

    @Test
    void itKeepsAtMostItsEntriesLeastRecentlyUsedFirst() {
        for (int i = 0; i < 50; i++) {
            cache.score(List.of(text(100 + i)));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(3);
    }

    private static Encoding text(int id) {
        return encoding(new int[] {101, id, 102}, false);
    }

    private static Encoding truncated(int id) {
        return encoding(new int[] {101, id, 102}, true);
    }

    private static Encoding encoding(int[] ids, boolean truncated) {
        int[] mask = new int[ids.length];
        Arrays.fill(mask, 1);
        return new Encoding(ids, mask, ids.length, truncated);
    }
}
