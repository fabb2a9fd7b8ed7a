package io.streamguard.console.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/** Console accounts in console_users; only {@link PasswordHasher}'s encoding is stored, never a password. */
public final class Users {
    private static final String UNIQUE_VIOLATION = "23505";

    private final DataSource db;

    public Users(DataSource db) {
        this.db = db;
    }

    /** Adds a user; {@link DuplicateUserException} if the name is taken. */
    public void add(String name, char[] password, Role role) {
        if (name == null || name.isBlank()) {
            throw new ConsoleException("a user needs a name");
        }
        if (password.length == 0) {
            throw new ConsoleException("a user needs a password");
        }
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("INSERT INTO console_users (name, password_hash, role) VALUES (?, ?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, PasswordHasher.hash(password));
            ps.setString(3, role.sql());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new DuplicateUserException(name);
            }
            throw new ConsoleException("could not add user " + name + ": " + e.getMessage(), e);
        }
    }

    /** Every user's role, by name. */
    public Map<String, Role> list() {
        Map<String, Role> out = new TreeMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT name, role FROM console_users");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), Role.fromSql(rs.getString(2)));
            }
        } catch (SQLException e) {
            throw new ConsoleException("could not list users: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The user's role if {@code password} is theirs; empty for a wrong password or an unknown name, which
     * take the same time (one hash either way), so a login does not reveal which names exist.
     */
    public Optional<Role> verify(String name, char[] password) {
        try (Connection c = db.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT password_hash, role FROM console_users WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    PasswordHasher.burn(password);
                    return Optional.empty();
                }
                return PasswordHasher.verify(password, rs.getString(1))
                        ? Optional.of(Role.fromSql(rs.getString(2)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new ConsoleException("could not verify user " + name + ": " + e.getMessage(), e);
        }
    }
}
