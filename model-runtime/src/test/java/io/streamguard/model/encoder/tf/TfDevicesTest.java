package io.streamguard.model.encoder.tf;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.Precision;
import java.util.List;
import java.util.Optional;
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
    void theFallbackWarningNamesTheFirstThingToFix() {
        CudaLibraries.Report none = new CudaLibraries.Report(false, List.of(), Optional.empty(), Optional.empty());
        assertThat(TfDevices.whyNoGpu(false, none)).contains("CPU build").contains("mvn -Pgpu");
        CudaLibraries.Report broken = new CudaLibraries.Report(
                true,
                List.of("libcudart.so.12"),
                Optional.of("/c"),
                Optional.of("libcublasLt.so.12 failed to load: x"));
        assertThat(TfDevices.whyNoGpu(true, broken))
                .contains("CUDA build")
                .contains("libcublasLt.so.12 failed to load: x");
        CudaLibraries.Report all =
                new CudaLibraries.Report(true, CudaLibraries.LIBRARIES, Optional.of("/c"), Optional.empty());
        assertThat(TfDevices.whyNoGpu(true, all))
                .contains("loaded from the build")
                .contains("libcuda.so.1");
        assertThat(TfDevices.whyNoGpu(true, none))
                .contains("host's library path")
                .contains("libcuda.so.1");
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

    @Test
    void float16IsTheCudaRewriteAndFallsBackToFloat32OffAGpu() {
        RewriterConfig gpu = TfDevices.sessionConfig(Device.GPU, Precision.FP16)
                .getGraphOptions()
                .getRewriteOptions();
        assertThat(gpu.getAutoMixedPrecision()).isEqualTo(RewriterConfig.Toggle.ON);
        assertThat(gpu.getAutoMixedPrecisionOnednnBfloat16()).isEqualTo(RewriterConfig.Toggle.DEFAULT);
        assertThat(TfDevices.resolve(Precision.FP16, Device.CPU)).isEqualTo(Precision.FP32); // with a warning
        assertThat(TfDevices.resolve(Precision.FP16, Device.GPU)).isEqualTo(Precision.FP16);
    }
}
