package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads the real files: row counts and balance as published in shared/datasets/README.md. */
class BuiltinDatasetsTest {

    private static BuiltinDatasets data;

    @BeforeAll
    static void locate() {
        data = BuiltinDatasets.fromEnvironment();
        assumeTrue(data.available(), "datasets not found at " + data.dir());
    }

    @Test
    void sst2() {
        Dataset train = data.train(Task.SENTIMENT);
        assertThat(train.size()).isEqualTo(67_349);
        assertThat(train.positives()).isEqualTo(37_569);
        assertThat(train.texts().get(0)).isEqualTo("hide new secretions from the parental units");
        Dataset dev = data.validation(Task.SENTIMENT).orElseThrow();
        assertThat(dev.size()).isEqualTo(872);
        assertThat(dev.positives()).isEqualTo(444);
    }

    @Test
    void tweetEvalSkipsOnlyTheEmptyTweets() {
        assertThat(data.train(Task.OFFENSIVE).size()).isEqualTo(11_916);
        assertThat(data.validation(Task.OFFENSIVE).orElseThrow().size()).isEqualTo(1_324);
        Dataset hate = data.train(Task.HATE);
        assertThat(hate.size() + hate.skipped()).isEqualTo(9_000);
        assertThat(hate.skipped()).isEqualTo(7);
        Dataset hateVal = data.validation(Task.HATE).orElseThrow();
        assertThat(hateVal.size()).isEqualTo(999);
        assertThat(hateVal.rows()).allSatisfy(r -> assertThat(r.text()).isNotBlank());
    }

    @Test
    void spamHasNoValidationFileButStratifiedFolds() {
        Dataset train = data.train(Task.SPAM);
        assertThat(train.size()).isEqualTo(4_459);
        assertThat(train.positives()).isEqualTo(591);
        assertThat(data.validation(Task.SPAM)).isEmpty();
        List<StratifiedKFold.Fold> folds = BuiltinDatasets.spamFolds(train);
        assertThat(folds).hasSize(5);
        Dataset holdout = train.subset(folds.get(0).test(), "fold 0");
        assertThat(holdout.size()).isBetween(891, 892);
        assertThat(holdout.positives()).isBetween(118, 119);
    }
}
