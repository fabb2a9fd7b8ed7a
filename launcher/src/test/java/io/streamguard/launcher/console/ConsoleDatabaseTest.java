package io.streamguard.launcher.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.console.store.Role;
import io.streamguard.launcher.stack.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's tables and first admin on a real PostgreSQL. */
class ConsoleDatabaseTest {
    @TempDir
    static Path dir;

    static EmbeddedPostgres pg;

    @BeforeAll
    static void start() {
        pg = EmbeddedPostgres.builder().port(0).dataDir(dir.resolve("pg")).start();
    }

    @AfterAll
    static void stop() {
        pg.close();
    }

    @Test
    void theFirstAdminTakesTheGivenPasswordOrAGeneratedOneOnceAndOnlyOnce() {
        try (ConsoleDatabase db =
                ConsoleDatabase.open(pg.jdbcUrl(), EmbeddedPostgres.USER, EmbeddedPostgres.PASSWORD)) {
            Optional<String> generated = db.ensureAdmin(Optional.empty());

            assertThat(generated).get().asString().hasSize(24);
            assertThat(db.users().verify(ConsoleDatabase.ADMIN, generated.get().toCharArray()))
                    .contains(Role.ADMIN);
            // A restart finds the account: nothing generated, printed or changed.
            assertThat(db.ensureAdmin(Optional.of("other"))).isEmpty();
            assertThat(db.users().verify(ConsoleDatabase.ADMIN, "other".toCharArray()))
                    .isEmpty();
        }
        // Tables survive a reopen (install is idempotent); a fresh database takes the environment's password.
        try (ConsoleDatabase db =
                ConsoleDatabase.open(pg.jdbcUrl(), EmbeddedPostgres.USER, EmbeddedPostgres.PASSWORD)) {
            assertThat(db.users().list()).containsEntry(ConsoleDatabase.ADMIN, Role.ADMIN);
            db.users().add("carol", "pw-carol".toCharArray(), Role.MODERATOR);
            assertThat(db.users().list()).containsEntry("carol", Role.MODERATOR).hasSize(2);
        }
    }

    @Test
    void generatedPasswordsDiffer() {
        assertThat(ConsoleDatabase.randomPassword()).isNotEqualTo(ConsoleDatabase.randomPassword());
    }
}
