package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every expected number below is worked out by hand in the comments. */
class MetricsTest {

    private static final List<String> CLASSES = List.of("ham", "spam");
    // Scores descending; labels 1 0 1 1 0 0 1 0. At 0.5: predicted 1 1 1 1 1 0 0 0.
    private static final int[] LABELS = {1, 0, 1, 1, 0, 0, 1, 0};
    private static final double[] SCORES = {0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2};

    @Test
    void binaryAtAThreshold() {
        ClassificationReport r = Metrics.binary(CLASSES, LABELS, SCORES, 0.5);
        // TP 3 (0, 2, 3), FP 2 (1, 4), FN 1 (6), TN 2 (5, 7)
        assertThat(r.confusion()).isEqualTo(new int[][] {{2, 2}, {1, 3}});
        assertThat(r.accuracy()).isEqualTo(5.0 / 8);
        assertThat(r.of("spam").precision()).isEqualTo(3.0 / 5);
        assertThat(r.of("spam").recall()).isEqualTo(3.0 / 4);
        assertThat(r.of("spam").f1()).isCloseTo(2.0 / 3, within(1e-12)); // 2 * .6 * .75 / 1.35
        assertThat(r.of("ham").precision()).isEqualTo(2.0 / 3);
        assertThat(r.of("ham").recall()).isEqualTo(0.5);
        assertThat(r.of("ham").f1()).isCloseTo(4.0 / 7, within(1e-12));
        assertThat(r.of("ham").support()).isEqualTo(4);
        assertThat(r.macroF1()).isCloseTo((2.0 / 3 + 4.0 / 7) / 2, within(1e-12));
        assertThat(r.macroPrecision()).isCloseTo((3.0 / 5 + 2.0 / 3) / 2, within(1e-12));
        // Positive beats negative in 4 + 3 + 3 + 1 of 16 pairs.
        assertThat(r.rocAuc()).isCloseTo(11.0 / 16, within(1e-12));
        // Precision at each recall step 0.25: 1, 2/3, 3/4, 4/7.
        assertThat(r.averagePrecision()).isCloseTo(0.25 * (1 + 2.0 / 3 + 3.0 / 4 + 4.0 / 7), within(1e-12));
        assertThat(r.primary(Task.SPAM)).isEqualTo(r.of("spam").f1());
        assertThat(r.primary(Task.HATE)).isEqualTo(r.macroF1());
        assertThat(r.primary(Task.SENTIMENT)).isEqualTo(0.625);
    }

    @Test
    void rocAucCountsTiesAsHalf() {
        // Pairs (pos, neg): (.5,.5) tie = 1/2, (.5,.2) 1, (.8,.5) 1, (.8,.2) 1 -> 3.5 / 4.
        assertThat(Metrics.rocAuc(new int[] {1, 0, 1, 0}, new double[] {0.5, 0.5, 0.8, 0.2})
                        .getAsDouble())
                .isEqualTo(0.875);
        assertThat(Metrics.rocAuc(new int[] {1, 0, 0, 1, 0}, new double[] {0.3, 0.3, 0.3, 0.3, 0.3})
                        .getAsDouble())
                .isEqualTo(0.5);
        // Perfectly inverted ranking.
        assertThat(Metrics.rocAuc(new int[] {1, 1, 0}, new double[] {0.1, 0.2, 0.9})
                        .getAsDouble())
                .isZero();
        assertThat(Metrics.rocAuc(new int[] {1, 1}, new double[] {0.1, 0.2})).isEmpty();
    }

    @Test
    void precisionRecallCurveMergesTies() {
        List<PrPoint> curve = Metrics.precisionRecallCurve(new int[] {1, 0, 1, 0}, new double[] {0.5, 0.5, 0.8, 0.2});
        assertThat(curve)
                .containsExactly(
                        new PrPoint(0.8, 1.0, 0.5), new PrPoint(0.5, 2.0 / 3, 1.0), new PrPoint(0.2, 0.5, 1.0));
        // AP = 0.5 * 1 + 0.5 * 2/3 + 0 * 1/2
        assertThat(Metrics.averagePrecision(new int[] {1, 0, 1, 0}, new double[] {0.5, 0.5, 0.8, 0.2})
                        .getAsDouble())
                .isCloseTo(0.5 + 1.0 / 3, within(1e-12));
    }

    @Test
    void aClassNeverPredictedHasPrecisionZeroNotNaN() throws Exception {
        ClassificationReport r = Metrics.binary(CLASSES, new int[] {0, 1, 1}, new double[] {0.1, 0.2, 0.3}, 0.9);
        assertThat(r.of("spam").precision()).isZero();
        assertThat(r.of("spam").recall()).isZero();
        assertThat(r.of("spam").f1()).isZero();
        assertThat(r.of("ham").precision()).isEqualTo(1.0 / 3);
        assertThat(r.of("ham").f1()).isEqualTo(0.5); // 2 * 1/3 * 1 / (4/3)
        assertThat(r.macroF1()).isEqualTo(0.25);
        assertThat(r.rocAuc()).isEqualTo(1.0);
        assertThat(r.toJson()).doesNotContain("NaN");
    }

