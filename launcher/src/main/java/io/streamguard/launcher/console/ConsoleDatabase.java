package io.streamguard.launcher.console;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.streamguard.console.store.ConsoleSchema;
import io.streamguard.console.store.DuplicateUserException;
import io.streamguard.console.store.Role;
import io.streamguard.console.store.Users;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The console's PostgreSQL: a small connection pool on the database the sinks write, with the console's
 * own tables installed, and the first admin account.
 */
public final class ConsoleDatabase implements AutoCloseable {
    /** The first admin's name. */
    public static final String ADMIN = "admin";
    /** Where the first admin's password comes from; a random one is printed once without it. */
    public static final String ADMIN_PASSWORD_ENV = "STREAMGUARD_CONSOLE_ADMIN_PASSWORD";

    private final HikariDataSource pool;

    private ConsoleDatabase(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Connects and installs the console's tables (idempotent). */
    public static ConsoleDatabase open(String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("streamguard-console");
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        // Fail at start, with the database's own message, rather than on the first page.
        config.setInitializationFailTimeout(2_000);
        HikariDataSource pool = new HikariDataSource(config);
        try {
            new ConsoleSchema(pool).install();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new ConsoleDatabase(pool);
    }

    public javax.sql.DataSource dataSource() {
        return pool;
    }

    public Users users() {
        return new Users(pool);
    }

    /**
     * Creates {@value #ADMIN} unless it exists, with {@code envPassword} or else a random password, which
     * is returned so it can be printed once (it is stored only hashed).
     *
     * @return the generated password; empty if the account existed or the environment gave one
     */
    public Optional<String> ensureAdmin(Optional<String> envPassword) {
        Users users = users();
        if (users.list().containsKey(ADMIN)) {
            return Optional.empty();
        }
        String password = envPassword.filter(p -> !p.isBlank()).orElseGet(ConsoleDatabase::randomPassword);
        try {
            users.add(ADMIN, password.toCharArray(), Role.ADMIN);
        } catch (DuplicateUserException e) {
            return Optional.empty(); // another console created it meanwhile
        }
        return envPassword.filter(p -> !p.isBlank()).isPresent() ? Optional.empty() : Optional.of(password);
    }

    /** 18 random bytes, URL-safe: 24 characters, 144 bits. */
    public static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public void close() {
        pool.close();
    }
}
