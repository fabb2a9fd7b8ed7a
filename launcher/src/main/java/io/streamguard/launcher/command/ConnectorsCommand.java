package io.streamguard.launcher.command;

import io.streamguard.launcher.cli.Checkout;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.ConnectClient;
import io.streamguard.launcher.client.ConnectionSettings;
import io.streamguard.launcher.client.ConnectorConfigs;
import io.streamguard.launcher.client.ConnectorFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code streamguard connectors apply|status}: our connector configs on a Kafka Connect worker. */
@Command(
        name = "connectors",
        mixinStandardHelpOptions = true,
        description = "Put the connector configs of connectors/config/ on a Connect worker, or show their state.",
        subcommands = {ConnectorsCommand.Apply.class, ConnectorsCommand.Status.class})
public final class ConnectorsCommand implements Callable<Integer> {
    static final String DEFAULT_CONNECT = "http://127.0.0.1:8083";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (one of: apply, status; see --help)");
    }

    /** {@code --connect}, default {@code $STREAMGUARD_CONNECT_URL} or the embedded worker's URL. */
    static final class ConnectOption {
        @Option(
                names = {"-c", "--connect"},
                paramLabel = "URL",
                defaultValue = "${env:STREAMGUARD_CONNECT_URL:-" + DEFAULT_CONNECT + "}",
                description = "Kafka Connect REST URL (env STREAMGUARD_CONNECT_URL; default: ${DEFAULT-VALUE}).")
        String connect;

        /** A client for the URL; a malformed URL is a usage error. */
        ConnectClient client(CommandSpec spec) {
            try {
                return new ConnectClient(connect);
            } catch (LauncherException e) {
                throw new ParameterException(spec.commandLine(), "--connect: " + e.getMessage());
            }
        }
    }

    /** PUT every {@code *.json} of the config dir, with the connection settings given. */
    @Command(
            name = "apply",
            mixinStandardHelpOptions = true,
            description =
                    "Create or update each connector of connectors/config/*.json ({\"name\": ..., \"config\": {...}}),"
                            + " pointed at the PostgreSQL, registry and broker given.")
    static final class Apply implements Callable<Integer> {
        @Mixin
        ConnectOption connect = new ConnectOption();

        @Option(
                names = "--postgres",
                paramLabel = "JDBC_URL",
                description = "jdbc:postgresql://HOST[:PORT]/DB[?user=U&password=P] for the JDBC sinks and the"
                        + " PostgreSQL source (default: what the files say).")
        String postgres;

        @Option(
                names = {"-r", "--registry"},
                paramLabel = "URL",
                description = "Schema registry URL for every *.converter.schema.registry.url (default: what the"
                        + " files say).")
        String registry;

        @Option(
                names = {"-b", "--bootstrap"},
                paramLabel = "HOST:PORT",
                description = "Broker for any *bootstrap.servers a connector names (default: what the files say).")
        String bootstrap;

        @Option(
                names = "--config-dir",
                paramLabel = "DIR",
                description = "Directory of connector configs (default: connectors/config/ of the checkout).")
        Path configDir;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ConnectionSettings settings = settings();
            ConnectClient client = connect.client(spec);
            List<ConnectorFile> files;
            try {
                files = ConnectorConfigs.read(Optional.ofNullable(configDir)
                        .orElseGet(() -> Checkout.home().resolve(ConnectorConfigs.CONFIG_IN_CHECKOUT)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            PrintWriter out = spec.commandLine().getOut();
            for (ConnectorConfigs.Applied a : ConnectorConfigs.apply(client, files, settings)) {
                out.println(a.name() + " " + (a.created() ? "created" : "updated") + " (" + a.connectorClass() + ") on "
                        + client.url());
            }
            out.flush();
            return 0;
        }

        ConnectionSettings settings() {
            try {
                return new ConnectionSettings(
                        Optional.ofNullable(postgres).map(ConnectionSettings.Postgres::parse),
                        Optional.ofNullable(registry).map(url -> validHttpUrl("--registry", url)),
                        Optional.ofNullable(bootstrap).map(String::strip));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        private static String validHttpUrl(String option, String url) {
            try {
                return new ConnectClient(url).url();
            } catch (LauncherException e) {
                throw new IllegalArgumentException(option + " must be an http(s) URL, was '" + url + "'");
            }
        }
    }

    /** Each connector's state and its tasks'. */
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = "Show each connector's state and its tasks' (with the first line of a failed task's trace).")
    static final class Status implements Callable<Integer> {
        @Mixin
        ConnectOption connect = new ConnectOption();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ConnectClient client = connect.client(spec);
            PrintWriter out = spec.commandLine().getOut();
            List<String> names = client.list();
            if (names.isEmpty()) {
                out.println("no connectors on " + client.url());
            }
            for (String name : names) {
                // A connector deleted between list and status is simply gone.
                client.statusIfExists(name).ifPresent(status -> {
                    out.println(name + " " + status.state());
                    if (status.trace() != null) {
                        out.println("  " + ConnectClient.firstLine(status.trace()));
                    }
                    for (ConnectClient.TaskStatus task : status.tasks()) {
                        out.println("  task " + task.id() + " " + task.state()
                                + (task.trace() != null ? ": " + ConnectClient.firstLine(task.trace()) : ""));
                    }
                });
            }
            out.flush();
            return 0;
        }
    }
}
