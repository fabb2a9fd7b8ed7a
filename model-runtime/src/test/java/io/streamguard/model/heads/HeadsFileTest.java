package io.streamguard.model.heads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeadsFileTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static HeadsModel model() {
        return TestHeads.random("v3", 42, "minilm-l6", "0123abcd", 6, Feature.POOLED_AND_MEAN, 128);
    }

    /** A model whose first weights are floats text formats tend to lose. */
    private static HeadsModel awkwardModel() {
        float[] special = {-0f, Float.MIN_VALUE, Float.MAX_VALUE, 1e-40f, 0.1f, -1f / 3, (float) Math.PI, 0f};
        Dense layer = new Dense(4, 2, special, new float[] {Math.nextUp(1f), -Float.MIN_NORMAL}, Activation.NONE);
        Head head = new Head(
                "moderation",
                HeadKind.SIGMOID,
                List.of("spam", "hate"),
                new float[] {-0f, 1e-30f, 2, 3},
                new float[] {1, 1e30f, 0.5f, 7},
                List.of(layer));
        return new HeadsModel(
                "v1",
                "minilm-l6",
                "hash",
                64,
                Feature.MEAN,
                List.of(head),
                Map.of("spam", new Thresholds(0.1 + 0.2, 0.9), "hate", new Thresholds(0, 1)),
                Map.of("spam", Map.of("f1", 1.0 / 3)),
                new Provenance("2024-05-01T10:00:00Z", "v0", Long.MIN_VALUE, List.of(), Map.of("k", "välue \"q\"")));
    }

    @Test
    void roundTripsBitForBitThroughAFile() {
        for (HeadsModel m : List.of(model(), awkwardModel())) {
            Path file = dir.resolve(m.version() + ".json");
            HeadsFile.write(m, file);
            HeadsModel back = HeadsFile.read(file);
            assertThat(back).isEqualTo(m);
            for (int h = 0; h < m.heads().size(); h++) {
                for (int l = 0; l < m.heads().get(h).layers().size(); l++) {
                    float[] expected = m.heads().get(h).layers().get(l).weights();
                    float[] actual = back.heads().get(h).layers().get(l).weights();
                    for (int i = 0; i < expected.length; i++) {
                        // Bits, not values: -0f == 0f would hide a sign lost on the way.
                        assertThat(Float.floatToRawIntBits(actual[i])).isEqualTo(Float.floatToRawIntBits(expected[i]));
                    }
                }
            }
            assertThat(HeadsFile.toJson(back)).isEqualTo(HeadsFile.toJson(m));
            assertThat(HeadsFile.fromJson(HeadsFile.toJson(m))).isEqualTo(m);
        }
    }

    /** {@link #model()} with every kernel rounded to float16, as the trainer leaves them by default. */
    private static HeadsModel halfModel() {
        HeadsModel m = model();
        List<Head> heads = new ArrayList<>();
        for (Head h : m.heads()) {
            List<Dense> layers = new ArrayList<>();
            for (Dense l : h.layers()) {
                float[] w = Float16.round(l.weights());
                w[0] = -0f; // a sign a careless codec loses
                w[1] = 0x1p-24f; // the smallest subnormal half
                layers.add(new Dense(l.inputs(), l.outputs(), w, l.bias(), l.activation()));
            }
            heads.add(new Head(h.name(), h.kind(), h.labels(), h.inputMean(), h.inputScale(), layers));
        }
        return new HeadsModel(
                m.version(),
                m.encoderId(),
                m.vocabHash(),
                m.maxLength(),
                m.feature(),
                heads,
                m.thresholds(),
                m.metrics(),
                m.provenance());
    }

    @Test
    void kernelsThatAreAllHalvesAreStoredAsFloat16AndStillRoundTripBitForBit() throws Exception {
        HeadsModel m = halfModel();
        Path file = dir.resolve("half.json");
        HeadsFile.write(m, file);
        ObjectNode root = (ObjectNode) JSON.readTree(Files.readString(file));
        assertThat(root.at("/heads/0/layers/0/weightsDtype").asText()).isEqualTo("float16");
        // 12 x 16 halves = 384 bytes = 512 base64 characters, half of float32's 1024
        assertThat(root.at("/heads/0/layers/0/weights").asText()).hasSize(512);
        // 16 float32 biases = 64 bytes = 88 base64 characters
        assertThat(root.at("/heads/0/layers/0/bias").asText())
                .as("biases stay float32")
                .hasSize(88);
        HeadsModel back = HeadsFile.read(file);
        assertThat(back).isEqualTo(m);
        float[] expected = m.heads().get(0).layers().get(0).weights();
        float[] actual = back.heads().get(0).layers().get(0).weights();
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToRawIntBits(actual[i])).isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
        // One weight that is not a half keeps its layer in float32: the writer never rounds.
        assertThat(JSON.readTree(HeadsFile.toJson(model()))
                        .at("/heads/0/layers/0/weightsDtype")
                        .isMissingNode())
                .isTrue();
    }

    @Test
    void aBadWeightsDtypeOrAnOddNumberOfHalfBytesIsNamed() {
        assertThatThrownBy(() ->
                        fromEdited(root -> ((ObjectNode) root.at("/heads/0/layers/0")).put("weightsDtype", "bfloat16")))
                .isInstanceOf(HeadsFileException.class)
                .hasMessage(
                        "heads file: field 'heads[0].layers[0].weightsDtype' is 'bfloat16', expected float32 or float16");
        assertThatThrownBy(() -> fromEdited(root -> ((ObjectNode) root.at("/heads/0/layers/0"))
                        .put("weightsDtype", "float16")
                        .put("weights", "AAAAAAA=")))
                .hasMessage(
                        "heads file: field 'heads[0].layers[0].weights' holds 5 bytes, not a whole number of float16");
        // float32 bytes read as float16 are twice as many weights: the layer's shape check catches it.
        assertThatThrownBy(() ->
                        fromEdited(root -> ((ObjectNode) root.at("/heads/0/layers/0")).put("weightsDtype", "float16")))
                .hasMessage("heads file: invalid layer 'heads[0].layers[0]': expected 12x16 weights, got 384");
    }

    @Test
    void jsonDoesNotDependOnMapInsertionOrder() {
        HeadsModel m = awkwardModel();
        Map<String, Thresholds> reversed = new LinkedHashMap<>();
        reversed.put("spam", m.thresholds().get("spam"));
        reversed.put("hate", m.thresholds().get("hate"));
        Map<String, Thresholds> forward = new LinkedHashMap<>();
        forward.put("hate", m.thresholds().get("hate"));
        forward.put("spam", m.thresholds().get("spam"));
        assertThat(HeadsFile.toJson(m.withThresholds(reversed))).isEqualTo(HeadsFile.toJson(m.withThresholds(forward)));
    }

    @Test
    void jsonIsReadableMetadataWithBase64Weights() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(HeadsFile.toJson(model()));
        assertThat(root.get("format").asText()).isEqualTo("streamguard-heads");
        assertThat(root.get("formatVersion").asInt()).isEqualTo(1);
        assertThat(root.at("/encoder/id").asText()).isEqualTo("minilm-l6");
        assertThat(root.at("/heads/0/labels").toString()).isEqualTo("[\"offensive\",\"hate\",\"spam\"]");
        assertThat(root.at("/thresholds/hate/review").asDouble()).isEqualTo(0.4);
        // 12 inputs x 16 outputs float32 = 768 bytes = 1024 base64 characters
        assertThat(root.at("/heads/0/layers/0/weights").asText()).hasSize(1024);
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws Exception {
        Path file = dir.resolve("nested/deeper/heads.json");
        HeadsModel v1 = model();
        HeadsModel v2 = model().withVersion("v4", new Provenance("later", "v3", 5, List.of(), Map.of()));
        HeadsFile.write(v1, file);
        // A reader polling while the file is rewritten sees one whole model or the other, never a torn one.
        AtomicBoolean stop = new AtomicBoolean();
        List<String> seen = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                try {
                    seen.add(HeadsFile.read(file).version());
                } catch (Throwable t) {
                    failures.add(t);
                    return;
                }
            }
        });
        reader.start();
        for (int i = 0; i < 100; i++) {
            HeadsFile.write(i % 2 == 0 ? v2 : v1, file);
        }
        stop.set(true);
        reader.join();
        assertThat(failures).isEmpty();
        assertThat(seen).isNotEmpty().allMatch(v -> v.equals("v3") || v.equals("v4"));
        assertThat(HeadsFile.read(file)).isEqualTo(v1);
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void writtenFileGetsTheUsualPermissionsNotATempFilesPrivateOnes() throws Exception {
        Path file = dir.resolve("heads.json");
        HeadsFile.write(model(), file);
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(expected);
    }

    @Test
    void aMissingFileSaysSo() {
        Path file = dir.resolve("absent.json");
        assertThatThrownBy(() -> HeadsFile.read(file))
                .isInstanceOf(HeadsFileException.class)
                .hasMessage(file + ": no such file");
    }

    @Test
    void aFileThatIsNotJsonSaysSo() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.json"), "{\"format\": \"streamguard-heads\", ");
        assertThatThrownBy(() -> HeadsFile.read(file))
                .isInstanceOf(HeadsFileException.class)
                .hasMessageStartingWith(file + ": not JSON");
        Path trailing = Files.writeString(dir.resolve("trailing.json"), HeadsFile.toJson(model()) + " }");
        assertThatThrownBy(() -> HeadsFile.read(trailing)).hasMessageStartingWith(trailing + ": not JSON");
        Path array = Files.writeString(dir.resolve("array.json"), "[1, 2]");
        assertThatThrownBy(() -> HeadsFile.read(array))
                .hasMessage(array + ": not a heads file: expected a JSON object, found array");
        Path empty = Files.writeString(dir.resolve("empty.json"), "");
        assertThatThrownBy(() -> HeadsFile.read(empty)).hasMessageContaining("expected a JSON object, found nothing");
    }

    @Test
    void anotherFormatOrFormatVersionIsRefused() {
        assertThatThrownBy(() -> fromEdited(root -> root.put("format", "tf-savedmodel")))
                .isInstanceOf(HeadsFileException.class)
                .hasMessageContaining("format is 'tf-savedmodel', expected 'streamguard-heads'");
        assertThatThrownBy(() -> fromEdited(root -> root.put("formatVersion", 2)))
                .isInstanceOf(HeadsFileException.class)
                .hasMessageContaining("format version 2 is not supported (this build reads 1)");
        assertThatThrownBy(() -> fromEdited(root -> root.put("formatVersion", "1")))
                .hasMessageContaining("field 'formatVersion' must be an integer");
    }

    @Test
    void aMissingFieldIsNamedByItsPath() {
        assertThatThrownBy(() -> fromEdited(root -> root.remove("version")))
                .isInstanceOf(HeadsFileException.class)
                .hasMessage("heads file: missing field 'version'");
        assertThatThrownBy(() -> fromEdited(root -> ((ObjectNode) root.at("/encoder")).remove("vocabHash")))
                .hasMessage("heads file: missing field 'encoder.vocabHash'");
        assertThatThrownBy(() -> fromEdited(root -> ((ObjectNode) root.at("/heads/1/layers/0")).remove("bias")))
                .hasMessage("heads file: missing field 'heads[1].layers[0].bias'");
        assertThatThrownBy(() -> fromEdited(root -> ((ObjectNode) root.at("/thresholds/spam")).remove("block")))
                .hasMessage("heads file: missing field 'thresholds.spam.block'");
        assertThatThrownBy(() -> fromEdited(root -> ((ObjectNode) root.at("/provenance")).remove("seed")))
                .hasMessage("heads file: missing field 'provenance.seed'");
        assertThatThrownBy(() -> fromEdited(root -> ((ObjectNode) root.at("/metrics/hate")).put("macroF1", "high")))
                .hasMessage("heads file: field 'metrics.hate.macroF1' must be a number");
        assertThatThrownBy(() -> fromEdited(root -> ((ObjectNode) root.at("/heads/0")).put("kind", "RELU")))
                .hasMessage("heads file: field 'heads[0].kind' is 'RELU', expected one of [SIGMOID, SOFTMAX]");
    }

    @Test
    void badBase64IsNamed() {
        assertThatThrownBy(() -> fromEdited(root -> ((ObjectNode) root.at("/heads/0")).put("inputMean", "not*base64")))
                .isInstanceOf(HeadsFileException.class)
                .hasMessageStartingWith("heads file: field 'heads[0].inputMean' is not base64");
        assertThatThrownBy(() -> fromEdited(root -> ((ObjectNode) root.at("/heads/0")).put("inputScale", "AAAAAAA=")))
                .hasMessage("heads file: field 'heads[0].inputScale' holds 5 bytes, not a whole number of float32");
    }

    @Test
    void aWrongWeightCountNamesTheLayer() {
        float[] eleven = new float[12 * 16 - 1];
        assertThatThrownBy(() -> fromEdited(
                        root -> ((ObjectNode) root.at("/heads/0/layers/0")).put("weights", HeadsFile.encode(eleven))))
                .isInstanceOf(HeadsFileException.class)
                .hasMessage("heads file: invalid layer 'heads[0].layers[0]': expected 12x16 weights, got 191");
        // A normaliser of the wrong width is a model-level inconsistency, reported with the head's name.
        assertThatThrownBy(() -> fromEdited(
                        root -> ((ObjectNode) root.at("/heads/1")).put("inputMean", HeadsFile.encode(new float[11]))))
                .hasMessageContaining("invalid model: head sentiment: normaliser has 11/12 dimensions");
    }

    @Test
    void fileErrorsNameTheFile() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(HeadsFile.toJson(model()));
        ((ArrayNode) root.get("heads")).removeAll();
        Path file = Files.writeString(dir.resolve("no-heads.json"), root.toString());
        assertThatThrownBy(() -> HeadsFile.read(file))
                .isInstanceOf(HeadsFileException.class)
                .hasMessage(file + ": invalid model: a model needs at least one head");
    }

    private static HeadsModel fromEdited(Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(HeadsFile.toJson(model()));
        edit.accept(root);
        return HeadsFile.fromJson(root.toString());
    }
}
