package io.streamguard.launcher;

import static io.streamguard.launcher.cli.Messages.PREFIX;
import static io.streamguard.launcher.cli.Messages.oneLine;
import static io.streamguard.launcher.cli.Messages.rootMessage;

import io.streamguard.console.store.ConsoleException;
import io.streamguard.launcher.bench.BenchCommand;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.ClientSecurity;
import io.streamguard.launcher.command.ConnectorsCommand;
import io.streamguard.launcher.command.ConsoleCommand;
import io.streamguard.launcher.command.ConsumeCommand;
import io.streamguard.launcher.command.DevicesCommand;
import io.streamguard.launcher.command.EvalCommand;
import io.streamguard.launcher.command.FeedbackCommand;
import io.streamguard.launcher.command.ModelsCommand;
import io.streamguard.launcher.command.PolicyCommand;
import io.streamguard.launcher.command.ProduceCommand;
import io.streamguard.launcher.command.RetrainerCommand;
import io.streamguard.launcher.command.TopicsCommand;
import io.streamguard.launcher.command.TrainCommand;
import io.streamguard.launcher.command.UpCommand;
import io.streamguard.launcher.command.WorkerCommand;
import io.streamguard.model.ModelRuntimeException;
import io.streamguard.retrainer.RetrainerException;
import io.streamguard.schemas.registry.RegistryException;
import io.streamguard.topology.PipelineException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code streamguard}: run the local stack and talk to it. Exit status 0 on success, 2 for usage
 * errors (bad option, missing file), 1 for runtime failures; either way one {@code streamguard:
 * ...} line on stderr instead of a stack trace.
 */
@Command(
        name = "streamguard",
        mixinStandardHelpOptions = true,
        versionProvider = StreamGuardCli.Version.class,
        description = "StreamGuard: real-time content moderation on Apache Kafka.",
        subcommands = {
            UpCommand.class,
            WorkerCommand.class,
            PolicyCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            TopicsCommand.class,
            BenchCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            RetrainerCommand.class,
            ModelsCommand.class,
            FeedbackCommand.class,
            ConnectorsCommand.class,
            ConsoleCommand.class,
            DevicesCommand.class
        },
        footer = {
            "",
            "Environment: STREAMGUARD_BOOTSTRAP, STREAMGUARD_REGISTRY_URL, STREAMGUARD_REGISTRY_APP,"
                    + " STREAMGUARD_LOG_LEVEL (our logs), STREAMGUARD_KAFKA_LOG_LEVEL (broker/client logs)."
        })
public final class StreamGuardCli implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(StreamGuardCli.class);

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(newCommandLine().execute(args));
    }

    /** The configured command line (error handlers included); tests swap in their own writers. */
    public static CommandLine newCommandLine() {
        // Each command line starts from the environment's credentials, not a previous one's --config.
        ClientSecurity.use(null);
        return new CommandLine(new StreamGuardCli())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(new UsageErrors())
                .setExecutionExceptionHandler(new RuntimeErrors());
    }

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(),
                // From the registered commands, so a new one cannot be left out of the message.
                "missing command (one of: "
                        + String.join(", ", spec.subcommands().keySet()) + "; see --help)");
    }

    /** Exit 2 and one line for anything the user typed wrong. */
    static final class UsageErrors implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(PREFIX + oneLine(ex.getMessage()));
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
    }

    /** Exit 1 and one line for failures at run time; stack traces only at DEBUG. */
    static final class RuntimeErrors implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
            PrintWriter err = cmd.getErr();
            String message;
            if (ex instanceof LauncherException) {
                message = ex.getMessage(); // may carry a registry log tail: deliberately kept multi-line
            } else if (ex instanceof KafkaException || ex instanceof UncheckedIOException) {
                message = oneLine(rootMessage(ex));
            } else if (ex instanceof ModelRuntimeException
                    || ex instanceof RegistryException
                    || ex instanceof PipelineException
                    || ex instanceof RetrainerException
                    || ex instanceof ConsoleException) {
                message = oneLine(ex.getMessage()); // each module's typed failures say what and why
            } else {
                message = "internal error: " + ex + " (STREAMGUARD_LOG_LEVEL=DEBUG shows the stack trace)";
            }
            LOG.debug("Command failed", ex);
            err.println(PREFIX + message);
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /** The launcher jar's Implementation-Version (set by the Maven build). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = StreamGuardCli.class.getPackage().getImplementationVersion();
            return new String[] {
                "streamguard " + (v != null ? v : "(development build)"),
                "Apache Kafka " + AppInfoParser.getVersion(),
                "Java " + System.getProperty("java.version")
            };
        }
    }
}
