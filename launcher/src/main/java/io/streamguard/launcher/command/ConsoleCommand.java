package io.streamguard.launcher.command;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamguard.console.store.DuplicateUserException;
import io.streamguard.console.store.Role;
import io.streamguard.console.web.ConsoleConfig;
import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.cli.Messages;
import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.launcher.cli.Usage;
import io.streamguard.launcher.client.ClientSecurity;
import io.streamguard.launcher.console.ConsoleDatabase;
import io.streamguard.launcher.console.ConsoleService;
import io.streamguard.launcher.console.ServingModel;
import io.streamguard.launcher.stack.EmbeddedPostgres;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.schemas.registry.RegistryClient;
import io.streamguard.schemas.registry.RegistryConfig;
import io.streamguard.topology.ClassifierScorer;
import io.streamguard.topology.HeadsSwapper;
import io.streamguard.topology.ModelVersionFollower;
import io.streamguard.topology.PipelineMetrics;
import io.streamguard.topology.PipelineSettings;
import io.streamguard.topology.WorkerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code streamguard console}: the moderators' web console, and its accounts. */
@Command(
        name = "console",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the moderator console: the review queue over the sinks' PostgreSQL tables, verdicts to"
                    + " moderation-feedback, thresholds from moderation-policy. `up` starts one by default.",
            "The first admin is 'admin' with the password in $" + ConsoleDatabase.ADMIN_PASSWORD_ENV
                    + ", else a random one printed once.",
            "Prints 'CONSOLE <url>' once it serves; Ctrl-C stops it."
        },
        subcommands = {ConsoleCommand.UsersCommand.class})
public final class ConsoleCommand implements Callable<Integer> {
    static final int DEFAULT_PORT = 8088;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions.Bootstrap bootstrap;

    @Mixin
    ClientOptions.Registry registry;

