package io.streamguard.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.encoder.Precision;
import io.streamguard.model.encoder.onnx.OnnxBertModel;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.language.Language;
import io.streamguard.model.tokenizer.BertTokenizer;
import io.streamguard.model.tokenizer.EncodedBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineBenchmarkTest {

    static final Path DATASETS = Path.of(System.getProperty("streamguard.datasets.dir", "../../shared/datasets"));

    @TempDir
    Path cache;

    @Test
    void syntheticRowsAreClsRealPiecesSepWithAFullMask() {
        BertTokenizer tokenizer = OnnxBertModel.MINILM_L6.bundledTokenizer();
        int[] pool = SyntheticBatches.tokenPool(tokenizer, DatasetTexts.mixed(DATASETS, 30));
        EncodedBatch batch = SyntheticBatches.syntheticBatch(3, 8, pool, 101, 102);

        assertThat(batch.size()).isEqualTo(3);
        assertThat(batch.sequenceLength()).isEqualTo(8);
        assertThat(batch.lengths()).containsExactly(8, 8, 8);
        assertThat(batch.attentionMask()).containsOnly(1);
        for (int r = 0; r < 3; r++) {
            assertThat(batch.ids()[r * 8]).isEqualTo(101);
            assertThat(batch.ids()[r * 8 + 7]).isEqualTo(102);
        }
        // Rows continue through the pool, so they differ like real texts do.
        assertThat(batch.row(0).ids()).isNotEqualTo(batch.row(1).ids());
        assertThat(pool).doesNotContain(0, 101, 102); // no padding, no specials inside rows
    }

    @Test
    void theChineseEncoderIsMeasuredOnChineseTexts() {
        List<String> texts = DatasetTexts.mixed(DATASETS, Language.CHINESE, 40);
        assertThat(texts).hasSize(40);
        // Interleaved: COLD comments and ChnSentiCorp reviews alternate, all of them Chinese.
        assertThat(texts).allSatisfy(t -> assertThat(t.codePoints().filter(c -> c >= 0x4E00 && c <= 0x9FFF))
                .isNotEmpty());
        BertTokenizer tokenizer = OnnxBertModel.BGE_SMALL_ZH.bundledTokenizer();
        int[] pool = SyntheticBatches.tokenPool(tokenizer, texts);
        int unknown = tokenizer.vocabulary().id("[UNK]").orElseThrow();
        long unknowns =
                java.util.Arrays.stream(pool).filter(id -> id == unknown).count();
        assertThat(unknowns).isLessThan(pool.length / 100);
    }

    @Test
    void tinyGridMeasuresEngineAgainstBareSessionAndTheTokenizerShare() {
        EngineBenchmark.Options options = new EngineBenchmark.Options(
                List.of(EncoderConfig.MINILM_L6),
                List.of(1, 2),
                List.of(8),
                2,
                1,
                0.3,
                Device.CPU,
                DATASETS,
                64,
                cache,
                List.of(),
                List.of(Precision.FP32));
        List<String> progress = new ArrayList<>();

        EngineReport report = EngineBenchmark.run(options, progress::add);

        assertThat(report.cells()).extracting(EngineReport.Cell::batchSize).containsExactly(1, 2);
        for (EngineReport.Cell cell : report.cells()) {
            assertThat(cell.encoderId()).isEqualTo("minilm-l6");
            assertThat(cell.device()).isEqualTo(Device.CPU);
            assertThat(cell.length()).isEqualTo(8);
            assertThat(cell.engine().p50Ms())
                    .isPositive()
                    .isLessThanOrEqualTo(cell.engine().p99Ms());
            assertThat(cell.bare().p50Ms()).isPositive();
            assertThat(cell.ratio()).isPositive();
            // Cheap cells iterate past --iterations until their timed runs fill minSeconds.
            assertThat(cell.iterations()).isGreaterThan(2);
            assertThat(cell.iterations() * (cell.engine().meanMs() + cell.bare().meanMs()))
                    .isGreaterThanOrEqualTo(300);
        }
        EngineReport.TokenizerShare share = report.tokenizerShares().get(0);
        assertThat(share.texts()).isEqualTo(64);
        assertThat(share.batches()).isEqualTo(2);
        assertThat(share.tokens()).isGreaterThan(64 * 3);
        assertThat(share.share()).isPositive().isLessThan(1);
        assertThat(progress).anyMatch(line -> line.startsWith("minilm-l6 2x8: engine p50"));

        String table = ReportRenderer.table(report);
        assertThat(table)
                .contains(
                        "engine/bare",
                        "minilm-l6  CPU",
                        "Tokenizer share",
                        report.machine().cpu());
        String json = ReportRenderer.json(report);
        assertThat(json).contains("\"ratio\"", "\"engineSeqPerSecond\"", "\"share\"", "\"p99Ms\"");
    }

    @Test
    void modelsAreMeasuredOnTheirOwnEncodersAdaptersMergedSideBySide() {
        HeadsModel v1 = HeadsFile.read(Path.of("../models/v1/minilm-l6.json"));
        float[] a = new float[384];
        float[] b = new float[384];
        a[0] = 1;
        b[0] = 0.5f;
        HeadsModel tuned = v1.withAdapters(new LowRankAdapters(
                        1,
                        2f,
                        Map.of(
                                "encoder.layer.0.attention.self.query.weight",
                                new LowRankAdapters.Pair(384, 384, a, b))))
                .withVersion("tuned", v1.provenance());
        Path tunedFile = cache.resolve("tuned.json");
        HeadsFile.write(tuned, tunedFile);
        EngineBenchmark.Options options = new EngineBenchmark.Options(
                List.of(EncoderConfig.MINILM_L6),
                List.of(2),
                List.of(8),
                2,
                1,
                0,
                Device.CPU,
                DATASETS,
                0,
                cache,
                List.of(Path.of("../models/v1/minilm-l6.json"), tunedFile),
                List.of(Precision.FP32));

        EngineReport report = EngineBenchmark.run(options, line -> {});

        assertThat(report.cells())
                .extracting(EngineReport.Cell::encoderId)
                .containsExactly("minilm-l6 v1", "minilm-l6 tuned");
        assertThat(report.cells()).allSatisfy(c -> assertThat(c.ratio()).isPositive());
    }

    @Test
    void eachPrecisionIsMeasuredSideBySideAndEveryCellSaysWhichItRanIn() {
        EngineBenchmark.Options options = new EngineBenchmark.Options(
                List.of(EncoderConfig.MINILM_L6),
                List.of(2),
                List.of(8),
                2,
                1,
                0,
                Device.CPU,
                DATASETS,
                0,
                cache,
                List.of(),
                List.of(Precision.FP32, Precision.AUTO));

        EngineReport report = EngineBenchmark.run(options, line -> {});

        // AUTO is reported as what it resolved to on this machine, never as "auto".
        assertThat(report.cells())
                .extracting(EngineReport.Cell::precision)
                .containsExactly(Precision.FP32, Precision.AUTO.resolve(Device.CPU, Precision.cpuFlags()));
        assertThat(ReportRenderer.json(report)).contains("\"precision\" : \"FP32\"");
        assertThat(ReportRenderer.table(report)).contains("precision");
    }

    @Test
    void lengthsBeyondTheModelOrBelowClsSepAreRejected() {
        assertThatThrownBy(() -> new EngineBenchmark.Options(
                        List.of("minilm-l6"),
                        List.of(1),
                        List.of(1),
                        1,
                        0,
                        0,
                        Device.CPU,
                        DATASETS,
                        0,
                        cache,
                        List.of(),
                        List.of(Precision.FP32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2..512");
        assertThatThrownBy(() -> new EngineBenchmark.Options(
                        List.of("minilm-l6"),
                        List.of(0),
                        List.of(8),
                        1,
                        0,
                        0,
                        Device.CPU,
                        DATASETS,
                        0,
                        cache,
                        List.of(),
                        List.of(Precision.FP32)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("batch");
        assertThatThrownBy(() -> EngineBenchmark.run(
                        new EngineBenchmark.Options(
                                List.of("minilm-l6"),
                                List.of(1),
                                List.of(8),
                                1,
                                0,
                                0,
                                Device.CPU,
                                cache.resolve("nope"),
                                0,
                                cache,
                                List.of(),
                                List.of(Precision.FP32)),
                        line -> {}))
                .isInstanceOf(BenchmarkException.class)
                .hasMessageContaining("nope");
    }
}
