package io.streamguard.launcher.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.launcher.cli.Checkout;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.client.ConnectClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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
    static final Path CONFIG_IN_CHECKOUT = Path.of("connectors", "config");

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
            List<ConnectorFile> files = read(Optional.ofNullable(configDir)
                    .orElseGet(() -> Checkout.home().resolve(CONFIG_IN_CHECKOUT)));
            PrintWriter out = spec.commandLine().getOut();
            for (ConnectorFile file : files) {
                Map<String, String> config = settings.applyTo(file.config());
                boolean created = client.put(file.name(), config);
                out.println(file.name() + " " + (created ? "created" : "updated") + " ("
                        + config.getOrDefault("connector.class", "?") + ") on " + client.url());
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

        /** Every {@code *.json} in {@code dir}, by file name; a file that is not a connector is a usage error. */
        List<ConnectorFile> read(Path dir) {
            if (!Files.isDirectory(dir)) {
                throw new ParameterException(spec.commandLine(), "no connector config dir " + dir);
            }
            List<Path> paths;
            try (Stream<Path> entries = Files.list(dir)) {
                paths = entries.filter(p -> p.getFileName().toString().endsWith(".json"))
                        .filter(Files::isRegularFile)
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new LauncherException("could not list " + dir + ": " + e.getMessage(), e);
            }
            if (paths.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "no *.json connector configs in " + dir);
            }
            List<ConnectorFile> files = new ArrayList<>();
            for (Path path : paths) {
                try {
                    files.add(ConnectorFile.parse(Files.readString(path)));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), path + ": " + e.getMessage());
                } catch (IOException e) {
                    throw new LauncherException("could not read " + path + ": " + e.getMessage(), e);
                }
            }
            return files;
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

    /** One file of {@code connectors/config/}: Connect's own {@code {"name": ..., "config": {...}}}. */
    record ConnectorFile(String name, Map<String, String> config) {
        private static final ObjectMapper JSON = new ObjectMapper();

        /**
         * @throws IllegalArgumentException with a one-line reason if the text is not such a document
         *     (config values must be strings, numbers or booleans: Connect takes them as strings)
         */
        static ConnectorFile parse(String text) {
            JsonNode root;
            try {
                root = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
            }
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("expected {\"name\": ..., \"config\": {...}}");
            }
            JsonNode name = root.get("name");
            JsonNode config = root.get("config");
            if (name == null || !name.isTextual() || name.asText().isBlank()) {
                throw new IllegalArgumentException("\"name\" must be a non-empty string");
            }
            if (config == null || !config.isObject()) {
                throw new IllegalArgumentException("\"config\" must be an object");
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                    throw new IllegalArgumentException(
                            "config \"" + field.getKey() + "\" must be a string, number or boolean");
                }
                values.put(field.getKey(), field.getValue().asText());
            }
            return new ConnectorFile(name.asText(), values);
        }
    }
}
