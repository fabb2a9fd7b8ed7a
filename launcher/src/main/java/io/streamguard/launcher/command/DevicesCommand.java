package io.streamguard.launcher.command;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamguard.model.encoder.DeviceReport;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code streamguard devices}: what this launcher's TensorFlow can run on (its build, the CUDA libraries it
 * bundles, the devices it sees) and what the {@code auto} device and precision of a worker resolve to here.
 * Run it on a new host or image before it takes traffic; {@code --require-gpu} makes a missing GPU an exit status.
 */
@Command(
        name = "devices",
        mixinStandardHelpOptions = true,
        description = {
            "Show what this launcher's TensorFlow runs on: CPU or CUDA build, the bundled CUDA libraries,"
                    + " the devices it sees, and what --device auto and --precision auto resolve to here.",
            "Exit status 0; with --require-gpu, 1 when TensorFlow sees no GPU (with the reason)."
        })
public final class DevicesCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--require-gpu", description = "Exit with status 1 when TensorFlow sees no GPU.")
    boolean requireGpu;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DeviceReport report = DeviceReport.current();
        PrintWriter out = spec.commandLine().getOut();
        out.print((json ? json(report) : text(report)) + "\n");
        out.flush();
        boolean missing = requireGpu && report.whyNoGpu().isPresent();
        if (missing) {
            spec.commandLine()
                    .getErr()
                    .println("streamguard: no GPU: " + report.whyNoGpu().get());
        }
        return missing ? 1 : 0;
    }

    static String text(DeviceReport r) {
        String build = r.cudaBuild() ? "CUDA build (-Pgpu)" : "CPU build";
        return String.join(
                "\n",
                "TensorFlow      " + r.tensorflow() + ", " + build,
                "CUDA libraries  " + r.cuda().describe(),
                "devices         " + String.join(", ", new TreeSet<>(r.devices())),
                "device auto     " + r.device().name()
                        + r.whyNoGpu().map(why -> " (no GPU: " + why + ")").orElse(""),
                "precision auto  " + r.precision().label() + " on " + r.device().name()
                        + (r.bf16Flags().isEmpty()
                                ? " (no bfloat16 units on this CPU)"
                                : " (CPU flags " + String.join(", ", new TreeSet<>(r.bf16Flags())) + ")"));
    }

    static String json(DeviceReport r) {
        ObjectNode node = JSON.createObjectNode();
        node.put("tensorflow", r.tensorflow());
        node.put("cudaBuild", r.cudaBuild());
        ObjectNode cuda = node.putObject("cudaLibraries");
        cuda.put("bundled", r.cuda().bundled());
        r.cuda().loaded().forEach(cuda.putArray("loaded")::add);
        r.cuda().directory().ifPresent(d -> cuda.put("directory", d));
        r.cuda().failure().ifPresent(f -> cuda.put("failure", f));
        new TreeSet<>(r.devices()).forEach(node.putArray("devices")::add);
        node.put("device", r.device().name().toLowerCase(Locale.ROOT));
        r.whyNoGpu().ifPresent(why -> node.put("whyNoGpu", why));
        node.put("precision", r.precision().label());
        new TreeSet<>(r.bf16Flags()).forEach(node.putArray("bf16Flags")::add);
        return node.toString();
    }
}
