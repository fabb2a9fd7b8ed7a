package io.streamguard.model.encoder.tf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU build bundles no CUDA; the {@code -Pgpu} build ({@code mvn -Pgpu -pl model-runtime verify
 * -Dtest='CudaLibrariesTest,TfDevicesTest'}) loads every bundled library on a machine without a driver.
 */
class CudaLibrariesTest {

    static boolean gpuBuild() {
        return System.getProperty("tensorflow.native.classifier", "linux-x86_64")
                .endsWith("-gpu");
    }

    @Test
    void theBuildBundlesCudaExactlyWhenItIsTheGpuBuild() {
        CudaLibraries.Report report = CudaLibraries.load();
        assertThat(report.bundled()).isEqualTo(gpuBuild());
        assertThat(TfDevices.cudaBuild()).isEqualTo(gpuBuild());
        if (gpuBuild()) {
            // None of them links against the driver, so all load here, GPU or not.
            assertThat(report.loaded()).containsExactlyElementsOf(CudaLibraries.LIBRARIES);
            assertThat(report.complete()).isTrue();
            assertThat(report.describe()).startsWith("bundled; 16 of 16 loaded from ");
        } else {
            assertThat(report.loaded()).isEmpty();
            assertThat(report.describe()).startsWith("not bundled");
        }
    }

    @Test
    void aClasspathWithoutTheBundleLoadsNothing(@TempDir Path empty) throws IOException {
        try (URLClassLoader loader = new URLClassLoader(new URL[] {empty.toUri().toURL()}, null)) {
            assertThat(CudaLibraries.load(loader))
                    .isEqualTo(new CudaLibraries.Report(false, List.of(), Optional.empty(), Optional.empty()));
        }
    }

    @Test
    void aLibraryThatDoesNotLoadStopsLoadingAndSaysWhich(@TempDir Path root) throws IOException {
        Path broken = root.resolve(CudaLibraries.DIRECTORY).resolve("libcudart.so.12");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "not an ELF file");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            CudaLibraries.Report report = CudaLibraries.load(loader);
            assertThat(report.bundled()).isTrue();
            assertThat(report.loaded()).isEmpty();
            assertThat(report.complete()).isFalse();
            assertThat(report.failure()).get().asString().startsWith("libcudart.so.12 failed to load: ");
            assertThat(report.describe()).startsWith("bundled; 0 of 16 loaded, then libcudart.so.12 failed to load");
        }
    }

    @Test
    void aBundleMissingALibrarySaysWhich(@TempDir Path root) throws IOException {
        Path first = root.resolve(CudaLibraries.DIRECTORY).resolve("libcudart.so.12");
        Files.createDirectories(first.getParent());
        // A real shared object stands in for libcudart (any loads); libnvJitLink, next, is missing.
        Files.copy(Path.of(firstSharedObject()), first);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            CudaLibraries.Report report = CudaLibraries.load(loader);
            assertThat(report.loaded()).containsExactly("libcudart.so.12");
            assertThat(report.failure()).contains("libnvJitLink.so.12 is not in the bundle");
        }
    }

    /** A small library every Linux has, loadable twice without harm. */
    private static String firstSharedObject() {
        for (String candidate :
                List.of("/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1", "/lib64/libz.so.1")) {
            if (Files.isRegularFile(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no libz.so.1 on this machine");
    }
}
