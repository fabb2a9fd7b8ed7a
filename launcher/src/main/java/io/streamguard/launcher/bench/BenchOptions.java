package io.streamguard.launcher.bench;

import io.streamguard.launcher.cli.Checkout;
import io.streamguard.launcher.cli.Usage;
import io.streamguard.model.encoder.Device;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Options every benchmark takes, and where progress goes. */
final class BenchOptions {
    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            defaultValue = "AUTO",
            description = "auto (GPU if TensorFlow sees one), cpu or gpu (falls back to the CPU with a"
                    + " warning); default: ${DEFAULT-VALUE}.")
    Device device;

    @Option(
            names = "--datasets",
            paramLabel = "DIR",
            description = "Real texts (SST-2, TweetEval; default: $STREAMGUARD_DATASETS or"
                    + " ../shared/datasets beside the checkout).")
    Path datasets;

    Path datasets(CommandSpec spec) {
        Path dir = Checkout.datasetsDir(datasets);
        if (!Files.isDirectory(dir)) {
            throw Usage.error(
                    spec,
                    "datasets directory not found: "
                            + dir
                            + " (--datasets DIR or STREAMGUARD_DATASETS point elsewhere)");
        }
        return dir;
    }

    /** One progress line on stderr (the report itself goes to stdout). */
    static void progress(PrintWriter err, String line) {
        err.println("bench: " + line);
        err.flush();
    }
}
