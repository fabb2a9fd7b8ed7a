package io.streamguard.launcher.console;

import io.streamguard.console.web.ConsoleConfig;
import io.streamguard.console.web.ConsoleServer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running moderator console wired to the real system: its tables in the sinks' PostgreSQL, verdicts
 * to {@code moderation-feedback}, thresholds from {@code moderation-policy} and the serving model (admins
 * change them there), the
 * live version and word attributions from that model. What {@code streamguard console} and {@code up}
 * start.
 */
public final class ConsoleService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleService.class);

    /**
     * Where the console serves and what it talks to.
     *
     * @param policyKey the policy name the workers apply (their {@code streamguard.policy.key})
     */
    public record Settings(
            ConsoleConfig server,
            String jdbcUrl,
            String dbUser,
            String dbPassword,
            String bootstrap,
            String registryUrl,
            String policyKey) {}

    private final List<AutoCloseable> parts;
    private final ConsoleServer server;
    private final Optional<String> generatedAdminPassword;

    private ConsoleService(List<AutoCloseable> parts, ConsoleServer server, Optional<String> generated) {
        this.parts = parts;
        this.server = server;
        this.generatedAdminPassword = generated;
    }

    /**
     * Starts the console; {@code model} is not closed by it.
     *
     * @param adminPassword the first admin's password, if the environment gives one
     */
    public static ConsoleService start(Settings settings, ServingModel model, Optional<String> adminPassword) {
        List<AutoCloseable> parts = new ArrayList<>();
        try {
            ConsoleDatabase db =
                    add(parts, ConsoleDatabase.open(settings.jdbcUrl(), settings.dbUser(), settings.dbPassword()));
            Optional<String> generated = db.ensureAdmin(adminPassword);
            PolicyFollower policy =
                    add(parts, new PolicyFollower(settings.bootstrap(), settings.registryUrl(), settings.policyKey()));
            FeedbackVerdicts verdicts = add(parts, new FeedbackVerdicts(settings.bootstrap(), settings.registryUrl()));
            ConsoleServer server = add(
                    parts,
                    ConsoleServer.builder(settings.server(), db.dataSource())
                            .thresholds(new LiveThresholds(policy::current, model))
                            .verdicts(verdicts)
                            .explainer(model)
                            .policy(new TopicPolicyEditor(
                                    settings.bootstrap(), settings.registryUrl(), settings.policyKey()))
                            .liveModel(model)
                            .build()
                            .start());
            return new ConsoleService(parts, server, generated);
        } catch (RuntimeException e) {
            closeAll(parts);
            throw e;
        }
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> parts, T part) {
        parts.add(part);
        return part;
    }

    public String url() {
        return server.url();
    }

    /** The first admin's password if this start generated it: print it once, it is stored only hashed. */
    public Optional<String> generatedAdminPassword() {
        return generatedAdminPassword;
    }

    @Override
    public void close() {
        closeAll(parts);
    }

    /** Closes in reverse start order: the server first, so no request finds its producer closed. */
    private static void closeAll(List<AutoCloseable> parts) {
        List<AutoCloseable> reversed = new ArrayList<>(parts);
        Collections.reverse(reversed);
        for (AutoCloseable part : reversed) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Closing {} failed", part, e);
            }
        }
    }
}
