package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void rendersRateAndEta() {
        ProgressBar bar = new ProgressBar("features", "texts", System.err, false);
        assertThat(bar.render(250, 1000, Duration.ofSeconds(5)))
                .isEqualTo("features  25% |#####               | 250/1000 texts  50.0/s  ETA 15s");
        assertThat(bar.render(1000, 1000, Duration.ofSeconds(200)))
                .isEqualTo("features 100% |####################| 1000/1000 texts  5.0/s  took 3m20s");
        assertThat(bar.render(0, 10, Duration.ZERO)).endsWith("ETA ?");
        assertThat(ProgressBar.duration(3725)).isEqualTo("1h02m");
    }

    @Test
    void logModePrintsALinePerTenPercent() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("x", "rows", new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        for (int done = 0; done <= 1000; done += 7) {
            bar.progress(done, 1000, Duration.ofMillis(done));
        }
        bar.progress(1000, 1000, Duration.ofSeconds(1));
        bar.progress(1000, 1000, Duration.ofSeconds(1));
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(11); // 0 %, 10 %, ..., 90 %, done; nothing after the end
        assertThat(lines[10]).contains("1000/1000 rows").contains("took 1s");
    }

    @Test
    void terminalModeRedrawsOneLineAndEndsItOnce() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar("x", "rows", new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
        bar.progress(0, 10, Duration.ZERO);
        bar.progress(5, 10, Duration.ofSeconds(1)); // within 200 ms of the last draw: skipped
        bar.progress(10, 10, Duration.ofSeconds(2)); // the end is always drawn
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\rx   0%").doesNotContain("5/10");
        assertThat(out.chars().filter(c -> c == '\r')).hasSize(2);
        assertThat(out).endsWith("took 2s\u001b[K\n");
    }
}
