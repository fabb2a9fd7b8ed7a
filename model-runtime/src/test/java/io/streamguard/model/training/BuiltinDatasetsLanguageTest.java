package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.language.Language;
import io.streamguard.model.testing.TinyDatasets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files each language's tasks read: tiny copies of the layout, and the real Chinese files when present. */
class BuiltinDatasetsLanguageTest {

    @TempDir
    Path dir;

    @Test
    void onlyTheChineseEncoderIsChinese() {
        assertThat(Language.ofEncoder(EncoderConfig.BGE_SMALL_ZH)).isEqualTo(Language.CHINESE);
        assertThat(Language.ofEncoder(EncoderConfig.MINILM_L6)).isEqualTo(Language.ENGLISH);
        assertThat(Language.ofEncoder(EncoderConfig.BERT_BASE_UNCASED)).isEqualTo(Language.ENGLISH);
        assertThat(Language.CHINESE.code()).isEqualTo("zh");
        assertThat(Language.CHINESE.displayName()).isEqualTo("Chinese");
    }

    @Test
    void chineseHasOffensiveAndSentimentUnderTheEnglishTaskNames() {
        assertThat(BuiltinDatasets.tasks(Language.ENGLISH))
                .containsExactly(Task.OFFENSIVE, Task.HATE, Task.SPAM, Task.SENTIMENT);
        assertThat(BuiltinDatasets.tasks(Language.CHINESE)).containsExactly(Task.OFFENSIVE, Task.SENTIMENT);
        BuiltinDatasets data = new BuiltinDatasets(TinyDatasets.writeChinese(dir));
        assertThatThrownBy(() -> data.train(Task.SPAM, Language.CHINESE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no Chinese data for task spam (Chinese has offensive, sentiment)");
        assertThatThrownBy(() -> data.validation(Task.HATE, Language.CHINESE))
                .hasMessage("no Chinese data for task hate (Chinese has offensive, sentiment)");
    }

    @Test
    void chineseReadsColdAndChnSentiCorpEnglishTheRest() {
        BuiltinDatasets data = new BuiltinDatasets(TinyDatasets.writeChinese(dir));
        assertThat(data.available(Language.CHINESE)).isTrue();
        assertThat(data.available()).as("the English files are not there").isFalse();
        assertThat(data.available(Language.ENGLISH)).isFalse();

        Dataset offensive = data.train(Task.OFFENSIVE, Language.CHINESE);
        assertThat(offensive.source()).isEqualTo(dir.resolve("cold/train.csv").toString());
        assertThat(offensive.size()).isEqualTo(2 * TinyDatasets.TRAIN_PER_CLASS);
        assertThat(offensive.positives()).isEqualTo(TinyDatasets.TRAIN_PER_CLASS);
        assertThat(offensive.texts()).anySatisfy(t -> assertThat(t).contains(",", "\""));
        assertThat(data.validation(Task.OFFENSIVE, Language.CHINESE)
                        .orElseThrow()
                        .source())
                .isEqualTo(dir.resolve("cold/dev.csv").toString());
        assertThat(data.train(Task.SENTIMENT, Language.CHINESE).source())
                .isEqualTo(dir.resolve("chnsenticorp/train.tsv").toString());
        assertThat(data.validation(Task.SENTIMENT, Language.CHINESE)
                        .orElseThrow()
                        .size())
                .isEqualTo(2 * TinyDatasets.VALIDATION_PER_CLASS);

        TinyDatasets.write(dir);
        assertThat(data.available()).isTrue();
        assertThat(data.train(Task.SENTIMENT).source())
                .isEqualTo(dir.resolve("sst2/train.tsv").toString());
        assertThat(data.train(Task.OFFENSIVE, Language.ENGLISH).source()).contains("tweeteval");
    }

    @Test
    void chineseBenignSetIsNegativeChnSentiCorpReviewsForOffensiveOnly() {
        BuiltinDatasets data = new BuiltinDatasets(TinyDatasets.writeChinese(dir));
        BenignSet benign = BenignSet.sample(data, Language.CHINESE);
        assertThat(benign.labels()).containsExactly("offensive");
        Dataset reviews = data.train(Task.SENTIMENT, Language.CHINESE);
        assertThat(benign.items("offensive"))
                .hasSize(TinyDatasets.TRAIN_PER_CLASS)
                .allSatisfy(item -> {
                    assertThat(item.source()).isEqualTo("chnsenticorp/train.tsv");
                    assertThat(reviews.rows().stream()
                                    .filter(r -> r.line() == item.line())
                                    .findFirst()
                                    .orElseThrow()
                                    .label())
                            .isZero();
                });
        assertThat(benign.rule("offensive")).startsWith("negative ChnSentiCorp train reviews");
        assertThat(benign.heldOut().smoke()).isEqualTo(BenignSet.SMOKE_CHINESE);
        assertThat(BenignSet.of(Map.of("offensive", List.of("fine"))).smoke()).isEqualTo(BenignSet.SMOKE);
    }

    /** The real files: row counts as published in shared/datasets/README.md, balance as counted once. */
    @Test
    void realColdAndChnSentiCorp() {
        BuiltinDatasets data = BuiltinDatasets.fromEnvironment();
        assumeTrue(data.available(Language.CHINESE), "Chinese datasets not found at " + data.dir());

        Dataset cold = data.train(Task.OFFENSIVE, Language.CHINESE);
        assertThat(cold.size()).isEqualTo(25_726);
        assertThat(cold.positives()).isEqualTo(12_723);
        assertThat(cold.texts().get(0)).startsWith("也是，想想物流爆仓");
        assertThat(cold.texts()).contains("说的好。亚洲人在那里也属于,少数族裔，但是被压迫的不行了");
        Dataset coldDev = data.validation(Task.OFFENSIVE, Language.CHINESE).orElseThrow();
        assertThat(coldDev.size()).isEqualTo(6_431);
        assertThat(coldDev.positives()).isEqualTo(3_211);

        Dataset senti = data.train(Task.SENTIMENT, Language.CHINESE);
        assertThat(senti.size()).isEqualTo(9_600);
        assertThat(senti.positives()).isEqualTo(4_799);
        Dataset sentiDev = data.validation(Task.SENTIMENT, Language.CHINESE).orElseThrow();
        assertThat(sentiDev.size()).isEqualTo(1_200);
        assertThat(sentiDev.positives()).isEqualTo(593);
    }
}
