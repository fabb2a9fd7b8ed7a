package io.streamguard.model.encoder.tf;

import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacpp.Loader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the CUDA 12 / cuDNN 9 libraries a {@code -Pgpu} build bundles (bytedeco's {@code cuda} {@code
 * linux-x86_64-redist} jar) into this process before TensorFlow starts its GPU platform.
 *
 * <p>TensorFlow's GPU build links none of them: it {@code dlopen()}s each by soname ({@code libcudart.so.12},
 * {@code libcudnn.so.9}, ...) when it first looks for devices, and skips the GPU if one is missing. A library
 * already loaded under that soname is what {@code dlopen()} returns, so loading them from the jar first is all
 * it takes: no {@code LD_LIBRARY_PATH}, no CUDA toolkit on the host, only the NVIDIA driver ({@code
 * libcuda.so.1}), which none of these links against, so they load on a machine without one. TF Java's own
 * preload list names CUDA 11 versions and finds none of these.
 *
 * <p>JavaCPP extracts them once to its cache ({@code ~/.javacpp/cache}, or {@code -Dorg.bytedeco.javacpp.cachedir}):
 * about 2.5 GB, tens of seconds on the first start.
 */
public final class CudaLibraries {

    private static final Logger LOG = LoggerFactory.getLogger(CudaLibraries.class);

    /** Where the redist jar keeps them. */
    static final String DIRECTORY = "org/bytedeco/cuda/linux-x86_64/";

    /**
     * What TensorFlow 2.18 opens (runtime, BLAS, FFT, sparse, solver, cuDNN with the parts it opens itself), each
     * after those it links against ({@code readelf -d}), so each resolves against the ones before it.
     */
    static final List<String> LIBRARIES = List.of(
            "libcudart.so.12",
            "libnvJitLink.so.12",
            "libcublasLt.so.12",
            "libcublas.so.12",
            "libcufft.so.11",
            "libcusparse.so.12",
            "libcusolver.so.11",
            "libnvrtc.so.12",
            "libcudnn_graph.so.9",
            "libcudnn_ops.so.9",
            "libcudnn_engines_precompiled.so.9",
            "libcudnn_engines_runtime_compiled.so.9",
            "libcudnn_heuristic.so.9",
            "libcudnn_cnn.so.9",
            "libcudnn_adv.so.9",
            "libcudnn.so.9");

    /**
     * What loading found.
     *
     * @param bundled whether this build carries the libraries (the {@code -Pgpu} launcher); if not, TensorFlow looks
     *     for them on the host's library path
     * @param loaded the libraries loaded, in order
     * @param directory where they were loaded from, if any were
     * @param failure the first library that failed and why; the rest were not tried
     */
    public record Report(boolean bundled, List<String> loaded, Optional<String> directory, Optional<String> failure) {

        public Report {
            loaded = List.copyOf(loaded);
        }

        /** Every bundled library loaded. */
        public boolean complete() {
            return bundled && failure.isEmpty() && loaded.size() == LIBRARIES.size();
        }

        /** One line for logs and {@code streamguard devices}. */
        public String describe() {
            if (!bundled) {
                return "not bundled (TensorFlow looks on the host's library path)";
            }
            return failure.map(f -> "bundled; " + loaded.size() + " of " + LIBRARIES.size() + " loaded, then " + f)
                    .orElseGet(() -> "bundled; " + loaded.size() + " of " + LIBRARIES.size() + " loaded from "
                            + directory.orElse("?"));
        }
    }

    private static Report loaded;

    private CudaLibraries() {}

    /** Loads them once per process (later calls return the first report). */
    public static synchronized Report load() {
        if (loaded == null) {
            loaded = load(CudaLibraries.class.getClassLoader());
        }
        return loaded;
    }

    /** Loads what {@code loader} bundles; package-private so a test can show a build without them. */
    static Report load(ClassLoader loader) {
        if (loader.getResource(DIRECTORY + LIBRARIES.get(0)) == null) {
            return new Report(false, List.of(), Optional.empty(), Optional.empty());
        }
        List<String> done = new ArrayList<>();
        String directory = null;
        long started = System.nanoTime();
        for (String library : LIBRARIES) {
            URL url = loader.getResource(DIRECTORY + library);
            if (url == null) {
                return failed(done, directory, library + " is not in the bundle");
            }
            try {
                File file = Loader.cacheResource(url);
                System.load(file.getAbsolutePath());
                directory = file.getParent();
                done.add(library);
            } catch (Exception | UnsatisfiedLinkError e) {
                return failed(done, directory, library + " failed to load: " + e.getMessage());
            }
        }
        LOG.info(
                "CUDA libraries: {} loaded from {} in {} ms",
                done.size(),
                directory,
                (System.nanoTime() - started) / 1_000_000);
        return new Report(true, done, Optional.ofNullable(directory), Optional.empty());
    }

    private static Report failed(List<String> done, String directory, String why) {
        LOG.warn("CUDA libraries: {} of {} loaded, then {}", done.size(), LIBRARIES.size(), why);
        return new Report(true, done, Optional.ofNullable(directory), Optional.of(why));
    }
}
