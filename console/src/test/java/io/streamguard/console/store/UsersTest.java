package io.streamguard.console.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UsersTest {
    static TestDatabase pg;
    Users users;

    @BeforeAll
    static void startPostgres() throws Exception {
        pg = TestDatabase.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        pg.close();
    }

    @BeforeEach
    void resetTables() throws Exception {
        pg.reset(false);
        users = new Users(pg.db);
    }

    @Test
    void aUserVerifiesWithTheirPasswordOnly() {
        users.add("alice", "correct horse".toCharArray(), Role.ADMIN);
        users.add("bob", "battery staple".toCharArray(), Role.MODERATOR);

        assertThat(users.verify("alice", "correct horse".toCharArray())).contains(Role.ADMIN);
        assertThat(users.verify("bob", "battery staple".toCharArray())).contains(Role.MODERATOR);
        assertThat(users.verify("alice", "correct horsE".toCharArray())).isEmpty();
        assertThat(users.verify("alice", "battery staple".toCharArray())).isEmpty();
        assertThat(users.verify("carol", "correct horse".toCharArray())).isEmpty();
    }

    @Test
    void theStoredHashIsASaltedPbkdf2EncodingNotThePassword() throws Exception {
        users.add("alice", "correct horse".toCharArray(), Role.MODERATOR);
        users.add("bob", "correct horse".toCharArray(), Role.MODERATOR);

        String alice = storedHash("alice");
        String bob = storedHash("bob");
        assertThat(alice).doesNotContain("correct horse").startsWith("pbkdf2-sha256$210000$");
        assertThat(alice.split("\\$")).hasSize(4);
        assertThat(bob).isNotEqualTo(alice); // a salt per password
        assertThat(PasswordHasher.verify("correct horse".toCharArray(), alice)).isTrue();
    }

    @Test
    void aTakenNameIsRefused() {
        users.add("alice", "pw-one".toCharArray(), Role.MODERATOR);
        assertThatThrownBy(() -> users.add("alice", "pw-two".toCharArray(), Role.ADMIN))
                .isInstanceOf(DuplicateUserException.class);
        assertThat(users.verify("alice", "pw-one".toCharArray())).contains(Role.MODERATOR);
    }

    @Test
    void aMalformedOrForeignEncodingNeverVerifies() {
        assertThat(PasswordHasher.verify("x".toCharArray(), "x")).isFalse();
        assertThat(PasswordHasher.verify("x".toCharArray(), "bcrypt$10$abc$def"))
                .isFalse();
        assertThat(PasswordHasher.verify("x".toCharArray(), "pbkdf2-sha256$notanumber$abc$def"))
                .isFalse();
        assertThat(PasswordHasher.verify("x".toCharArray(), "pbkdf2-sha256$1000$!!!$def"))
                .isFalse();
        String cheap = "pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA$AAAA";
        assertThat(PasswordHasher.verify("x".toCharArray(), cheap)).isFalse();
    }

    @Test
    void theAuditKeepsAnEventsHistoryInOrderAndRefusesDetailThatIsNotJson() {
        Audit audit = new Audit(pg.db);
        long first = audit.append("alice", "claim", "e1", "{\"ttl_s\": 600}");
        long second = audit.append("alice", "verdict", "e1", "{\"offensive\": true}");
        audit.append("admin", "user.add", null, "{\"name\": \"bob\"}");

        assertThat(audit.forEvent("e1"))
                .extracting(Audit.Entry::id, Audit.Entry::action, Audit.Entry::detail)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(first, "claim", "{\"ttl_s\": 600}"),
                        org.assertj.core.groups.Tuple.tuple(second, "verdict", "{\"offensive\": true}"));
        assertThatThrownBy(() -> audit.append("alice", "note", "e1", "not json"))
                .isInstanceOf(ConsoleException.class);
    }

    private String storedHash(String name) throws Exception {
        try (Connection c = pg.db.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT password_hash FROM console_users WHERE name = '" + name + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
