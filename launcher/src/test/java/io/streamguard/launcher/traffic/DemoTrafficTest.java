package io.streamguard.launcher.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.model.language.Language;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTrafficTest {
    private static final Path DATASETS =
            Path.of("../../shared/datasets").toAbsolutePath().normalize();

    @Test
    void samplesEvenlyFromEveryDatasetAndRepeatsItself() {
        assumeThat(Files.isDirectory(DATASETS))
                .as("../shared/datasets beside the checkout")
                .isTrue();

        List<DemoTraffic.Sample> first = DemoTraffic.load(DATASETS, 300);

        assertThat(first).hasSize(300).allSatisfy(s -> assertThat(s.text()).isNotBlank());
        assertThat(first)
                .extracting(DemoTraffic.Sample::source)
                .containsOnly("sst2", "tweeteval-offensive", "tweeteval-hate", "sms-spam");
        assertThat(first.stream().filter(s -> s.source().equals("sms-spam")).count())
                .isEqualTo(75);
        assertThat(first).noneMatch(s -> s.text().equals("SMS") || s.text().equals("sentence")); // headers skipped
        assertThat(DemoTraffic.load(DATASETS, 300)).as("fixed seed").isEqualTo(first);
    }

    @Test
    void chineseTextsJoinTheMixWhenTheWorkerServesChinese() {
        assumeThat(Files.isDirectory(DATASETS.resolve("cold")))
                .as("../shared/datasets beside the checkout")
                .isTrue();

        List<DemoTraffic.Sample> mixed = DemoTraffic.load(DATASETS, 300, List.of(Language.ENGLISH, Language.CHINESE));

        assertThat(mixed).hasSize(300).allSatisfy(s -> assertThat(s.text()).isNotBlank());
        // Six sources, 50 texts each: a third of the traffic is Chinese.
        assertThat(mixed.stream().filter(s -> s.source().equals("cold")).count())
                .isEqualTo(50);
        assertThat(mixed.stream().filter(s -> s.source().equals("chnsenticorp")).count())
                .isEqualTo(50);
        assertThat(mixed).noneMatch(s -> s.text().equals("TEXT") || s.text().equals("text_a")); // headers skipped
        assertThat(DemoTraffic.load(DATASETS, 300, List.of(Language.CHINESE)))
                .extracting(DemoTraffic.Sample::source)
                .containsOnly("cold", "chnsenticorp");
    }

    @Test
    void missingDatasetsIsAOneLineError(@TempDir Path empty) {
        assertThatThrownBy(() -> DemoTraffic.load(empty.resolve("nope"), 10))
                .isInstanceOf(LauncherException.class)
                .hasMessageContaining("nope")
                .hasMessageContaining("--datasets");
    }

    @Test
    void percentilesUseTheNearestRank() {
        double[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(DemoTraffic.percentile(sorted, 50)).isEqualTo(5);
        assertThat(DemoTraffic.percentile(sorted, 99)).isEqualTo(10);
        assertThat(DemoTraffic.percentile(new double[0], 99)).isZero();
    }

    @Test
    void longTextsAreShortenedToOneLine() {
        assertThat(DemoTraffic.shorten("a\nb\tc")).isEqualTo("a b c");
        assertThat(DemoTraffic.shorten("x".repeat(200))).hasSize(60).endsWith("…");
    }
}