    @Test
    void oneClassOnlyLeavesCurveMetricsUndefined() throws Exception {
        ClassificationReport r = Metrics.binary(CLASSES, new int[] {0, 0}, new double[] {0.1, 0.7}, 0.5);
        assertThat(r.rocAuc()).isNull();
        assertThat(r.averagePrecision()).isNull();
        assertThat(r.of("spam").recall()).isZero(); // no positive example: 0, not NaN
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertThat(json.get("rocAuc").isNull()).isTrue();
        assertThat(r.asMap()).doesNotContainKey("rocAuc");
        assertThat(r.toTable()).contains("ROC-AUC n/a");
    }

    @Test
    void multiclassTakesTheArgmax() {
        double[][] p = {{0.7, 0.2, 0.1}, {0.1, 0.3, 0.6}, {0.2, 0.2, 0.6}, {0.3, 0.4, 0.3}};
        ClassificationReport r = Metrics.multiclass(List.of("a", "b", "c"), new int[] {0, 1, 2, 2}, p);
        assertThat(r.confusion()).isEqualTo(new int[][] {{1, 0, 0}, {0, 0, 1}, {0, 1, 1}});
        assertThat(r.accuracy()).isEqualTo(0.5);
        assertThat(r.of("b").precision()).isZero();
        assertThat(r.of("c").precision()).isEqualTo(0.5);
        assertThat(r.of("c").recall()).isEqualTo(0.5);
        assertThat(r.macroF1()).isCloseTo((1 + 0 + 0.5) / 3, within(1e-12));
        assertThat(r.rocAuc()).isNull();
        assertThatThrownBy(() -> Metrics.multiclass(List.of("a", "b"), new int[] {0}, new double[][] {{1, 0, 0}}))
                .hasMessageContaining("3 probabilities for 2 classes");
    }

    @Test
    void twoClassSoftmaxMatchesBinaryAtOneHalf() {
        double[][] p = new double[SCORES.length][];
        for (int i = 0; i < p.length; i++) {
            p[i] = new double[] {1 - SCORES[i], SCORES[i]};
        }
        ClassificationReport soft = Metrics.multiclass(List.of("negative", "positive"), LABELS, p);
        ClassificationReport binary = Metrics.binary(List.of("negative", "positive"), LABELS, SCORES, 0.5);
        assertThat(soft.asMap()).isEqualTo(binary.asMap());
        assertThat(soft.threshold()).as("argmax, not a threshold").isNull();
    }

    @Test
    void jsonAndTable() throws Exception {
        ClassificationReport r = Metrics.binary(CLASSES, LABELS, SCORES, 0.5);
        JsonNode json = new ObjectMapper().readTree(r.toJson());
        assertThat(json.get("accuracy").asDouble()).isEqualTo(0.625);
        assertThat(json.get("perClass").get(1).get("name").asText()).isEqualTo("spam");
        assertThat(json.get("perClass").get(1).get("support").asInt()).isEqualTo(4);
        assertThat(json.get("confusion").get(1).get(1).asInt()).isEqualTo(3);
        assertThat(json.get("rocAuc").asDouble()).isEqualTo(0.6875);
        assertThat(json.get("threshold").asDouble()).isEqualTo(0.5);
        assertThat(r.toTable())
                .isEqualTo(String.join(
                        "\n",
                        "examples 8   accuracy 0.6250   ROC-AUC 0.6875   AUC-PR 0.7470   threshold 0.5000",
                        "",
                        "class      precision     recall         f1   support",
                        "ham           0.6667     0.5000     0.5714         4",
                        "spam          0.6000     0.7500     0.6667         4",
                        "macro avg     0.6333     0.6250     0.6190         8",
                        "",
                        "confusion matrix (rows: actual, columns: predicted)",
                        "                 ham       spam",
                        "ham                2          2",
                        "spam               1          3",
                        ""));
    }

    @Test
    void plotsThePrCurveAsPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("pr.png");
        PrCurvePlot.write(png, "spam (8 examples)", Metrics.precisionRecallCurve(LABELS, SCORES), 0.747, 0.5);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(PrCurvePlot.WIDTH);
        assertThat(image.getHeight()).isEqualTo(PrCurvePlot.HEIGHT);
        int curvePixels = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                if ((image.getRGB(x, y) & 0xffffff) == PrCurvePlot.CURVE.getRGB() - 0xff000000) {
                    curvePixels++;
                }
            }
        }
        assertThat(curvePixels).isGreaterThan(500);
    }
}
