package io.streamguard.retrainer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Which feedback the gate keeps back, and which of it counts as evidence. Near-copies ({@link NearDuplicates})
 * stay together: a group of them is held back or trained on as a whole, by a stable hash of its smallest event
 * id, so a held-back text is never a near-copy of one the candidate trained on, the same feedback splits the
 * same way on every machine, and the gate never judges a candidate on what it trained on. Inside the held-back
 * part each group is one piece of evidence per label: the rest are near-copies and do not count.
 */
public final class Holdout {

    private Holdout() {}

    /**
     * The split of one retrain's feedback.
     *
     * @param train what the candidate learns from
     * @param heldOut never trained on
     * @param evidence {@code heldOut} with one verdict per label per near-duplicate group: what the gate judges by
     * @param nearCopies held-back verdicts left out of {@code evidence}
     */
    public record Split(
            List<FeedbackExample> train,
            List<FeedbackExample> heldOut,
            List<FeedbackExample> evidence,
            int nearCopies) {}

    /** Whether {@code eventId} belongs to the held-back {@code percent}. */
    public static boolean heldOut(String eventId, int percent) {
        CRC32C crc = new CRC32C();
        crc.update(eventId.getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 100 < percent;
    }

    /** Splits {@code examples}, keeping their order within each part. */
    public static Split split(List<FeedbackExample> examples, int percent, NearDuplicates nearDuplicates) {
        int[] groups = nearDuplicates.groups(
                examples.stream().map(FeedbackExample::text).toList());
        Map<Integer, String> smallestId = new TreeMap<>();
        for (int i = 0; i < examples.size(); i++) {
            smallestId.merge(groups[i], examples.get(i).eventId(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        List<FeedbackExample> train = new ArrayList<>();
        List<FeedbackExample> heldOut = new ArrayList<>();
        Map<Integer, List<FeedbackExample>> heldOutGroups = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            FeedbackExample e = examples.get(i);
            if (heldOut(smallestId.get(groups[i]), percent)) {
                heldOut.add(e);
                heldOutGroups.computeIfAbsent(groups[i], g -> new ArrayList<>()).add(e);
            } else {
                train.add(e);
            }
        }
        List<FeedbackExample> evidence = new ArrayList<>();
        int nearCopies = 0;
        for (List<FeedbackExample> group : heldOutGroups.values()) {
            // The same member speaks for its group whatever order the feedback arrived in.
            group.sort(Comparator.comparing(FeedbackExample::eventId).thenComparing(FeedbackExample::offset));
            Set<String> judged = new HashSet<>();
            for (FeedbackExample e : group) {
                Map<String, Boolean> fresh = new TreeMap<>();
                e.verdicts().forEach((label, verdict) -> {
                    if (judged.add(label)) {
                        fresh.put(label, verdict);
                    }
                });
                nearCopies += e.verdicts().size() - fresh.size();
                if (!fresh.isEmpty()) {
                    evidence.add(new FeedbackExample(e.eventId(), e.text(), fresh, e.partition(), e.offset()));
                }
            }
        }
        return new Split(train, heldOut, evidence, nearCopies);
    }
}
