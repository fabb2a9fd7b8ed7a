package io.streamguard.model.encoder.tf;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteBuffer;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetRegisteredKernelsForOp;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_OK;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;

import com.google.protobuf.InvalidProtocolBufferException;
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
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.KernelDef;
import org.tensorflow.proto.KernelList;
import org.tensorflow.proto.RewriterConfig;

/**
 * Which devices this process's TensorFlow build can use, and the session config for a chosen one.
 * Shared by every TensorFlow engine ({@code bert-base-uncased}, {@code minilm-l6}) so they resolve
 * {@link Device} requests the same way; application code configures devices through
 * {@link io.streamguard.model.encoder.EncoderConfig} instead.
 *
 * <p>TF Java's public API cannot list devices, so this opens a throw-away session on an empty graph
 * through the C API and asks it. With the CPU native build the list is always just {@code CPU};
 * with the {@code -Pgpu} build it includes {@code GPU} only when CUDA finds a usable card. Before that
 * first look it loads the CUDA libraries the {@code -Pgpu} build bundles ({@link CudaLibraries}), so every
 * TensorFlow engine must ask {@link #available()} before it opens a session.
 */
public final class TfDevices {

    private static final Logger LOG = LoggerFactory.getLogger(TfDevices.class);

    private static volatile Set<String> cached;
    private static volatile Boolean cudaBuild;
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
                            "GPU requested but TensorFlow sees no GPU (devices {}): {}; running on CPU",
                            available,
                            whyNoGpu(cudaBuild(), CudaLibraries.load()));
                }
                yield gpu ? Device.GPU : Device.CPU;
            }
        };
    }

    /**
     * Whether the loaded TensorFlow is its CUDA build: it registers GPU kernels (for {@code MatMul}) whether or not
     * a card is present, which the CPU build never does.
     */
    public static boolean cudaBuild() {
        Boolean known = cudaBuild;
        if (known == null) {
            available(); // the CUDA libraries first, then TensorFlow
            known = kernelDevices("MatMul").contains("GPU");
            cudaBuild = known;
        }
        return known;
    }

    /** Why a process with this build and these CUDA libraries sees no GPU: the first thing to fix. */
    public static String whyNoGpu(boolean cudaBuild, CudaLibraries.Report cuda) {
        if (!cudaBuild) {
            return "this is TensorFlow's CPU build (build the launcher with mvn -Pgpu)";
        }
        if (cuda.failure().isPresent()) {
            return "TensorFlow's CUDA build, but a bundled CUDA library did not load: "
                    + cuda.failure().get();
        }
        String libraries = cuda.bundled()
                ? "CUDA 12 / cuDNN 9 loaded from the build"
                : "no bundled CUDA libraries, so CUDA 12 / cuDNN 9 must be on the host's library path";
        return "TensorFlow's CUDA build, " + libraries + ", but CUDA found no device: is the NVIDIA driver "
                + "(libcuda.so.1) installed and a card visible to this process (nvidia-smi; in a container the "
                + "NVIDIA Container Toolkit)?";
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
        if (requested == Precision.FP16 && resolved != Precision.FP16 && WARNED_PRECISION.compareAndSet(false, true)) {
            LOG.warn(
                    "float16 requested but it runs on a GPU only, and this encoder runs on the {}: running in float32",
                    device);
        }
        return resolved;
    }

    /**
     * As {@link #sessionConfig(Device)}, with {@code precision} (resolved) applied: {@link Precision#BF16} turns on
     * Grappler's oneDNN bfloat16 auto-mixed-precision rewrite, {@link Precision#FP16} its CUDA float16 one.
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
        RewriterConfig.Builder rewrites = RewriterConfig.newBuilder();
        switch (precision) {
            case BF16 -> rewrites.setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON);
            case FP16 -> rewrites.setAutoMixedPrecision(RewriterConfig.Toggle.ON); // rewrites GPU nodes only
            default -> {
                return config.build(); // float32: the graph as it is
            }
        }
        config.setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(rewrites));
        return config.build();
    }

    private static Set<String> probe() {
        CudaLibraries.load(); // before TensorFlow looks for a GPU (a no-op on the CPU build)
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

    /** Device types with a kernel registered for {@code op}. */
    private static Set<String> kernelDevices(String op) {
        TF_Status status = TF_NewStatus();
        try {
            TF_Buffer buffer = TF_GetRegisteredKernelsForOp(op, status);
            check(status, "list kernels of " + op);
            try {
                Set<String> types = new TreeSet<>();
                for (KernelDef kernel :
                        KernelList.parseFrom(buffer.dataAsByteBuffer()).getKernelList()) {
                    types.add(kernel.getDeviceType());
                }
                return types;
            } catch (InvalidProtocolBufferException e) {
                throw new EncoderException("TensorFlow's kernel list for " + op + " did not parse", e);
            } finally {
                TF_DeleteBuffer(buffer);
            }
        } finally {
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
