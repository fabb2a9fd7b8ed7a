package io.streamguard.versions;

import io.streamguard.avro.LabelThresholds;
import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.VersionStatus;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.Thresholds;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code ModelVersion} records of the compacted {@code model-versions} topic: converting a
 * {@link HeadsModel} to and from one, and which record is live.
 *
 * <p>The topic is keyed by version. The live version of an encoder is its {@code PROMOTED} record
 * with the latest {@code publishedAt}: versions sit on different partitions, so offsets cannot order
 * them, and republishing an old version under its own key (a rollback) makes it live again. Reading and
 * writing the topic is {@link ModelVersionsTopic}'s job.
 */
public final class ModelVersions {

    /** Lineage key: who published the record ({@code retrainer user@host}, or the user of a rollback). */
    public static final String PUBLISHED_BY = "published.by";
    /** Lineage key: why the retrainer trained the version (which trigger fired, with the verdict count). */
    public static final String TRIGGER = "trigger";
    /** Lineage keys of a rollback record: the version it displaced, when, and who rolled back. */
    public static final String ROLLBACK_FROM = "rollback.from";

    public static final String ROLLBACK_AT = "rollback.at";
    public static final String ROLLBACK_BY = "rollback.by";
    /**
     * Lineage keys a rollback keeps of the record it replaces under the same key: when the version was first
     * published and the gate's reason, so compaction does not erase its promotion from the history.
     */
    public static final String FIRST_PUBLISHED_AT = "first.publishedAt";

    public static final String FIRST_REASON = "first.reason";

    private ModelVersions() {}

    /** {@code user@host} of this process, for the history's "by" column. */
    public static String whoAmI() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException | SecurityException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "unknown-host");
        }
        return System.getProperty("user.name", "unknown") + "@" + host;
    }

    /**
     * {@code target} republished as the newest record at {@code at}, which makes it live again: its lineage says
     * which version it displaced, when and by whom, and keeps when it was first published and why.
     */
    public static ModelVersion rollback(ModelVersion target, String from, String by, Instant at) {
        Map<String, String> lineage = new LinkedHashMap<>(target.getLineage());
        lineage.putIfAbsent(FIRST_PUBLISHED_AT, publishedAt(target).toString());
        if (target.getReason() != null) {
            lineage.putIfAbsent(FIRST_REASON, target.getReason());
        }
        lineage.put(ROLLBACK_FROM, from);
        lineage.put(ROLLBACK_AT, at.toString());
        lineage.put(ROLLBACK_BY, by);
        return ModelVersion.newBuilder(target)
                .setLineage(lineage)
                .setPublishedAt(at)
                .setReason("rollback from " + from + " by " + by)
                .build();
    }

    /**
     * When a new record is published: {@code now}, or 1 ms after the latest record in {@code all} if that is
     * later, so the new record sorts last (and wins {@link #live}) even against a clock that ran ahead.
     */
    public static Instant nextPublishTime(Collection<ModelVersion> all, Instant now) {
        Instant at = now;
        for (ModelVersion v : all) {
            Instant after = publishedAt(v).plusMillis(1);
            if (after.isAfter(at)) {
                at = after;
            }
        }
        return at;
    }

    /**
     * A record carrying {@code heads} (as {@link HeadsFile} JSON), its thresholds and flattened metrics
     * ({@code <task>.<metric>}).
     */
    public static ModelVersion toAvro(
            HeadsModel heads, VersionStatus status, String reason, Map<String, String> lineage, Instant publishedAt) {
        Map<String, LabelThresholds> thresholds = new TreeMap<>();
        heads.thresholds().forEach((label, t) -> thresholds.put(label, new LabelThresholds(t.review(), t.block())));
        Map<String, Double> metrics = new TreeMap<>();
        heads.metrics()
                .forEach((task, values) -> values.forEach((metric, value) -> metrics.put(task + "." + metric, value)));
        Instant created;
        try {
            created = Instant.parse(heads.provenance().createdAt());
        } catch (RuntimeException e) {
            created = publishedAt;
        }
        return ModelVersion.newBuilder()
                .setVersion(heads.version())
                .setEncoderName(heads.encoderId())
                .setCreatedAt(created)
                .setParentVersion(heads.provenance().parentVersion())
                .setLabels(new ArrayList<>(heads.moderationLabels()))
                .setThresholds(new LinkedHashMap<>(thresholds))
                .setHeads(ByteBuffer.wrap(HeadsFile.toJson(heads).getBytes(StandardCharsets.UTF_8)))
                .setMetrics(new LinkedHashMap<>(metrics))
                .setLineage(new LinkedHashMap<>(new TreeMap<>(lineage)))
                .setStatus(status)
                .setReason(reason)
                .setPublishedAt(publishedAt)
                .build();
    }

    /**
     * The heads a record carries.
     *
     * @throws io.streamguard.model.heads.HeadsFileException if the bytes are not a heads file
     */
    public static HeadsModel heads(ModelVersion version) {
        ByteBuffer bytes = version.getHeads().duplicate();
        byte[] array = new byte[bytes.remaining()];
        bytes.get(array);
        return HeadsFile.fromJson(new String(array, StandardCharsets.UTF_8));
    }

    /** When the record was published: {@code publishedAt}, else (older records) {@code createdAt}. */
    public static Instant publishedAt(ModelVersion version) {
        return version.getPublishedAt() != null ? version.getPublishedAt() : version.getCreatedAt();
    }

    /**
     * The record key of {@code version} on {@code model-versions}: {@code <encoder>/<version>}. Version names are
     * per encoder (the English and the Chinese model each have a {@code v1}), so the key carries both.
     */
    public static String key(ModelVersion version) {
        return key(version.getEncoderName(), version.getVersion());
    }

    /** {@code <encoderId>/<version>}: see {@link #key(ModelVersion)}. */
    public static String key(String encoderId, String version) {
        return encoderId + "/" + version;
    }

    /**
     * The records named {@code version}, of {@code encoderId} only unless it is null: one per encoder that has
     * such a version.
     */
    public static List<ModelVersion> named(Collection<ModelVersion> versions, String version, String encoderId) {
        return versions.stream()
                .filter(v -> v.getVersion().equals(version))
                .filter(v -> encoderId == null || encoderId.equals(v.getEncoderName()))
                .toList();
    }

    /** The version names {@code encoderId} has used, in any status. */
    public static List<String> namesOf(Collection<ModelVersion> versions, String encoderId) {
        return versions.stream()
                .filter(v -> encoderId.equals(v.getEncoderName()))
                .map(ModelVersion::getVersion)
                .toList();
    }

    /** The live version of {@code encoderId} among {@code versions} (latest promoted), if any. */
    public static Optional<ModelVersion> live(Collection<ModelVersion> versions, String encoderId) {
        return versions.stream()
                .filter(v -> v.getStatus() == VersionStatus.PROMOTED && encoderId.equals(v.getEncoderName()))
                .max(Comparator.comparing(ModelVersions::publishedAt));
    }

    /** Every record in {@code versions}, ordered by publication. */
    public static List<ModelVersion> byPublication(Collection<ModelVersion> versions) {
        List<ModelVersion> out = new ArrayList<>(versions);
        out.sort(Comparator.comparing(ModelVersions::publishedAt));
        return out;
    }

    /** {@code review}/{@code block} per label of a record, for display. */
    public static Map<String, Thresholds> thresholds(ModelVersion version) {
        Map<String, Thresholds> out = new TreeMap<>();
        version.getThresholds()
                .forEach((label, t) -> out.put(label.toString(), new Thresholds(t.getReview(), t.getBlock())));
        return out;
    }
}
