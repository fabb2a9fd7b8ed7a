package io.streamguard.model.encoder.tf;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Precision;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.proto.RewriterConfig;

class TfDevicesTest {

    @Test
    void listsTheCpuAndAGpuOnlyOnTheGpuBuild() {
        assertThat(TfDevices.available()).contains("CPU");
        // The default build's native library has no CUDA kernels, whatever the host has.
        if (!System.getProperty("tensorflow.native.classifier", "linux-x86_64").endsWith("-gpu")) {
            assertThat(TfDevices.available()).doesNotContain("GPU");
        }
    }

    @Test
    void resolvesRequestsAgainstWhatTensorFlowSees() {
        Set<String> cpuOnly = Set.of("CPU");
        Set<String> withGpu = Set.of("CPU", "GPU");
        assertThat(TfDevices.resolve(Device.AUTO, cpuOnly)).isEqualTo(Device.CPU);
        assertThat(TfDevices.resolve(Device.AUTO, withGpu)).isEqualTo(Device.GPU);
        assertThat(TfDevices.resolve(Device.GPU, cpuOnly)).isEqualTo(Device.CPU); // falls back, with a warning
        assertThat(TfDevices.resolve(Device.GPU, withGpu)).isEqualTo(Device.GPU);
        assertThat(TfDevices.resolve(Device.CPU, withGpu)).isEqualTo(Device.CPU);
    }

    @Test
    void cpuSessionsHideGpus() {
        assertThat(TfDevices.sessionConfig(Device.CPU).getDeviceCountMap()).containsEntry("GPU", 0);
        assertThat(TfDevices.sessionConfig(Device.GPU).getDeviceCountMap()).doesNotContainKey("GPU");
        assertThat(TfDevices.sessionConfig(Device.GPU).getGpuOptions().getAllowGrowth())
                .isTrue();
    }

    @Test
    void bfloat16TurnsOnOneDnnsMixedPrecisionRewriteAndFloat32LeavesTheGraphAlone() {
        assertThat(TfDevices.sessionConfig(Device.CPU, Precision.BF16)
                        .getGraphOptions()
                        .getRewriteOptions()
                        .getAutoMixedPrecisionOnednnBfloat16())
                .isEqualTo(RewriterConfig.Toggle.ON);
        assertThat(TfDevices.sessionConfig(Device.CPU, Precision.FP32).hasGraphOptions())
                .isFalse();
        assertThat(TfDevices.sessionConfig(Device.CPU)).isEqualTo(TfDevices.sessionConfig(Device.CPU, Precision.FP32));
    }
}
