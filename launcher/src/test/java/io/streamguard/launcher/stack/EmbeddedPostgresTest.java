package io.streamguard.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.launcher.cli.LauncherException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo application's PostgreSQL: a real server (zonky's PostgreSQL 17 binaries) on a temp dir. */
class EmbeddedPostgresTest {
    @TempDir
    Path dataDir;

    @Test
    void theJdbcUrlNamesTheLoopbackPortDatabaseAndRole() {
        assertThat(EmbeddedPostgres.jdbcUrl(25432))
                .isEqualTo("jdbc:postgresql://127.0.0.1:25432/streamguard?user=streamguard&password=streamguard");
        assertThatThrownBy(() -> EmbeddedPostgres.jdbcUrl(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedStartIsOneLineWithTheServersLastFatalLine() throws Exception {
        Path log = dataDir.resolve("postgres.log");
        Files.write(
                log,
                List.of(
                        "2026-12-06 22:00:00.000 UTC [1] LOG:  starting PostgreSQL 17.6",
                        "2026-12-06 22:00:00.001 UTC [1] FATAL:  could not create lock file \"postmaster.pid\"",
                        "pg_ctl: could not start server"));

        assertThat(EmbeddedPostgres.failure(new IllegalStateException("Process [pg_ctl, start] failed"), 5432, log))
                .isEqualTo("PostgreSQL could not start on 127.0.0.1:5432: FATAL:  could not create lock file"
                        + " \"postmaster.pid\" (see " + log + ")");
        assertThat(EmbeddedPostgres.failure(
                        new IllegalStateException("No Postgres binary found\nfor Linux"),
                        5432,
                        dataDir.resolve("absent.log")))
                .isEqualTo("PostgreSQL could not start on 127.0.0.1:5432: No Postgres binary found (see "
                        + dataDir.resolve("absent.log") + ")");
    }

    @Test
    void aTakenPortIsRefusedBeforeAnythingStarts() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> EmbeddedPostgres.builder()
                            .dataDir(dataDir)
                            .port(port)
                            .launch())
                    .isInstanceOf(LauncherException.class)
                    .hasMessageStartingWith("PostgreSQL port 127.0.0.1:" + port + " is already in use")
                    .hasMessageNotContaining("\n");
        }
        assertThat(dataDir.resolve("postgres")).doesNotExist();
    }

    @Test
    void aLogicalDecodingServerWithTheDemoSchemaKeepsItsRowsAcrossRestarts() throws Exception {
        long id;
        String url;
        try (EmbeddedPostgres pg =
                EmbeddedPostgres.builder().dataDir(dataDir).port(0).start()) {
            url = pg.jdbcUrl();
            assertThat(pg.dataDir()).isEqualTo(dataDir.toAbsolutePath().resolve("postgres"));
            try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
                    Statement s = c.createStatement()) {
                assertThat(single(s, "SELECT current_setting('wal_level')")).isEqualTo("logical");
                assertThat(single(s, "SELECT current_setting('max_replication_slots')"))
                        .isEqualTo("10");
                assertThat(single(
                                s, "SELECT rolcanlogin AND rolreplication FROM pg_roles WHERE rolname = current_user"))
                        .isEqualTo("t");
                assertThat(single(
                                s,
                                "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))
                        .isEqualTo("streamguard");
                assertThat(single(
                                s,
                                "SELECT pg_get_userbyid(relowner) || ' ' || relreplident::text FROM pg_class"
                                        + " WHERE oid = 'public.comments'::regclass"))
                        .isEqualTo("streamguard d");
                id = Long.parseLong(
                        single(s, "INSERT INTO comments (body, author) VALUES ('first!', 'ann') RETURNING id"));
                // What a CDC connector does: a pgoutput slot on the demo database, as the demo role.
                assertThat(single(s, "SELECT slot_name FROM pg_create_logical_replication_slot('sg_test', 'pgoutput')"))
                        .isEqualTo("sg_test");
                s.execute("SELECT pg_drop_replication_slot('sg_test')");
            }
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url))
                .as("closed means stopped")
                .isInstanceOf(SQLException.class);

        try (EmbeddedPostgres again =
                        EmbeddedPostgres.builder().dataDir(dataDir).port(0).start();
                Connection c = DriverManager.getConnection(again.jdbcUrl());
                Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT body || ' by ' || author FROM comments WHERE id = " + id))
                    .isEqualTo("first! by ann");
            assertThat(single(s, "SELECT count(*) FROM pg_roles WHERE rolname = 'streamguard'"))
                    .isEqualTo("1");
        }
    }

    @Test
    void aServerLeftRunningByAKilledLauncherIsStoppedBeforeTheNextStart() throws Exception {
        // What launch() does first; another JVM's server cannot be staged in this one (zonky's
        // in-process file lock), so the orphan is this JVM's server, stopped behind zonky's back.
        String url;
        try (EmbeddedPostgres orphan =
                EmbeddedPostgres.builder().dataDir(dataDir).port(0).start()) {
            url = orphan.jdbcUrl();
            ProcessHandle postmaster =
                    EmbeddedPostgres.Builder.postmaster(orphan.dataDir()).orElseThrow();
            assertThat(postmaster.info().command()).get().asString().endsWith("/bin/postgres");

            EmbeddedPostgres.Builder.stopOrphan(orphan.dataDir());

            assertThat(postmaster.isAlive()).isFalse();
            assertThat(EmbeddedPostgres.Builder.postmaster(orphan.dataDir())).isEmpty();
            assertThatThrownBy(() -> DriverManager.getConnection(url)).isInstanceOf(SQLException.class);
        }
        EmbeddedPostgres.Builder.stopOrphan(dataDir.resolve("postgres")); // nothing runs: a no-op
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            String value = rs.getString(1);
            assertThat(rs.next()).as(sql).isFalse();
            return value;
        }
    }
}
