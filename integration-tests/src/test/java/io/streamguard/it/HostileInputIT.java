package io.streamguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile input against worker JVMs on a real broker (issue 16): {@code streamguard bench hostile} as users
 * run it, with the whole hand-written corpus, a record at the broker's maximum size and 1,000 fuzzed
 * mutants interleaved with valid events, through a tokenizer and an inference worker JVM under
 * exactly_once_v2. Every record is labeled once or dead-lettered once with the reason its class calls for,
 * and both workers are alive and healthy afterwards.
 */
class HostileInputIT {
    private static final String LABELED = "LABELED";
    /** The one outcome each hand-written class must get, records of the class all alike. */
    private static final Map<String, String> EXPECTED = expected();

    private static Map<String, String> expected() {
        Map<String, String> m = new HashMap<>();
        m.put("lengths that lie", "CORRUPT_AVRO");
        m.put("invalid UTF-8 inside a text", LABELED);
        m.put("only invalid UTF-8", "EMPTY_TEXT");
        m.put("lone surrogates", LABELED);
        m.put("zero-width controls", LABELED);
        m.put("bidi controls", LABELED);
        m.put("only format characters", "EMPTY_TEXT");
        m.put("1 MB text of one token", "TEXT_TOO_LARGE");
        m.put("one token at the text limit", LABELED);
        m.put("map of 20,000 attributes", LABELED);
        m.put("header without a body", "CORRUPT_AVRO");
        m.put("empty value", "BAD_MAGIC_BYTE");
        m.put("null key", LABELED);
        m.put("empty key", LABELED);
        m.put("5,000 headers", LABELED);
        m.put("record at the broker's maximum size", "TEXT_TOO_LARGE");
        m.put("valid event", LABELED);
        return Map.copyOf(m);
    }

    @Test
    void everyHostileRecordIsLabeledOrDeadLetteredOnceWithItsReasonAndTheWorkersStayUp() throws Exception {
        Cli run = Cli.run("bench", "hostile", "--mutants", "1000", "--passes", "1", "--json");
        System.out.println("HostileInputIT:\n" + run.out());
        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());

        assertThat(report.get("maxRecordBytes").asInt())
                .as("the broker's default")
                .isEqualTo(1_048_588);
        JsonNode pass = report.get("passes").get(0);
        assertThat(pass.get("unknown").asInt()).as("outcomes of no sent record").isZero();
        Map<String, JsonNode> rows = new HashMap<>();
        pass.get("rows").forEach(r -> rows.put(r.get("inputClass").asText(), r));
        assertThat(rows.keySet()).containsAll(EXPECTED.keySet()).contains("random bytes", "mutant");
        rows.forEach((inputClass, r) -> {
            assertThat(r.get("refused").asInt()).as(inputClass + " refused").isZero();
            assertThat(r.get("lost").asInt()).as(inputClass + " lost").isZero();
            assertThat(r.get("duplicated").asInt()).as(inputClass + " twice").isZero();
            assertThat(r.get("unexpected")).as(inputClass + " unexpected").isEmpty();
            Map<String, Integer> dead = new HashMap<>();
            r.get("deadLettered")
                    .fields()
                    .forEachRemaining(e -> dead.put(e.getKey(), e.getValue().asInt()));
            int sent = r.get("sent").asInt();
            int labeled = r.get("labeled").asInt();
            assertThat(labeled
                            + dead.values().stream().mapToInt(Integer::intValue).sum())
                    .as(inputClass + ": one outcome per record")
                    .isEqualTo(sent);
            String expected = EXPECTED.get(inputClass);
            if (expected == null) {
                return;
            }
            if (expected.equals(LABELED)) {
                assertThat(labeled).as(inputClass).isEqualTo(sent);
            } else {
                assertThat(dead).as(inputClass).isEqualTo(Map.of(expected, sent));
            }
        });
        assertThat(rows.get("random bytes").get("labeled").asInt()).isZero();
        assertThat(fieldNames(rows.get("random bytes").get("deadLettered")))
                .isSubsetOf("BAD_MAGIC_BYTE", "UNKNOWN_SCHEMA_ID", "CORRUPT_AVRO");
        JsonNode mutants = rows.get("mutant");
        assertThat(mutants.get("sent").asInt()).isEqualTo(1000);
        assertThat(mutants.get("labeled").asInt())
                .as("mutants that still decode are labeled")
                .isPositive();
        assertThat(fieldNames(mutants.get("deadLettered")))
                .contains("CORRUPT_AVRO")
                .doesNotContain("PROCESSING_FAILED", "DESERIALIZATION_FAILED", "INFERENCE_FAILED");

        assertThat(report.get("workers")).hasSize(2).allSatisfy(w -> {
            assertThat(w.get("alive").asBoolean()).as(w.get("role") + " alive").isTrue();
            assertThat(w.get("health").asInt()).as(w.get("role") + " /health").isEqualTo(200);
            assertThat(w.get("memory")).as("heap and RSS before and after").hasSize(2);
        });
        assertThat(report.get("ok").asBoolean()).isTrue();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
