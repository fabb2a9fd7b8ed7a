package io.streamguard.model.encoder;

import io.streamguard.model.encoder.tf.CudaLibraries;
import io.streamguard.model.encoder.tf.TfDevices;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.tensorflow.TensorFlow;

/**
 * What this process's TensorFlow can run on, and what {@code auto} settings resolve to here: a deployment is
 * checked with it ({@code streamguard devices}) before it takes traffic.
 *
 * @param tensorflow the native TensorFlow version
 * @param cudaBuild whether TensorFlow is its CUDA build (the {@code -Pgpu} launcher)
 * @param cuda the CUDA libraries the build bundles and what loading them did
 * @param devices the device types TensorFlow sees ({@code CPU}, {@code GPU})
 * @param device what {@link Device#AUTO} resolves to
 * @param precision what {@link Precision#AUTO} resolves to on that device
 * @param bf16Flags this CPU's flags that run bfloat16 natively
 */
public record DeviceReport(
        String tensorflow,
        boolean cudaBuild,
        CudaLibraries.Report cuda,
        Set<String> devices,
        Device device,
        Precision precision,
        Set<String> bf16Flags) {

    public DeviceReport {
        devices = Set.copyOf(devices);
        bf16Flags = Set.copyOf(bf16Flags);
    }

    /** This process, probing TensorFlow (and loading bundled CUDA libraries) if nothing has yet. */
    public static DeviceReport current() {
        Set<String> devices = TfDevices.available();
        Device device = TfDevices.resolve(Device.AUTO, devices);
        Set<String> flags = Precision.cpuFlags();
        return new DeviceReport(
                TensorFlow.version(),
                TfDevices.cudaBuild(),
                CudaLibraries.load(),
                devices,
                device,
                Precision.AUTO.resolve(device, flags),
                flags.stream().filter(Precision.BF16_FLAGS::contains).collect(Collectors.toSet()));
    }

    /** Why no GPU is used, when none is: the first thing to fix. */
    public Optional<String> whyNoGpu() {
        return devices.contains("GPU") ? Optional.empty() : Optional.of(TfDevices.whyNoGpu(cudaBuild, cuda));
    }
}
