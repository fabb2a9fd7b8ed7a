package io.streamguard.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ConnectReportTest {
    private static final Machine MACHINE = new Machine("AMD EPYC", 2, "2.18.0", "17", "2026-12-06");

    @Test
    void ratesAndTheirRatioComeFromCountsAndSeconds() {
        var t = new ConnectReport.Throughput(2000, 10.0, 2000, 8.0, 350);

        assertThat(t.pipelineEventsPerSecond()).isEqualTo(200.0);
        assertThat(t.sinkRowsPerSecond()).isEqualTo(250.0);
        assertThat(t.sinkVsPipeline()).isEqualTo(1.25);
        assertThat(t.sinkKeepsUp()).isTrue();
        assertThat(new ConnectReport.Throughput(2000, 10.0, 2000, 10.6, 600).sinkKeepsUp())
                .as("0.94 of the pipeline's rate")
                .isFalse();
        assertThat(new ConnectReport.Throughput(2000, 10.0, 1990, 8.0, 350).sinkKeepsUp())
                .as("rows missing")
                .isFalse();
        assertThat(new ConnectReport.Throughput(0, 0, 0, 0, 0).sinkVsPipeline())
                .as("nothing measured divides by nothing")
                .isZero();
    }

    @Test
    void spreadIsNearestRankPercentilesOfUnsortedSamples() {
        // 1..200 ms shuffled: p50 is the 100th value, p99 the 198th, max the largest.
        List<Integer> values =
                new ArrayList<>(IntStream.rangeClosed(1, 200).boxed().toList());
        Collections.shuffle(values, new Random(7));
        double[] millis = values.stream().mapToDouble(Integer::doubleValue).toArray();

        var spread = ConnectReport.Spread.of(millis);

        assertThat(spread.p50Ms()).isEqualTo(100);
        assertThat(spread.p99Ms()).isEqualTo(198);
        assertThat(spread.maxMs()).isEqualTo(200);
        assertThat(millis[0])
                .as("the caller's samples stay as given")
                .isEqualTo(values.get(0).doubleValue());
        assertThat(ConnectReport.Spread.of(new double[0])).isEqualTo(new ConnectReport.Spread(0, 0, 0));
    }

    @Test
    void tableShowsBothRatesTheLagTheLatencyAndTheVerdict() {
        var report = report(new ConnectReport.Throughput(2000, 10.0, 2000, 12.5, 2600));

        String table = ReportRenderer.table(report);

        assertThat(table)
                .startsWith("Connectors benchmark: AMD EPYC, 2 cores, TensorFlow 2.18.0, Java 17, 2026-12-06\n")
                .contains("minilm-l6, heads v1; batch 256; 3 partitions")
                .contains("sink rows/s / pipeline events/s: 0.80 (keeps up at >= 0.95); sink lag (last labeled"
                        + " event .. last row): 2600 ms -> the sink falls behind the pipeline")
                .contains("comments -> moderation_events: p50 640 ms, p99 1200 ms");
        List<String> lines = table.lines().toList();
        assertThat(lines).anyMatch(l -> l.matches("pipeline: labeled events\\s+2000\\s+10\\.00\\s+200\\.0"));
        assertThat(lines).anyMatch(l -> l.matches("sink: rows in moderation_events\\s+2000\\s+12\\.50\\s+160\\.0"));
        assertThat(lines).anyMatch(l -> l.matches("created_at -> labeled row visible\\s+200\\s+640\\s+1200\\s+1500"));
        assertThat(lines)
                .anyMatch(l ->
                        l.matches("  created_at -> on text-events \\(comments source\\)\\s+200\\s+500\\s+900\\s+1000"));
        assertThat(lines)
                .anyMatch(l -> l.matches("  on text-events -> labeled_at \\(pipeline\\)\\s+200\\s+60\\s+200\\s+300"));
        assertThat(lines).anyMatch(l -> l.matches("  labeled_at -> row visible \\(sink\\)\\s+200\\s+80\\s+150\\s+210"));
        assertThat(ReportRenderer.table(report(new ConnectReport.Throughput(2000, 10.0, 2000, 10.3, 120))))
                .contains("0.97 (keeps up at >= 0.95); sink lag (last labeled event .. last row): 120 ms -> the sink"
                        + " keeps up");
    }

    @Test
    void jsonCarriesTheComputedRatesAndRatio() throws Exception {
        String json = ReportRenderer.json(report(new ConnectReport.Throughput(2000, 10.0, 2000, 8.0, 350)));

        JsonNode root = new ObjectMapper().readTree(json);
        assertThat(root.at("/throughput/pipelineEventsPerSecond").asDouble()).isEqualTo(200.0);
        assertThat(root.at("/throughput/sinkRowsPerSecond").asDouble()).isEqualTo(250.0);
        assertThat(root.at("/throughput/sinkVsPipeline").asDouble()).isCloseTo(1.25, within(1e-9));
        assertThat(root.at("/throughput/lagMs").asDouble()).isEqualTo(350.0);
        assertThat(root.at("/throughput/sinkKeepsUp").asBoolean()).isTrue();
        assertThat(root.at("/latency/endToEnd/p99Ms").asDouble()).isEqualTo(1200.0);
        assertThat(root.at("/latency/sink/p50Ms").asDouble()).isEqualTo(80.0);
        assertThat(root.at("/machine/cores").asInt()).isEqualTo(2);
    }

    private static ConnectReport report(ConnectReport.Throughput throughput) {
        return new ConnectReport(
                MACHINE,
                "minilm-l6",
                "v1",
                256,
                3,
                throughput,
                new ConnectReport.Latency(
                        200,
                        20,
                        25,
                        new ConnectReport.Spread(640, 1200, 1500),
                        new ConnectReport.Spread(500, 900, 1000),
                        new ConnectReport.Spread(60, 200, 300),
                        new ConnectReport.Spread(80, 150, 210)));
    }
}
