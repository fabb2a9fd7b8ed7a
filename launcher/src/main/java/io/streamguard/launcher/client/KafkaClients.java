package io.streamguard.launcher.client;

import io.streamguard.launcher.cli.LauncherException;
import io.streamguard.launcher.cli.Messages;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Client configuration shared by the CLI commands: fail in seconds, not minutes, when the broker is
 * down.
 */
public final class KafkaClients {
    public static final int API_TIMEOUT_MS = 15_000;

    /** How long the first contact may take before the broker counts as unreachable. */
    public static final int CONNECT_TIMEOUT_MS = 10_000;

    private KafkaClients() {}

    /** Also carries the process's {@link ClientSecurity#current() credentials}. */
    public static Map<String, Object> common(String bootstrap, String clientId) {
        Map<String, Object> conf = new HashMap<>();
        conf.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        conf.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        conf.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        conf.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, API_TIMEOUT_MS);
        conf.putAll(ClientSecurity.current().kafka());
        return conf;
    }

    /**
     * An admin client that has already reached the cluster once, so an unreachable broker surfaces
     * here as one clear message rather than as a timeout in whatever call comes first.
     */
    public static Admin admin(String bootstrap) {
        Map<String, Object> conf = common(bootstrap, "streamguard-cli-admin");
        conf.put(AdminClientConfig.RETRIES_CONFIG, 3);
        Admin admin = Admin.create(conf);
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(CONNECT_TIMEOUT_MS))
                    .clusterId()
                    .get(CONNECT_TIMEOUT_MS + 1_000L, TimeUnit.MILLISECONDS);
            return admin;
        } catch (ExecutionException | TimeoutException e) {
            admin.close(Duration.ZERO);
            throw unreachable(bootstrap, e);
        } catch (InterruptedException e) {
            admin.close(Duration.ZERO);
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        }
    }

    /**
     * The topic's description; a missing topic or an unreachable broker is a one-line {@link
     * LauncherException}.
     */
    public static TopicDescription requireTopic(Admin admin, String bootstrap, String topic) {
        try {
            return admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(API_TIMEOUT_MS + 1_000L, TimeUnit.MILLISECONDS)
                    .get(topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new LauncherException("topic '"
                        + topic
                        + "' does not exist on "
                        + bootstrap
                        + " (`streamguard topics create` creates the standard set)");
            }
            throw unreachable(bootstrap, e);
        } catch (TimeoutException e) {
            throw unreachable(bootstrap, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LauncherException("interrupted");
        }
    }

    public static LauncherException unreachable(String bootstrap, Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof org.apache.kafka.common.errors.TimeoutException || cause instanceof TimeoutException) {
            return new LauncherException(
                    "cannot reach Kafka at "
                            + bootstrap
                            + " (is `streamguard up` running? --bootstrap / STREAMGUARD_BOOTSTRAP select another broker)",
                    e);
        }
        return new LauncherException("Kafka request to " + bootstrap + " failed: " + Messages.rootMessage(e), e);
    }
}
