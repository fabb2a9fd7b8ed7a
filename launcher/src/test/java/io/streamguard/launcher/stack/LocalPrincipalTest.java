package io.streamguard.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.schemas.Topics;
import io.streamguard.topology.Role;
import java.util.List;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

/** The ACLs name the resources each role really uses (a wrong prefix only shows when the role is refused). */
class LocalPrincipalTest {

    @Test
    void connectOwnsItsInternalTopicsAndGroup() {
        for (String topic : List.of(
                EmbeddedConnect.CONFIG_TOPIC,
                EmbeddedConnect.OFFSET_TOPIC,
                EmbeddedConnect.STATUS_TOPIC,
                "connect-sink-dlq")) {
            assertThat(allows(LocalPrincipal.CONNECT, ResourceType.TOPIC, topic, AclOperation.CREATE))
                    .as(topic)
                    .isTrue();
        }
        assertThat(allows(LocalPrincipal.CONNECT, ResourceType.GROUP, EmbeddedConnect.GROUP_ID, AclOperation.READ))
                .isTrue();
        assertThat(allows(
                        LocalPrincipal.CONNECT,
                        ResourceType.GROUP,
                        "connect-moderation-events-sink",
                        AclOperation.READ))
                .isTrue();
    }

    @Test
    void everyWorkerRoleHasItsGroupTransactionalIdsAndInternalTopics() {
        for (Role role : Role.values()) {
            String app = role.defaultApplicationId();
            assertThat(allows(LocalPrincipal.WORKER, ResourceType.GROUP, app, AclOperation.READ))
                    .as(app)
                    .isTrue();
            assertThat(allows(LocalPrincipal.WORKER, ResourceType.TRANSACTIONAL_ID, app + "-0_1", AclOperation.WRITE))
                    .isTrue();
            assertThat(allows(LocalPrincipal.WORKER, ResourceType.TOPIC, app + "-x-changelog", AclOperation.CREATE))
                    .isTrue();
        }
        assertThat(allows(LocalPrincipal.WORKER, ResourceType.TOPIC, Topics.TEXT_LABELED, AclOperation.WRITE))
                .isTrue();
    }

    @Test
    void theRetrainerMayEnsureItsVersionsTopic() {
        for (AclOperation op : List.of(AclOperation.CREATE, AclOperation.ALTER_CONFIGS, AclOperation.WRITE)) {
            assertThat(allows(LocalPrincipal.RETRAINER, ResourceType.TOPIC, Topics.MODEL_VERSIONS, op))
                    .as(op.toString())
                    .isTrue();
        }
    }

    @Test
    void onlyTheWorkerMayWriteVerdicts() {
        for (LocalPrincipal principal : LocalPrincipal.values()) {
            boolean writes = allows(principal, ResourceType.TOPIC, Topics.TEXT_LABELED, AclOperation.WRITE);
            assertThat(writes).as(principal.user()).isEqualTo(principal == LocalPrincipal.WORKER);
        }
        assertThat(LocalPrincipal.ADMIN.acls()).as("a super user needs none").isEmpty();
    }

    /** Whether an ALLOW binding of the principal covers the resource (ALL implies every operation). */
    private static boolean allows(LocalPrincipal principal, ResourceType type, String name, AclOperation operation) {
        for (AclBinding b : principal.acls()) {
            boolean resource = b.pattern().resourceType() == type
                    && (b.pattern().patternType() == PatternType.LITERAL
                            ? b.pattern().name().equals(name)
                            : name.startsWith(b.pattern().name()));
            AclOperation op = b.entry().operation();
            if (resource && (op == operation || op == AclOperation.ALL)) {
                return true;
            }
        }
        return false;
    }
}
