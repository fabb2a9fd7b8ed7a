package io.streamguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.model.encoder.Precision;
import org.junit.jupiter.api.Test;

/** {@code streamguard devices} on this machine: the CPU build, no GPU (the -Pgpu build is model-runtime's test). */
class DevicesCommandTest {

    private static final boolean BF16_CPU = Precision.cpuFlags().stream().anyMatch(Precision.BF16_FLAGS::contains);

    @Test
    void saysWhatTheCpuBuildRunsOnAndWhatAutoResolvesTo() {
        CliRun run = CliRun.of("devices");

        assertThat(run.exitCode()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out())
                .contains("TensorFlow      2.18.0, CPU build")
                .contains("CUDA libraries  not bundled")
                .contains("devices         CPU\n")
                .contains(
                        "device auto     CPU (no GPU: this is TensorFlow's CPU build (build the launcher with mvn -Pgpu))")
                .contains("precision auto  " + (BF16_CPU ? "bf16" : "fp32") + " on CPU");
    }

    @Test
    void printsTheSameAsJson() throws Exception {
        CliRun run = CliRun.of("devices", "--json");

        assertThat(run.exitCode()).isZero();
        JsonNode json = new ObjectMapper().readTree(run.out());
        assertThat(json.get("cudaBuild").asBoolean()).isFalse();
        assertThat(json.get("cudaLibraries").get("bundled").asBoolean()).isFalse();
        assertThat(json.get("devices").toString()).isEqualTo("[\"CPU\"]");
        assertThat(json.get("device").asText()).isEqualTo("cpu");
        assertThat(json.get("whyNoGpu").asText()).contains("CPU build");
        assertThat(json.get("precision").asText()).isEqualTo(BF16_CPU ? "bf16" : "fp32");
    }

    @Test
    void requireGpuTurnsAMissingGpuIntoExitStatusOneWithTheReason() {
        CliRun run = CliRun.of("devices", "--require-gpu");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.out()).contains("device auto     CPU");
        assertThat(run.err())
                .isEqualTo("streamguard: no GPU: this is TensorFlow's CPU build (build the launcher with mvn -Pgpu)\n");
    }
}
