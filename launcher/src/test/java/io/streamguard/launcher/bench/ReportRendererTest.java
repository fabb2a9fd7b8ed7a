package io.streamguard.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportRendererTest {
    @Test
    void pipelineTablePutsEveryRunBesideTheEngineWithBothRatios() {
        var machine = new Machine("AMD EPYC", 2, "2.18.0", "17", "2026-11-23");
        var shares = new LinkedHashMap<String, Double>();
        shares.put("model", 0.8);
        shares.put("commit", 0.05);
        shares.put("poll", 0.02);
        shares.put("punctuate", 0.5);
        List<PipelineReport.Row> rows = List.of(
                new PipelineReport.Row("engine", 256, 32, 0, 300, 2.0, 0, 0, 25, 200, 0, 0, Map.of()),
                new PipelineReport.Row("engine", 1, 1, 0, 300, 6.0, 0, 0, 1, 20, 0, 0, Map.of()),
                new PipelineReport.Row("pipeline", 256, 32, 50, 300, 6.1, 120, 480, 2.5, 30, 60, 22.5, shares),
                new PipelineReport.Row("pipeline", 256, 32, 0, 300, 2.5, 900, 1700, 80, 700, 8, 30, shares));
        PipelineReport report = new PipelineReport(
                machine, "minilm-l6", "v1", 300, 50, 256, 32, 20, 3, "exactly_once_v2", rows, 0.8, 3.0);

        String table = ReportRenderer.table(report);

        assertThat(table)
                .startsWith("Pipeline benchmark: AMD EPYC, 2 cores, TensorFlow 2.18.0, Java 17, 2026-11-23\n")
                .contains(
                        "minilm-l6, heads v1; 300 real texts per run; 3 partitions, exactly_once_v2; batch wait 20 ms")
                .contains("pipeline / engine at batch 256/32, saturated: 0.80 (target >= 0.80)")
                .contains("pipeline batch 256/32 / batch 1, saturated: 3.00x (target >= 3x)");
        List<String> lines = table.lines().toList();
        assertThat(lines).anyMatch(l -> l.matches("engine\\s+256/32\\s+-\\s+150\\.0\\s+-\\s+-\\s+25\\.0\\s+200\\.0.*"));
        assertThat(lines)
                .anyMatch(
                        l -> l.matches(
                                "pipeline\\s+256/32\\s+50\\s+49\\.2\\s+120\\s+480\\s+2\\.5\\s+30\\.0\\s+60\\s+22\\.5\\s+80%/5%/2%/50%"));
        assertThat(lines).anyMatch(l -> l.matches("pipeline\\s+256/32\\s+max\\s+120\\.0\\s+900\\s+1700.*"));
    }
}