    @Mixin
    Database database;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "Bind address;" + " default: ${DEFAULT-VALUE} (local only).")
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "" + DEFAULT_PORT,
            description = "Default:" + " ${DEFAULT-VALUE}; 0 picks a free port.")
    int port;

    @Option(
            names = "--encoder",
            paramLabel = "ID[,ID...]",
            split = ",",
            defaultValue = ModelFiles.DEFAULT_ENCODER,
            description = "The workers' encoders, one per language as the workers list them (word attributions"
                    + " come from each item's own encoder, live versions per encoder), e.g."
                    + " minilm-l6,bge-small-zh; default: ${DEFAULT-VALUE}.")
    List<String> encoders;

    @Option(
            names = "--heads",
            paramLabel = "FILE",
            description = "Heads to start on until model-versions has a live version, with one --encoder only"
                    + " (default: each encoder's trained default, e.g. models/v2/minilm-l6.json).")
    Path heads;

    @Option(names = "--no-model", description = "Load no encoder: no word attributions (saves its memory).")
    boolean noModel;

    @Option(
            names = "--policy-name",
            paramLabel = "NAME",
            defaultValue = PipelineSettings.DEFAULT_POLICY_KEY,
            description = "The policy the workers apply; default: ${DEFAULT-VALUE}.")
    String policyName;

    /** Where the console's PostgreSQL is: the database the sinks write. */
    static final class Database {
        @Option(
                names = "--jdbc-url",
                paramLabel = "URL",
                defaultValue = "${env:STREAMGUARD_JDBC_URL:-jdbc:postgresql://127.0.0.1:5432/streamguard}",
                description = "The sinks' database (env STREAMGUARD_JDBC_URL; default: ${DEFAULT-VALUE}).")
        String jdbcUrl;

        @Option(
                names = "--db-user",
                paramLabel = "USER",
                defaultValue = "${env:STREAMGUARD_DB_USER:-" + EmbeddedPostgres.USER + "}",
                description = "Env STREAMGUARD_DB_USER; default: ${DEFAULT-VALUE}.")
        String user;

        /** From the environment only: a password on the command line shows in the process list. */
        String password() {
            return Optional.ofNullable(System.getenv("STREAMGUARD_DB_PASSWORD")).orElse(EmbeddedPostgres.PASSWORD);
        }

        ConsoleDatabase open() {
            try {
                return ConsoleDatabase.open(jdbcUrl, user, password());
            } catch (RuntimeException e) {
                throw new LauncherException(
                        "cannot open the console's database " + jdbcUrl + ": " + Messages.oneLine(e.getMessage()), e);
            }
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be between 0 and 65535, was " + port);
        }
        if (new LinkedHashSet<>(encoders).size() != encoders.size()) {
            throw new ParameterException(spec.commandLine(), "--encoder names an encoder twice: " + encoders);
        }
        if (heads != null && encoders.size() > 1) {
            throw new ParameterException(spec.commandLine(), "--heads needs a single --encoder, got " + encoders);
        }
        List<Path> headsFiles = new ArrayList<>();
        for (String encoder : encoders) {
            Usage.knownEncoder(spec, "--encoder", encoder);
            headsFiles.add(ModelFiles.heads(spec, heads, encoder));
        }
        String registryUrl = registry.url();
        WorkerConfig config = modelConfig(bootstrap.bootstrap, registryUrl, headsFiles);
        List<ClassifierScorer> scorers = new ArrayList<>();
        ModelVersionFollower follower = null;
        ServingModel model;
        try {
            if (noModel) {
                model = ServingModel.headsOnly(
                        headsFiles.stream().map(HeadsFile::read).toList());
            } else {
                Map<String, HeadsSwapper> swappers = new LinkedHashMap<>();
                for (String encoder : encoders) {
                    ClassifierScorer scorer = ClassifierScorer.load(config.forEncoder(encoder));
                    scorers.add(scorer);
                    swappers.put(encoder, scorer);
                }
                follower = ModelVersionFollower.caughtUp(
                        config,
                        RegistryClient.create(RegistryConfig.fromMap(config.registryProperties())),
                        swappers,
                        new PipelineMetrics(new SimpleMeterRegistry()));
                follower.start();
                model = ServingModel.of(scorers);
            }
        } catch (RuntimeException e) {
            close(follower, scorers);
            throw e;
        }
        ConsoleService console;
        try {
            console = start(spec, settings(host, port, database, bootstrap.bootstrap, registryUrl, policyName), model);
        } catch (RuntimeException e) {
            close(follower, scorers);
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        ModelVersionFollower f = follower;
        List<ClassifierScorer> s = scorers;
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            console.close();
                            close(f, s);
                            stopped.countDown();
                        },
                        "streamguard-console-shutdown"));
        stopped.await();
        return 0;
    }

    /** Starts the console and prints its line (and a generated admin password, once). */
    static ConsoleService start(CommandSpec spec, ConsoleService.Settings settings, ServingModel model) {
        ConsoleService console = ConsoleService.start(
                settings, model, Optional.ofNullable(System.getenv(ConsoleDatabase.ADMIN_PASSWORD_ENV)));
        PrintWriter out = spec.commandLine().getOut();
        console.generatedAdminPassword()
                .ifPresent(p -> out.println("CONSOLE ADMIN user=" + ConsoleDatabase.ADMIN + " password=" + p
                        + " (generated and printed this once; set $" + ConsoleDatabase.ADMIN_PASSWORD_ENV
                        + " to choose it)"));
        out.println("CONSOLE " + console.url());
        out.flush();
        return console;
    }

    static ConsoleService.Settings settings(
            String host, int port, Database db, String bootstrap, String registryUrl, String policyKey) {
        return new ConsoleService.Settings(
                new ConsoleConfig(
                        host,
                        port,
                        ConsoleConfig.DEFAULT_CLAIM_TTL,
                        ConsoleConfig.DEFAULT_PAGE_SIZE,
                        ConsoleConfig.DEFAULT_SESSION_TTL),
                db.jdbcUrl,
                db.user,
                db.password(),
                bootstrap,
                registryUrl,
                policyKey);
    }

    private WorkerConfig modelConfig(String bootstrap, String registryUrl, List<Path> headsFiles) {
        Map<String, String> overrides = new TreeMap<>(ClientSecurity.current().properties());
        overrides.put("bootstrap.servers", bootstrap);
        overrides.put("schema.registry.url", registryUrl);
        overrides.put(WorkerConfig.MODEL_ENCODER, String.join(",", encoders));
        overrides.put(
                WorkerConfig.MODEL_HEADS,
                headsFiles.stream().map(Path::toString).collect(Collectors.joining(",")));
        overrides.put(WorkerConfig.WORKER_ID, "console");
        try {
            return WorkerConfig.load(Map.of(), null, Pipeline.workerEnvironment(System.getenv()), overrides);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), Messages.oneLine(e.getMessage()));
        }
    }

    private static void close(ModelVersionFollower follower, List<ClassifierScorer> scorers) {
        if (follower != null) {
            follower.close();
        }
        scorers.forEach(ClassifierScorer::close);
    }

    /** {@code console users add|list}: the console's accounts. */
    @Command(
            name = "users",
            mixinStandardHelpOptions = true,
            description = "Manage console accounts (stored in the console's PostgreSQL tables, passwords hashed).",
            subcommands = {UsersCommand.Add.class, UsersCommand.List.class})
    static final class UsersCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            throw new ParameterException(spec.commandLine(), "missing subcommand (add or list; see --help)");
        }

        @Command(
                name = "add",
                mixinStandardHelpOptions = true,
                description = {
                    "Add an account. The password comes from $STREAMGUARD_CONSOLE_PASSWORD, else a random one is"
                            + " printed once.",
                    "e.g. console users add alice --role moderator"
                })
        static final class Add implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Mixin
            Database database;

            @Parameters(paramLabel = "NAME", description = "The sign-in name.")
            String name;

            @Option(
                    names = "--role",
                    paramLabel = "ROLE",
                    defaultValue = "moderator",
                    description = "moderator or admin; default: ${DEFAULT-VALUE}.")
            String role;

            @Override
            public Integer call() {
                Role parsed;
                try {
                    parsed = Role.valueOf(role.strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(
                            spec.commandLine(), "--role must be moderator or admin, was '" + role + "'");
                }
                if (name.isBlank() || !name.matches("[\\p{L}\\p{N}._@-]{1,64}")) {
                    throw new ParameterException(
                            spec.commandLine(),
                            "NAME must be 1 to 64 letters, digits or ._@-," + " was '" + name + "'");
                }
                String env = System.getenv("STREAMGUARD_CONSOLE_PASSWORD");
                boolean generated = env == null || env.isBlank();
                String password = generated ? ConsoleDatabase.randomPassword() : env;
                try (ConsoleDatabase db = database.open()) {
                    db.users().add(name, password.toCharArray(), parsed);
                } catch (DuplicateUserException e) {
                    throw new ParameterException(spec.commandLine(), "user " + name + " already exists");
                }
                PrintWriter out = spec.commandLine().getOut();
                out.println("Added " + parsed.name().toLowerCase(Locale.ROOT) + " " + name
                        + (generated ? " with password " + password + " (printed this once)" : "") + ".");
                out.flush();
                return 0;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List accounts and their roles.")
        static final class List implements Callable<Integer> {
            @Spec
            CommandSpec spec;

            @Mixin
            Database database;

            @Override
            public Integer call() {
                PrintWriter out = spec.commandLine().getOut();
                try (ConsoleDatabase db = database.open()) {
                    db.users()
                            .list()
                            .forEach((name, role) ->
                                    out.printf("%-24s %s%n", name, role.name().toLowerCase(Locale.ROOT)));
                }
                out.flush();
                return 0;
            }
        }
    }
}
