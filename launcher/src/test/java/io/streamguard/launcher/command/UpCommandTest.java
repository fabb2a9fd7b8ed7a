package io.streamguard.launcher.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamguard.launcher.stack.DataDirLock;
import io.streamguard.launcher.stack.EmbeddedPostgres;
import io.streamguard.launcher.stack.EmbeddedStack;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack {@code up} starts by default: PostgreSQL beside the broker, named on the READY line. */
class UpCommandTest {
    @TempDir
    Path dataDir;

    @Test
    void withPostgresTheReadyLineNamesItsJdbcUrlAndClosingTheStackStopsIt() throws Exception {
        String url;
        try (EmbeddedStack stack = EmbeddedStack.builder()
                .dataDir(dataDir)
                .ephemeralPorts()
                .withoutRegistry()
                .withPostgres()
                .start()) {
            EmbeddedPostgres pg = stack.postgres().orElseThrow();
            url = pg.jdbcUrl();
            assertThat(UpCommand.readyLine(stack, Optional.empty()))
                    .isEqualTo("READY bootstrap=" + stack.bootstrapServers() + " registry=none postgres=" + url);
            assertThat(pg.dataDir()).isEqualTo(stack.dataDir().resolve("postgres"));
            try (Connection c = DriverManager.getConnection(url);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM comments")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url)).isInstanceOf(SQLException.class);
        DataDirLock.acquire(dataDir).close();
    }

    @Test
    void withoutPostgresTheReadyLineHasNoPostgresField() {
        try (EmbeddedStack stack = EmbeddedStack.builder()
                .dataDir(dataDir)
                .ephemeralPorts()
                .withoutRegistry()
                .start()) {
            assertThat(stack.postgres()).isEmpty();
            assertThat(UpCommand.readyLine(stack, Optional.empty()))
                    .isEqualTo("READY bootstrap=" + stack.bootstrapServers() + " registry=none");
        }
    }
}
