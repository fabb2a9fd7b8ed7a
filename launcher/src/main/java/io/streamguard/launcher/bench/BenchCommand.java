package io.streamguard.launcher.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code streamguard bench engine|memory|pipeline|connectors|hostile}: the model runtime measured on this machine
 * (no Kafka), the whole pipeline on an embedded stack, the Kafka Connect connectors beside it, and hostile
 * input against worker JVMs.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure the model runtime (engine, memory; no broker needed) or the whole labeling"
                + " pipeline on an embedded broker and registry (pipeline), or the Kafka Connect connectors beside"
                + " it on an embedded PostgreSQL and Connect worker (connectors), or hostile and fuzzed records"
                + " through worker JVMs (hostile), or faults under load against worker JVMs (chaos), or the repeat"
                + " cache on traffic that repeats itself (repeats).",
        subcommands = {
            EngineCommand.class,
            MemoryCommand.class,
            PipelineCommand.class,
            ConnectCommand.class,
            HostileCommand.class,
            ChaosCommand.class,
            RepeatCommand.class
        })
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                "missing command (one of: engine, memory, pipeline, connectors, hostile, chaos, repeats; see streamguard bench --help)");
    }
}
