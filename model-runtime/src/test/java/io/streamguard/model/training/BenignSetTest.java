package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamguard.model.testing.TinyDatasets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benign set: what it draws from, that a seed fixes it, and that training can leave it out. */
class BenignSetTest {

    @TempDir
    Path tmp;

    @Test
    void civilNegativesForOffensiveAndHateHamOfTheSpamHoldOutForSpam() {
        BuiltinDatasets tiny = new BuiltinDatasets(TinyDatasets.write(tmp));
        BenignSet set = BenignSet.sample(tiny, 3, 5);

        assertThat(set.labels()).containsExactly("offensive", "hate", "spam");
        assertThat(set.items("offensive")).hasSize(5).isEqualTo(set.items("hate"));
        assertThat(set.items("offensive")).allSatisfy(item -> {
            assertThat(item.source()).isEqualTo("sst2/train.tsv");
            assertThat(item.text()).contains("hated every minute");
        });
        // Tiny's ham repeats itself: only hold-out ham whose text never occurs in folds 1-4 qualifies.
        Dataset sms = tiny.train(Task.SPAM);
        StratifiedKFold.Fold holdOut = BuiltinDatasets.spamFolds(sms).get(0);
        Set<Integer> holdOutHamLines = new HashSet<>();
        for (int i : holdOut.test()) {
            if (sms.rows().get(i).label() == 0) {
                holdOutHamLines.add(sms.rows().get(i).line());
            }
        }
        Set<String> trainedOn =
                new HashSet<>(sms.subset(holdOut.train(), "folds 1-4").texts());
        assertThat(set.items("spam")).isNotEmpty().hasSizeLessThanOrEqualTo(5).allSatisfy(item -> {
            assertThat(item.source()).isEqualTo("sms-spam/train.tsv");
            assertThat(holdOutHamLines).contains(item.line());
            assertThat(trainedOn).doesNotContain(item.text());
        });
        assertThat(set.items("sentiment")).isEmpty();
        assertThat(set.texts()).hasSize(5 + set.items("spam").size()).doesNotHaveDuplicates();
    }

    @Test
    void sameSeedSameSetOtherSeedOtherSet() {
        BuiltinDatasets tiny = new BuiltinDatasets(TinyDatasets.write(tmp));
        BenignSet a = BenignSet.sample(tiny, 3, 5);
        BenignSet b = BenignSet.sample(tiny, 3, 5);
        BenignSet c = BenignSet.sample(tiny, 4, 5);

        assertThat(b.texts()).isEqualTo(a.texts());
        assertThat(c.texts()).isNotEqualTo(a.texts());
        // Items are in file order whatever the draw.
        assertThat(a.items("offensive")).extracting(BenignSet.Item::line).isSorted();
    }

    @Test
    void perLabelCapsAtWhatThePoolHolds() {
        BuiltinDatasets tiny = new BuiltinDatasets(TinyDatasets.write(tmp));
        BenignSet set = BenignSet.sample(tiny, 3, 1000);

        assertThat(set.items("offensive")).hasSize(TinyDatasets.TRAIN_PER_CLASS);
        assertThat(set.items("spam")).hasSizeLessThan(TinyDatasets.HAM).isNotEmpty();
        assertThatThrownBy(() -> BenignSet.sample(tiny, 3, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutDropsEveryRowWithABenignTextAndKeepsTheRest() {
        BuiltinDatasets tiny = new BuiltinDatasets(TinyDatasets.write(tmp));
        BenignSet set = BenignSet.sample(tiny, 3, 5);
        Dataset sst2 = tiny.train(Task.SENTIMENT);

        Dataset kept = set.without(sst2);

        assertThat(kept.size()).isEqualTo(sst2.size() - 5);
        assertThat(kept.texts()).noneMatch(set::contains);
        assertThat(kept.positives()).isEqualTo(sst2.positives());
        assertThat(kept.source()).endsWith("(without the benign set)");
    }

    @Test
    void wordsCountsTokensWithALetterOrDigit() {
        assertThat(BenignSet.words("a dull , lifeless film .")).isEqualTo(4);
        assertThat(BenignSet.words("  it 's 2 hours too long  ")).isEqualTo(6);
    }

    @Test
    void onTheRealTrainSplitsTheSetIsDisjointFromValidationAndFollowsItsRules() {
        BuiltinDatasets real = BuiltinDatasets.fromEnvironment();
        assumeTrue(real.available(), "datasets not found at " + real.dir());
        BenignSet set = BenignSet.sample(real);

        assertThat(set.items("offensive")).hasSize(BenignSet.DEFAULT_PER_LABEL);
        assertThat(set.items("spam")).hasSizeBetween(700, BenignSet.DEFAULT_PER_LABEL);
        Dataset sst2 = real.train(Task.SENTIMENT);
        Set<String> negatives = new HashSet<>();
        sst2.rows().stream().filter(r -> r.label() == 0).forEach(r -> negatives.add(r.text()));
        assertThat(set.items("offensive")).allSatisfy(item -> {
            assertThat(negatives).contains(item.text());
            assertThat(BenignSet.words(item.text())).isGreaterThanOrEqualTo(BenignSet.MIN_WORDS);
        });
        // Nothing the model is validated on, and no SMS the v1 spam head trained on (folds 1-4).
        for (Task task : List.of(Task.SENTIMENT, Task.OFFENSIVE, Task.HATE)) {
            assertThat(real.validation(task).orElseThrow().texts()).noneMatch(set::contains);
        }
        Dataset sms = real.train(Task.SPAM);
        Set<String> spamTrainedOn =
                new HashSet<>(sms.subset(BuiltinDatasets.spamFolds(sms).get(0).train(), "folds 1-4")
                        .texts());
        assertThat(set.items("spam")).extracting(BenignSet.Item::text).noneMatch(spamTrainedOn::contains);
        assertThat(BenignSet.sample(real).texts()).isEqualTo(set.texts());
    }
}
