package io.streamguard.model.encoder.tf;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;

import io.streamguard.model.encoder.Device;
import io.streamguard.model.encoder.EncoderException;
import io.streamguard.model.encoder.Precision;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;

/**
 * Which devices this process's TensorFlow build can use, and the session config for a chosen one.
 * Shared by every TensorFlow engine ({@code bert-base-uncased}, {@code minilm-l6}) so they resolve
 * {@link Device} requests the same way; application code configures devices through
 * {@link io.streamguard.model.encoder.EncoderConfig} instead.
 *
 * <p>TF Java's public API cannot list devices, so this opens a throw-away session on an empty graph
 * through the C API and asks it. With the CPU native build the list is always just {@code CPU};
 * with the {@code -Pgpu} build it includes {@code GPU} only when CUDA finds a usable card.
 */
public final class TfDevices {

    private static final Logger LOG = LoggerFactory.getLogger(TfDevices.class);

    private static volatile Set<String> cached;
    /** The GPU fallback is a deployment fact, not news per encoder: warn once per process. */
    private static final AtomicBoolean WARNED_NO_GPU = new AtomicBoolean();

    private static final AtomicBoolean WARNED_PRECISION = new AtomicBoolean();

    private TfDevices() {}

    /** Device types such as {@code CPU} and {@code GPU}; probed once per process. */
    public static Set<String> available() {
        Set<String> types = cached;
        if (types == null) {
            synchronized (TfDevices.class) {
                if (cached == null) {
                    cached = Set.copyOf(probe());
                }
                types = cached;
            }
        }
        return types;
    }

    /**
     * The device a request resolves to: GPU only if TensorFlow has one. An explicit GPU request
     * that cannot be met falls back to CPU with one warning per process, since a worker that still runs is
     * better than one that refuses to start over a deployment mismatch.
     */
    public static Device resolve(Device requested, Set<String> available) {
        boolean gpu = available.contains("GPU");
        return switch (requested) {
            case CPU -> Device.CPU;
            case AUTO -> gpu ? Device.GPU : Device.CPU;
            case GPU -> {
                if (!gpu && WARNED_NO_GPU.compareAndSet(false, true)) {
                    LOG.warn(
                            "GPU requested but TensorFlow sees no GPU (devices {}; the GPU build needs mvn -Pgpu "
                                    + "and CUDA 12 / cuDNN 9 on the host); running on CPU",
                            available);
                }
                yield gpu ? Device.GPU : Device.CPU;
            }
        };
    }

    /** Session config pinning the graph to {@code device}. */
    public static ConfigProto sessionConfig(Device device) {
        return sessionConfig(device, Precision.FP32);
    }

    /**
     * What {@code requested} runs in on {@code device} on this CPU ({@link Precision#resolve}); a bfloat16 request
     * the device cannot run natively falls back to float32 with one warning per process.
     */
    public static Precision resolve(Precision requested, Device device) {
        Precision resolved = requested.resolve(device, Precision.cpuFlags());
        if (requested == Precision.BF16 && resolved != Precision.BF16 && WARNED_PRECISION.compareAndSet(false, true)) {
            LOG.warn(
                    "bfloat16 requested but {} has no native bfloat16 (CPU flags {}): running in float32",
                    device,
                    Precision.BF16_FLAGS);
        }
        return resolved;
    }

    /**
     * As {@link #sessionConfig(Device)}, with {@code precision} (resolved) applied: {@link Precision#BF16} turns on
     * Grappler's oneDNN bfloat16 auto-mixed-precision rewrite.
     */
    public static ConfigProto sessionConfig(Device device, Precision precision) {
        ConfigProto.Builder config = ConfigProto.newBuilder()
                // Ops without a GPU kernel (string/assert ops) stay on CPU instead of failing placement.
                .setAllowSoftPlacement(true)
                // Grow on demand so several workers can share one card.
                .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
        if (device == Device.CPU) {
            config.putDeviceCount("GPU", 0);
        }
        if (precision == Precision.BF16) {
            config.setGraphOptions(GraphOptions.newBuilder()
                    .setRewriteOptions(
                            RewriterConfig.newBuilder().setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON)));
        }
        return config.build();
    }

    private static Set<String> probe() {
        TensorFlow.version(); // loads the native library
        Set<String> types = new TreeSet<>();
        TF_Status status = TF_NewStatus();
        TF_Graph graph = TF_NewGraph();
        TF_SessionOptions options = TF_NewSessionOptions();
        TF_Session session = null;
        try {
            byte[] config = sessionConfig(Device.GPU).toByteArray();
            try (BytePointer bytes = new BytePointer(config)) {
                TF_SetConfig(options, bytes, config.length, status);
            }
            check(status, "set probe session config");
            session = TF_NewSession(graph, options, status);
            check(status, "open probe session");
            TF_DeviceList devices = TF_SessionListDevices(session, status);
            check(status, "list devices");
            try {
                for (int i = 0; i < TF_DeviceListCount(devices); i++) {
                    BytePointer type = TF_DeviceListType(devices, i, status);
                    check(status, "read device type");
                    types.add(type.getString());
                }
            } finally {
                TF_DeleteDeviceList(devices);
            }
            return types;
        } finally {
            if (session != null) {
                TF_CloseSession(session, status);
                TF_DeleteSession(session, status);
            }
            TF_DeleteSessionOptions(options);
            TF_DeleteGraph(graph);
            TF_DeleteStatus(status);
        }
    }

    private static void check(TF_Status status, String what) {
        if (TF_GetCode(status) != TF_OK) {
            throw new EncoderException(
                    "TensorFlow failed to " + what + ": " + TF_Message(status).getString());
        }
    }
}
