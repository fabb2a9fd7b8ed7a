package io.streamguard.versions;

import io.streamguard.avro.ModelVersion;
import io.streamguard.avro.VersionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What happened to the model versions, derived from the compacted {@code model-versions} topic: which version is
 * live, what each one is now (live, superseded, rolled back, rejected) and a timeline of promotions, rejections,
 * rollbacks and supersessions with who or what did each.
 *
 * <p>The topic keeps the latest record per version, and the live rule stays {@link ModelVersions#live}'s. A
 * rollback republishes the version it returns to ({@link ModelVersions#rollback}); that record names the version it
 * displaced and keeps its own first publication, so nothing needs a second key. Who: the record's
 * {@link ModelVersions#PUBLISHED_BY} (the retrainer, with its {@link ModelVersions#TRIGGER}), or the rollback's user.
 * Only the latest rollback to a given version survives compaction; earlier ones to it drop out of the timeline.
 */
public final class ModelHistory {

    /** What a version is now. */
    public enum State {
        LIVE,
        SUPERSEDED,
        ROLLED_BACK,
        REJECTED,
        /** Promoted and not live, yet nothing displaced it: records published with clocks out of order. */
        PROMOTED
    }

    /** One thing that happened to a version. */
    public enum Kind {
        PROMOTED,
        REJECTED,
        /** A later promotion replaced it as live. */
        SUPERSEDED,
        /** A rollback replaced it as live. */
        ROLLED_BACK,
        /** A rollback made it live again. */
        RESTORED
    }

    /**
     * @param by who or what did it ({@code retrainer user@host}, a rollback's user; {@code -} if unknown)
     * @param detail why: the trigger and the gate's reason, the rollback, or the version that replaced it
     */
    public record Event(Instant at, String version, String encoder, Kind kind, String by, String detail) {}

    /** A version now: its record, its state and the event that put it there. */
    public record Entry(ModelVersion record, State state, Event since) {}

    private final List<Event> events;
    private final Map<String, Entry> entries;

    private ModelHistory(List<Event> events, Map<String, Entry> entries) {
        this.events = List.copyOf(events);
        this.entries = entries;
    }

    /** The history of {@code versions} (the latest record per version, as {@link ModelVersionsTopic#readAll()}). */
    public static ModelHistory of(Collection<ModelVersion> versions) {
        List<Event> own = new ArrayList<>();
        List<Event> becameLive = new ArrayList<>();
        for (ModelVersion v : versions) {
            Map<String, String> lineage = v.getLineage();
            String encoder = v.getEncoderName();
            String by =
                    lineage.getOrDefault(ModelVersions.PUBLISHED_BY, lineage.containsKey("parent") ? "retrainer" : "-");
            if (lineage.containsKey(ModelVersions.ROLLBACK_FROM)) {
                String first = lineage.get(ModelVersions.FIRST_PUBLISHED_AT);
                if (first != null) {
                    Event promoted = new Event(
                            Instant.parse(first),
                            v.getVersion(),
                            encoder,
                            Kind.PROMOTED,
                            by,
                            why(lineage, lineage.getOrDefault(ModelVersions.FIRST_REASON, "")));
                    own.add(promoted);
                    becameLive.add(promoted);
                }
                Event restored = new Event(
                        ModelVersions.publishedAt(v),
                        v.getVersion(),
                        encoder,
                        Kind.RESTORED,
                        lineage.getOrDefault(ModelVersions.ROLLBACK_BY, "-"),
                        "rollback from " + lineage.get(ModelVersions.ROLLBACK_FROM));
                own.add(restored);
                becameLive.add(restored);
            } else {
                boolean promoted = v.getStatus() == VersionStatus.PROMOTED;
                Event e = new Event(
                        ModelVersions.publishedAt(v),
                        v.getVersion(),
                        encoder,
                        promoted ? Kind.PROMOTED : Kind.REJECTED,
                        by,
                        why(lineage, v.getReason() == null ? "" : v.getReason()));
                own.add(e);
                if (promoted) {
                    becameLive.add(e);
                }
            }
        }
        // Walk each encoder's changes of live version in time: each one displaces the version live before it.
        becameLive.sort(Comparator.comparing(Event::at));
        Map<String, String> liveNow = new HashMap<>();
        Map<String, Event> displaced = new HashMap<>();
        List<Event> all = new ArrayList<>(own);
        for (Event e : becameLive) {
            String before = liveNow.put(e.encoder(), e.version());
            if (before != null && !before.equals(e.version())) {
                boolean rollback = e.kind() == Kind.RESTORED;
                Event out = new Event(
                        e.at(),
                        before,
                        e.encoder(),
                        rollback ? Kind.ROLLED_BACK : Kind.SUPERSEDED,
                        e.by(),
                        rollback ? e.version() + " live again" : "by " + e.version());
                all.add(out);
                displaced.put(before, out);
            }
        }
        all.sort(Comparator.comparing(Event::at)); // stable: a displacement follows what caused it
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (ModelVersion v : ModelVersions.byPublication(versions)) {
            Optional<ModelVersion> live = ModelVersions.live(versions, v.getEncoderName());
            Event last = all.stream()
                    .filter(e -> e.version().equals(v.getVersion()))
                    .reduce((a, b) -> b)
                    .orElseThrow();
            State state;
            if (live.isPresent() && live.get().getVersion().equals(v.getVersion())) {
                state = State.LIVE;
            } else if (v.getStatus() != VersionStatus.PROMOTED) {
                state = State.REJECTED;
            } else if (displaced.containsKey(v.getVersion())) {
                last = displaced.get(v.getVersion());
                state = last.kind() == Kind.ROLLED_BACK ? State.ROLLED_BACK : State.SUPERSEDED;
            } else {
                state = State.PROMOTED;
            }
            entries.put(v.getVersion(), new Entry(v, state, last));
        }
        return new ModelHistory(all, entries);
    }

    private static String why(Map<String, String> lineage, String reason) {
        String trigger = lineage.get(ModelVersions.TRIGGER);
        return trigger == null ? reason : trigger + ": " + reason;
    }

    /** Everything that happened, oldest first. */
    public List<Event> events() {
        return events;
    }

    /** Every version now, in order of publication of its latest record. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** {@code version} now, if the topic has it. */
    public Optional<Entry> entry(String version) {
        return Optional.ofNullable(entries.get(version));
    }

    /** The live version of each encoder that has one. */
    public List<Entry> live() {
        return entries.values().stream().filter(e -> e.state() == State.LIVE).toList();
    }
}
