package io.streamguard.launcher.client;

import io.streamguard.avro.ModelVersion;
import io.streamguard.launcher.cli.ModelFiles;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.Thresholds;
import io.streamguard.versions.ModelVersions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The moderation labels and thresholds of the model the workers run, so that commands taking label names
 * ({@code feedback}, {@code policy}) can refuse a typo instead of making it live: the encoder's live version on
 * {@code model-versions}, or, while that topic has none, the default heads file {@code models/v1/<encoder>.json}
 * the workers start on.
 *
 * @param version the model's version, e.g. {@code v2}
 * @param source where it was read, for messages: the live version on {@code model-versions}, or the heads file
 * @param thresholds the model's own review/block thresholds per moderation label, by label
 */
public record LiveModel(String version, String source, Map<String, Thresholds> thresholds) {

    public LiveModel {
        thresholds = new TreeMap<>(thresholds);
    }

    /**
     * The live model of {@code encoderId}, or empty when neither the topic nor the default heads file has one.
     *
     * @throws io.streamguard.launcher.cli.LauncherException if the broker cannot be reached
     */
    public static Optional<LiveModel> read(
            String bootstrap, String registryUrl, String versionsTopic, String encoderId) {
        Map<String, ModelVersion> versions = VersionsTopic.readAll(bootstrap, registryUrl, versionsTopic);
        Optional<ModelVersion> live = ModelVersions.live(versions.values(), encoderId);
        if (live.isPresent()) {
            ModelVersion v = live.get();
            Map<String, Thresholds> all = ModelVersions.thresholds(v);
            Map<String, Thresholds> thresholds = new LinkedHashMap<>();
            v.getLabels().forEach(label -> thresholds.put(label.toString(), all.get(label.toString())));
            return Optional.of(new LiveModel(
                    v.getVersion(), "the live " + encoderId + " version on " + versionsTopic, thresholds));
        }
        Path heads = ModelFiles.defaultHeads(encoderId);
        if (!Files.isRegularFile(heads)) {
            return Optional.empty();
        }
        return Optional.of(fromHeads(heads, "as " + versionsTopic + " has no promoted " + encoderId + " version"));
    }

    /** The model in a heads file; {@code why} says why this file stands for the live model. */
    static LiveModel fromHeads(Path heads, String why) {
        HeadsModel model = HeadsFile.read(heads);
        Map<String, Thresholds> thresholds = new LinkedHashMap<>();
        for (String label : model.moderationLabels()) {
            thresholds.put(label, model.thresholds().get(label));
        }
        return new LiveModel(model.version(), heads + ", " + why, thresholds);
    }

    /** The moderation labels, sorted. */
    public Set<String> labels() {
        return thresholds.keySet();
    }

    /** Those of {@code labels} this model does not have, sorted. */
    public Set<String> unknown(Collection<String> labels) {
        Set<String> unknown = new TreeSet<>(labels);
        unknown.removeAll(labels());
        return unknown;
    }

    /** {@code unknown label 'spamm': model v1 (<source>) has hate, offensive, spam}. */
    public String unknownMessage(Set<String> unknown) {
        return "unknown label"
                + (unknown.size() == 1 ? "" : "s")
                + " '"
                + String.join("', '", unknown)
                + "': model "
                + version
                + " ("
                + source
                + ") has "
                + String.join(", ", labels());
    }
}
