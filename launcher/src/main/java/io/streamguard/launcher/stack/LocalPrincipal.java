package io.streamguard.launcher.stack;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.apache.kafka.common.resource.ResourceType.TRANSACTIONAL_ID;

import io.streamguard.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The SCRAM users of a secured local stack, one per role, each with the least ACLs its role needs, so a
 * leaked client file exposes one role, not the cluster. {@link #ADMIN} is the only super user.
 *
 * <p>Group, transactional id and internal-topic ACLs are by prefix: Kafka Streams names its consumer group,
 * transactional ids ({@code <application.id>-<process>-<n>}) and repartition/changelog topics after its
 * {@code application.id}, and every role's default id starts with its prefix.
 */
public enum LocalPrincipal {
    /** Super user: topic creation, SCRAM and ACL changes, the broker's own inter-broker connections. */
    ADMIN,
    /** The labeling worker (every role); application ids {@code streamguard*}. */
    WORKER,
    /** The CLI: produces texts, feedback, policy and model versions; reads what the pipeline writes. */
    CLI,
    /** The retraining sidecar: reads feedback and labeled events, publishes model versions. */
    RETRAINER,
    /** The Kafka Connect worker and its connectors. */
    CONNECT,
    /** The moderator console: reads review and policy, writes verdicts and policy. */
    CONSOLE;

    /** Prefix of the worker's application ids (groups, transactional ids, internal topics). */
    public static final String WORKER_PREFIX = "streamguard";

    public String user() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code User:<name>}, as the authorizer sees a SCRAM-authenticated client. */
    public String kafkaPrincipal() {
        return "User:" + user();
    }

    /** The ALLOW bindings this principal gets; none for {@link #ADMIN}, which is a super user. */
    public List<AclBinding> acls() {
        Acls acls = new Acls(kafkaPrincipal());
        switch (this) {
            case ADMIN -> {}
            case WORKER ->
                acls.topic(Topics.TEXT_EVENTS, READ, DESCRIBE)
                        .topic(Topics.TEXT_TOKENIZED, READ, WRITE, DESCRIBE)
                        .topic(Topics.TEXT_LABELED, WRITE, DESCRIBE)
                        .topic(Topics.MODERATION_REVIEW, WRITE, DESCRIBE)
                        .topic(Topics.MODERATION_BLOCKED, WRITE, DESCRIBE)
                        .topic(Topics.TEXT_EVENTS_DLQ, WRITE, DESCRIBE)
                        .topic(Topics.MODEL_VERSIONS, READ, DESCRIBE)
                        .topic(Topics.MODERATION_POLICY, READ, DESCRIBE)
                        .add(TOPIC, WORKER_PREFIX, PREFIXED, ALL)
                        .add(GROUP, WORKER_PREFIX, PREFIXED, READ, DESCRIBE)
                        .add(TRANSACTIONAL_ID, WORKER_PREFIX, PREFIXED, WRITE, DESCRIBE);
            case CLI ->
                acls.topic(Topics.TEXT_EVENTS, READ, WRITE, DESCRIBE)
                        .topic(Topics.MODERATION_FEEDBACK, READ, WRITE, DESCRIBE)
                        .topic(Topics.MODERATION_POLICY, READ, WRITE, DESCRIBE)
                        .topic(Topics.MODEL_VERSIONS, READ, WRITE, DESCRIBE)
                        .topic(Topics.TEXT_TOKENIZED, READ, DESCRIBE)
                        .topic(Topics.TEXT_LABELED, READ, DESCRIBE)
                        .topic(Topics.MODERATION_REVIEW, READ, DESCRIBE)
                        .topic(Topics.MODERATION_BLOCKED, READ, DESCRIBE)
                        .topic(Topics.TEXT_EVENTS_DLQ, READ, DESCRIBE)
                        .add(GROUP, "streamguard-cli", PREFIXED, READ, DESCRIBE);
            case RETRAINER ->
                acls.topic(Topics.MODERATION_FEEDBACK, READ, DESCRIBE)
                        .topic(Topics.TEXT_LABELED, READ, DESCRIBE)
                        // it creates its versions topic if missing, or raises the max.message.bytes of one made
                        // before that setting existed (a create is authorized before the topic's existence is
                        // checked, so CREATE is needed even when the topic exists)
                        .topic(Topics.MODEL_VERSIONS, READ, WRITE, DESCRIBE, CREATE, DESCRIBE_CONFIGS, ALTER_CONFIGS);
            case CONNECT ->
                acls.add(GROUP, EmbeddedConnect.GROUP_ID, LITERAL, READ, DESCRIBE)
                        // sink connectors' groups are connect-<connector name>
                        .add(GROUP, "connect-", PREFIXED, READ, DESCRIBE)
                        // the worker's configs, offsets and status topics
                        .add(TOPIC, "connect-", PREFIXED, ALL)
                        .topic(Topics.TEXT_EVENTS, WRITE, DESCRIBE)
                        .topic(Topics.TEXT_LABELED, READ, DESCRIBE)
                        .topic(Topics.MODERATION_REVIEW, READ, DESCRIBE)
                        .topic(Topics.MODERATION_BLOCKED, READ, DESCRIBE)
                        .topic(Topics.MODERATION_FEEDBACK, READ, DESCRIBE);
            case CONSOLE ->
                acls.topic(Topics.MODERATION_REVIEW, READ, DESCRIBE)
                        .topic(Topics.MODERATION_FEEDBACK, WRITE, DESCRIBE)
                        .topic(Topics.MODERATION_POLICY, READ, WRITE, DESCRIBE)
                        .topic(Topics.MODEL_VERSIONS, READ, DESCRIBE)
                        .add(GROUP, "streamguard-console", PREFIXED, READ, DESCRIBE);
        }
        return acls.bindings;
    }

    /** Collects ALLOW bindings for one principal from any host. */
    private static final class Acls {
        private final String principal;
        private final List<AclBinding> bindings = new ArrayList<>();

        Acls(String principal) {
            this.principal = principal;
        }

        Acls topic(String name, AclOperation... operations) {
            return add(TOPIC, name, LITERAL, operations);
        }

        Acls add(ResourceType type, String name, PatternType pattern, AclOperation... operations) {
            for (AclOperation operation : operations) {
                bindings.add(new AclBinding(
                        new ResourcePattern(type, name, pattern),
                        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
            }
            return this;
        }
    }
}
