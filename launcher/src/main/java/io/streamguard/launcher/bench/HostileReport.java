package io.streamguard.launcher.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What one {@code bench hostile} run found: per pass and input class, how many records were sent and
 * what became of them; each worker JVM's heap and RSS before the corpus and after each pass; and whether
 * the workers were still alive and healthy at the end.
 *
 * @param machine where it ran
 * @param heads the heads file the inference worker served
 * @param mutants fuzzed mutants per pass
 * @param seed the fuzzer's seed
 * @param partitions partitions of the topics
 * @param maxRecordBytes the broker's largest record on {@code text-events} ({@code max.message.bytes})
 * @param passes the passes, in order
 * @param workers each worker JVM, in start order
 */
record HostileReport(
        Machine machine,
        String heads,
        int mutants,
        long seed,
        int partitions,
        int maxRecordBytes,
        List<Pass> passes,
        List<Worker> workers) {

    /**
     * One input class in one pass.
     *
     * @param inputClass what kind of input
     * @param sent records sent
     * @param refused of them, refused by the producer or broker (they never reached the pipeline)
     * @param labeled labeled events received
     * @param deadLettered dead letters received, by reason
     * @param lost records that reached the broker and got no outcome
     * @param duplicated records with more than one outcome
     * @param unexpected {@code id=outcome} for outcomes the corpus does not allow for the record
     */
    record ClassRow(
            String inputClass,
            int sent,
            int refused,
            int labeled,
            Map<String, Integer> deadLettered,
            int lost,
            int duplicated,
            List<String> unexpected) {
        @JsonProperty
        public boolean accountedOnce() {
            return refused == 0 && lost == 0 && duplicated == 0 && unexpected.isEmpty();
        }
    }

    /**
     * One pass of the corpus and its mutants.
     *
     * @param pass 1 or 2
     * @param seconds first record sent .. last outcome received
     * @param rows per input class
     * @param unknown outcomes that matched no sent record (so far, in the whole run)
     */
    record Pass(int pass, double seconds, List<ClassRow> rows, int unknown) {
        @JsonProperty
        public boolean accountedOnce() {
            return unknown == 0 && rows.stream().allMatch(ClassRow::accountedOnce);
        }
    }

    /**
     * A worker JVM.
     *
     * @param role tokenizer or inference
     * @param memory heap after a full GC and RSS: before the corpus, then after each pass
     * @param alive whether its process was still running at the end
     * @param health the HTTP status of its {@code /health} at the end (-1: no answer)
     */
    record Worker(String role, List<JvmMemory> memory, boolean alive, int health) {
        @JsonProperty
        public boolean up() {
            return alive && health == 200;
        }
    }

    /** Every record accounted for exactly once as the corpus allows, and every worker up at the end. */
    @JsonProperty
    public boolean ok() {
        return passes.stream().allMatch(Pass::accountedOnce) && workers.stream().allMatch(Worker::up);
    }
}
