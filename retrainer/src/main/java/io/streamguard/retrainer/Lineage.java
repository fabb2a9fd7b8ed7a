package io.streamguard.retrainer;

import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.training.Task;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a version was trained from, as the string map its {@code model-versions} record carries: parent, the
 * feedback offsets used ({@value #FEEDBACK_OFFSETS}: where a restarted retrainer starts counting new verdicts),
 * hashes of the feedback and of every base data split (with their language), and the settings.
 */
public final class Lineage {

    /** Lineage key of the feedback offsets a version was trained with: {@code partition:from-to,...}. */
    public static final String FEEDBACK_OFFSETS = "feedback.offsets";

    private Lineage() {}

    /** The lineage of a candidate trained from {@code parent} on {@code train}, judged on {@code heldOut}. */
    public static Map<String, String> of(
            HeadsModel parent,
            Map<Integer, Long> offsets,
            List<FeedbackExample> train,
            List<FeedbackExample> heldOut,
            BaseData base,
            RetrainerSettings settings) {
        Map<String, String> lineage = new LinkedHashMap<>();
        lineage.put("parent", parent.version());
        lineage.put("feedback.topic", settings.feedbackTopic());
        lineage.put(FEEDBACK_OFFSETS, formatOffsets(offsets));
        lineage.put("feedback.train", Integer.toString(train.size()));
        lineage.put("feedback.heldOut", Integer.toString(heldOut.size()));
        lineage.put("feedback.sha256", sha256(train));
        lineage.put("data.language", base.language().code());
        for (Task task : base.tasks()) {
            BaseData.TaskData data = base.task(task);
            lineage.put("data." + task.id() + ".train.sha256", data.trainSha256());
            lineage.put("data." + task.id() + ".validation.sha256", data.validationSha256());
        }
        lineage.put("sample.perTask", Integer.toString(settings.samplePerTask()));
        lineage.put("seed", Long.toString(settings.seed()));
        lineage.put(
                "settings",
                "weight=" + settings.feedbackWeight() + " epochs=" + settings.epochs() + " lr="
                        + settings.learningRate() + " holdout=" + settings.holdoutPercent() + "% gate="
                        + settings.gate() + " nearDuplicates=" + settings.nearDuplicates());
        return lineage;
    }

    /** Offsets consumed up to, per partition, as {@code partition:0-offset,...} in partition order. */
    public static String formatOffsets(Map<Integer, Long> offsets) {
        return new TreeMap<>(offsets)
                .entrySet().stream().map(e -> e.getKey() + ":0-" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The inverse of {@link #formatOffsets}: the end offset per partition; blank or null is none. */
    public static Map<Integer, Long> parseOffsets(String value) {
        Map<Integer, Long> out = new TreeMap<>();
        if (value == null || value.isBlank()) {
            return out;
        }
        for (String part : value.split(",")) {
            String[] pr = part.split(":");
            out.put(
                    Integer.parseInt(pr[0].strip()),
                    Long.parseLong(pr[1].substring(pr[1].indexOf('-') + 1).strip()));
        }
        return out;
    }

    /** SHA-256 over the examples' ids, texts and verdicts, in order. */
    public static String sha256(List<FeedbackExample> examples) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (FeedbackExample e : examples) {
                digest.update((e.eventId() + "\u0000" + e.text() + "\u0000" + e.verdicts() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
