package io.streamguard.model.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamguard.model.encoder.LowRankAdapters;
import io.streamguard.model.encoder.TestAdapters;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuned adapters in the heads file: optional, float16 where exact, bit for bit either way. */
class HeadsFileAdaptersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY = "encoder.layer.0.attention.self.query.weight";

    @TempDir
    Path dir;

    private static HeadsModel model() {
        return TestHeads.random("v3", 42, "minilm-l6", "0123abcd", 6, Feature.POOLED_AND_MEAN, 128);
    }

    @Test
    void halvesRoundTripAsFloat16() throws Exception {
        HeadsModel m = model().withAdapters(Float16.round(TestAdapters.tiny(7)));
        Path file = dir.resolve("v3.json");
        HeadsFile.write(m, file);

        HeadsModel back = HeadsFile.read(file);
        assertThat(back).isEqualTo(m);
        assertThat(back.adaptersFingerprint()).isEqualTo(m.adapters().fingerprint());
        JsonNode kernel = JSON.readTree(file.toFile()).at("/adapters/kernels/" + QUERY);
        assertThat(kernel.get("dtype").asText()).isEqualTo("float16");
        assertThat(Base64.getDecoder().decode(kernel.get("a").asText())).hasSize(3 * 2 * Short.BYTES);
        assertThat(JSON.readTree(file.toFile()).at("/adapters/rank").asInt()).isEqualTo(2);
    }

    @Test
    void valuesThatAreNotHalvesRoundTripAsFloat32BitForBit() throws Exception {
        LowRankAdapters adapters = TestAdapters.tiny(7);
        HeadsModel back = HeadsFile.fromJson(HeadsFile.toJson(model().withAdapters(adapters)));

        assertThat(back.adapters()).isEqualTo(adapters);
        assertThat(back.adapters().fingerprint()).isEqualTo(adapters.fingerprint());
        assertThat(JSON.readTree(HeadsFile.toJson(model().withAdapters(adapters)))
                        .at("/adapters/kernels/" + QUERY + "/dtype")
                        .asText())
                .isEqualTo("float32");
    }

    @Test
    void aFileWithoutAdaptersReadsAsTheFrozenEncodersHeads() throws Exception {
        String json = HeadsFile.toJson(model());
        assertThat(JSON.readTree(json).has("adapters")).isFalse();
        assertThat(JSON.readTree(json).get("formatVersion").asInt()).isEqualTo(1);

        HeadsModel back = HeadsFile.fromJson(json);
        assertThat(back).isEqualTo(model());
        assertThat(back.adapters()).isNull();
        assertThat(back.adaptersIfAny()).isEmpty();
        assertThat(back.adaptersFingerprint()).isNull();
        ObjectNode explicitNull = (ObjectNode) JSON.readTree(json);
        explicitNull.putNull("adapters");
        assertThat(HeadsFile.fromJson(explicitNull.toString()).adapters()).isNull();
    }

    @Test
    void withMethodsKeepTheAdapters() {
        HeadsModel m = model().withAdapters(TestAdapters.tiny(7));
        assertThat(m.withVersion("v4", m.provenance()).adapters()).isEqualTo(m.adapters());
        assertThat(m.withThresholds(m.thresholds()).adapters()).isEqualTo(m.adapters());
        assertThat(m.withMetrics(m.metrics()).adapters()).isEqualTo(m.adapters());
        assertThat(m.withAdapters(null).adapters()).isNull();
        assertThat(m).isNotEqualTo(model());
    }

    @Test
    void aCorruptAdaptersBlockNamesTheField() throws Exception {
        String k = "adapters.kernels." + QUERY;
        assertCorrupt(a -> a.put("rank", "two"), "field 'adapters.rank' must be an integer");
        assertCorrupt(a -> a.remove("alpha"), "missing field 'adapters.alpha'");
        assertCorrupt(a -> a.put("kernels", 3), "field 'adapters.kernels' must be an object");
        assertCorrupt(a -> kernel(a).put("a", "not base64!"), "field '" + k + ".a' is not base64");
        assertCorrupt(a -> kernel(a).put("dtype", "int8"), "field '" + k + ".dtype' is 'int8'");
        assertCorrupt(a -> kernel(a).put("b", "AAAA"), "field '" + k + ".b' holds 3 bytes");
        String fourFloats = Base64.getEncoder().encodeToString(new byte[4 * Float.BYTES]);
        assertCorrupt(a -> kernel(a).put("b", fourFloats), "invalid adapter '" + k + "': adapter factors do not fit");
        assertCorrupt(a -> kernel(a).remove("in"), "missing field '" + k + ".in'");
        assertCorrupt(a -> a.put("rank", 3), "invalid field 'adapters': adapter of");
        assertCorrupt(a -> a.put("alpha", -1), "invalid field 'adapters': adapter alpha must be positive");
    }

    private static ObjectNode kernel(ObjectNode adapters) {
        return (ObjectNode) adapters.get("kernels").get(QUERY);
    }

    private static void assertCorrupt(Consumer<ObjectNode> damage, String message) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(HeadsFile.toJson(model().withAdapters(TestAdapters.tiny(7))));
        damage.accept((ObjectNode) root.get("adapters"));
        assertThatThrownBy(() -> HeadsFile.fromJson(root.toString()))
                .isInstanceOf(HeadsFileException.class)
                .hasMessageContaining(message);
    }

    /**
     * What a rank-8 MiniLM set (query, value, intermediate.dense, output.dense of 6 layers) adds to a model
     * file: float16 halves what float32 takes.
     */
    @Test
    void rank8MiniLmAdaptersSize() {
        LowRankAdapters fp32 = TestAdapters.miniLm(8, 6, 0.02f, 3);
        LowRankAdapters fp16 = Float16.round(fp32);
        assertThat(fp16.parameters()).isEqualTo(258_048);
        int base = HeadsFile.toJson(model()).getBytes(StandardCharsets.UTF_8).length;
        int halves = HeadsFile.toJson(model().withAdapters(fp16)).getBytes(StandardCharsets.UTF_8).length - base;
        int floats = HeadsFile.toJson(model().withAdapters(fp32)).getBytes(StandardCharsets.UTF_8).length - base;
        System.out.printf(
                "rank-8 MiniLM adapters: %d numbers, raw %d B float16 / %d B float32, in the JSON file %d B / %d B%n",
                fp16.parameters(), fp16.parameters() * 2, fp16.parameters() * 4, halves, floats);
        // base64 of 2 bytes a number, plus a few hundred bytes of names and fields.
        assertThat(halves).isBetween(688_128, 700_000);
        assertThat(floats).isBetween(1_376_256, 1_390_000);
    }
}
