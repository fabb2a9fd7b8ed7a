package io.streamguard.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What /metrics shows of our own meters is what the README's Metrics section promises. */
class PipelineMetricsTest {

    private static final Path README = Path.of("..", "README.md");

    private final PrometheusMeterRegistry meters = Worker.meterRegistry(Role.ALL, "w-1");
    private final PipelineMetrics metrics = new PipelineMetrics(meters);

    @Test
    void everySeriesTheReadmeListsIsExported() throws Exception {
        recordSomethingEverywhere();
        String scrape = meters.scrape();

        Set<String> promised = readmeSeries();
        assertThat(promised).contains("streamguard_batch_size", "streamguard_end_to_end_quantile_seconds");
        for (String series : promised) {
            assertThat(scrape).as(series).containsPattern("(?m)^# TYPE " + series + " ");
        }
    }

    @Test
    void batchSizeAndLatenciesAreHistogramsWithThisWorkersP50AndP99Beside() {
        for (int size = 1; size <= 100; size++) {
            metrics.batch("minilm-l6", "en", size, TimeUnit.MILLISECONDS.toNanos(size));
            metrics.endToEnd(10L * size);
        }
        String scrape = meters.scrape();

        assertThat(scrape)
                .contains("# TYPE streamguard_batch_size histogram")
                .contains("# TYPE streamguard_end_to_end_seconds histogram")
                .contains(
                        "streamguard_batch_size_bucket{encoder=\"minilm-l6\",language=\"en\",role=\"all\",worker=\"w-1\","
                                + "le=\"32.0\"} 32\n");
        assertThat(gauge(scrape, "streamguard_batch_size_quantile", "0.5")).isBetween(48.0, 52.0);
        assertThat(gauge(scrape, "streamguard_batch_size_quantile", "0.99")).isBetween(97.0, 101.0);
        assertThat(gauge(scrape, "streamguard_end_to_end_quantile_seconds", "0.5"))
                .isBetween(0.45, 0.55);
        assertThat(gauge(scrape, "streamguard_end_to_end_quantile_seconds", "0.99"))
                .isBetween(0.95, 1.05);
        assertThat(gauge(scrape, "streamguard_model_time_quantile_seconds", "0.5"))
                .isBetween(0.045, 0.055);
    }

    private void recordSomethingEverywhere() {
        metrics.eventIn("tokenize");
        metrics.eventOut("ALLOW", "none", "en", "minilm-l6");
        metrics.deadLetter(DeadLetterReason.EMPTY_TEXT);
        metrics.batch("minilm-l6", "en", 8, 1_000_000);
        metrics.batchFailed();
        metrics.queueWait(3);
        metrics.tokenized(50_000);
        metrics.endToEnd(40);
        metrics.modelSwapped("minilm-l6");
        metrics.modelVersionRefused("other-encoder");
        metrics.serving("bge-small-zh", "zh", "bf16");
        metrics.repeatCache("minilm-l6", true);
    }

    @Test
    void eachServedEncoderSaysWhichArithmeticItRunsIn() {
        metrics.serving("minilm-l6", "en", "bf16");
        metrics.serving("bge-small-zh", "zh", "fp32");

        assertThat(meters.scrape())
                .contains("streamguard_model_precision{encoder=\"minilm-l6\",precision=\"bf16\",role=\"all\","
                        + "worker=\"w-1\"} 1.0")
                .contains("streamguard_model_precision{encoder=\"bge-small-zh\",precision=\"fp32\",role=\"all\","
                        + "worker=\"w-1\"} 1.0");
    }

    /** The metric names in the README's "### Metrics" section. */
    private static Set<String> readmeSeries() throws Exception {
        String readme = Files.readString(README);
        int from = readme.indexOf("### Metrics");
        assertThat(from).as("README.md has a Metrics section").isNotNegative();
        String section = readme.substring(from, readme.indexOf("\n### ", from + 1));
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("`(streamguard_[a-z0-9_]+)").matcher(section);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static double gauge(String scrape, String name, String quantile) {
        Matcher m = Pattern.compile(
                        "(?m)^" + name + "\\{[^}]*quantile=\"" + Pattern.quote(quantile) + "\",[^}]*} (\\S+)$")
                .matcher(scrape);
        assertThat(m.find()).as(name + " " + quantile + " in\n" + scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
