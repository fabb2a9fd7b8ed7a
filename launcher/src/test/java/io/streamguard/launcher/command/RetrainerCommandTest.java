package io.streamguard.launcher.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.testing.TinyDatasets;
import io.streamguard.retrainer.Retrainer;
import io.streamguard.retrainer.TextLanguage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * {@code retrainer --encoder bge-small-zh}: the Chinese heads' retrainer needs heads trained for that encoder
 * and the Chinese data only; {@code up}'s sidecar runs one retrainer per encoder.
 */
class RetrainerCommandTest {

    @TempDir
    Path dir;

    @Test
    void theChineseEncodersRetrainerNeedsItsOwnHeadsAndTheChineseDataOnly() {
        Path zhHeads = chineseHeads();
        Path chinese = TinyDatasets.writeChinese(dir.resolve("zh"));
        Path english = TinyDatasets.write(dir.resolve("en"));

        Retrainer.Config config =
                config("--encoder", "bge-small-zh", "--heads", zhHeads.toString(), "--datasets", chinese.toString());
        assertThat(config.encoder().encoderId()).isEqualTo(EncoderConfig.BGE_SMALL_ZH);
        assertThat(config.baseHeads()).isEqualTo(zhHeads);
        assertThat(config.languageOf()).isSameAs(TextLanguage.DEFAULT);

        assertThatThrownBy(() -> config(
                        "--encoder", "bge-small-zh", "--heads", zhHeads.toString(), "--datasets", english.toString()))
                .isInstanceOf(ParameterException.class)
                .hasMessage("Chinese training data not found under " + english + " (--datasets DIR)");
        assertThatThrownBy(() -> config(
                        "--encoder",
                        "bge-small-zh",
                        "--heads",
                        "../models/v1/minilm-l6.json",
                        "--datasets",
                        chinese.toString()))
                .isInstanceOf(ParameterException.class)
                .hasMessage("heads file ../models/v1/minilm-l6.json is for minilm-l6, not bge-small-zh"
                        + " (--heads FILE trained for --encoder)");
        assertThatThrownBy(() -> config("--heads", zhHeads.toString(), "--datasets", english.toString()))
                .as("the default encoder is MiniLM")
                .hasMessageContaining("is for bge-small-zh, not minilm-l6");
    }

    @Test
    void withoutHeadsTheChineseRetrainerLooksForTheTrainedDefault() {
        assertThatThrownBy(() -> config("--encoder", "bge-small-zh"))
                .isInstanceOf(ParameterException.class)
                .hasMessageStartingWith("heads file not found: ")
                .hasMessageContaining("models/v1/bge-small-zh.json");
    }

    @Test
    void theSidecarRunsOneRetrainerPerEncoder() {
        Path zhHeads = chineseHeads();
        Retrainer.Config zh = config(
                "--encoder",
                "bge-small-zh",
                "--heads",
                zhHeads.toString(),
                "--datasets",
                TinyDatasets.writeChinese(dir.resolve("zh")).toString());
        List<String> asked = new ArrayList<>();
        assertThatThrownBy(() -> RetrainerSidecar.start(List.of(zh, zh), id -> {
                    asked.add(id);
                    return null;
                }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two retrainers for bge-small-zh");
        assertThat(asked).as("nothing started").isEmpty();
    }

    /** MiniLM's v1 heads relabelled as trained for bge-small-zh (same width): a file the command accepts. */
    private Path chineseHeads() {
        HeadsModel minilm = HeadsFile.read(Path.of("../models/v1/minilm-l6.json"));
        HeadsModel zh = new HeadsModel(
                "v1",
                EncoderConfig.BGE_SMALL_ZH,
                minilm.vocabHash(),
                minilm.maxLength(),
                minilm.feature(),
                minilm.heads(),
                minilm.thresholds(),
                minilm.metrics(),
                minilm.provenance(),
                minilm.adapters());
        Path file = dir.resolve("bge-small-zh.json");
        HeadsFile.write(zh, file);
        return file;
    }

    private static Retrainer.Config config(String... args) {
        RetrainerCommand command = new RetrainerCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }
}
