package io.streamguard.model.heads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes {@link HeadsModel}s as JSON: readable metadata (version, encoder, labels,
 * thresholds, metrics, provenance) with weights as base64 little-endian float32, so a file round
 * trips bit for bit and stays small enough to commit (a few hundred KB).
 *
 * <pre>{@code
 * {"format": "streamguard-heads", "formatVersion": 1, "version": "v1",
 *  "encoder": {"id": "bert-base-uncased", "vocabHash": "...", "maxLength": 128},
 *  "feature": "POOLED_AND_MEAN",
 *  "heads": [{"name": "moderation", "kind": "SIGMOID", "labels": ["offensive", "hate", "spam"],
 *             "inputMean": "<b64>", "inputScale": "<b64>",
 *             "layers": [{"inputs": 1536, "outputs": 3, "activation": "NONE", "weights": "<b64>", "bias": "<b64>"}]}],
 *  "thresholds": {"hate": {"review": 0.41, "block": 0.83}, ...},
 *  "metrics": {"hate": {"macroF1": 0.72}, ...},
 *  "provenance": {"createdAt": "...", "parentVersion": null, "seed": 42, "trainingData": [...], "notes": {...}}}
 * }</pre>
 * The same JSON is the payload a model version carries on the wire ({@link #toJson}/{@link #fromJson}).
 */
public final class HeadsFile {

    public static final String FORMAT = "streamguard-heads";
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HeadsFile() {}

    /**
     * @throws HeadsFileException if the file is missing, not JSON, of another format version, or
     *     describes an invalid model (the message names the field)
     */
    public static HeadsModel read(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new HeadsFileException(file, "cannot read: " + e, e);
        }
        return parse(json, file);
    }

    /** Writes atomically (temporary file, then rename), so a reader never sees half a model. */
    public static void write(HeadsModel model, Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try {
                Files.writeString(tmp, toJson(model) + "\n");
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new HeadsFileException(file, "cannot write: " + e, e);
        }
    }

    /** The model as JSON text. */
    public static String toJson(HeadsModel model) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("formatVersion", FORMAT_VERSION);
        root.put("version", model.version());
        ObjectNode encoder = root.putObject("encoder");
        encoder.put("id", model.encoderId());
        encoder.put("vocabHash", model.vocabHash());
        encoder.put("maxLength", model.maxLength());
        root.put("feature", model.feature().name());
        ArrayNode heads = root.putArray("heads");
        for (Head head : model.heads()) {
            ObjectNode h = heads.addObject();
            h.put("name", head.name());
            h.put("kind", head.kind().name());
            ArrayNode labels = h.putArray("labels");
            head.labels().forEach(labels::add);
            h.put("inputMean", encode(head.inputMean()));
            h.put("inputScale", encode(head.inputScale()));
            ArrayNode layers = h.putArray("layers");
            for (Dense layer : head.layers()) {
                ObjectNode l = layers.addObject();
                l.put("inputs", layer.inputs());
                l.put("outputs", layer.outputs());
                l.put("activation", layer.activation().name());
                l.put("weights", encode(layer.weights()));
                l.put("bias", encode(layer.bias()));
            }
        }
        ObjectNode thresholds = root.putObject("thresholds");
        model.thresholds().forEach((label, t) -> {
            ObjectNode node = thresholds.putObject(label);
            node.put("review", t.review());
            node.put("block", t.block());
        });
        ObjectNode metrics = root.putObject("metrics");
        model.metrics().forEach((task, values) -> {
            ObjectNode node = metrics.putObject(task);
            values.forEach(node::put);
        });
        Provenance p = model.provenance();
        ObjectNode provenance = root.putObject("provenance");
        provenance.put("createdAt", p.createdAt());
        provenance.put("parentVersion", p.parentVersion());
        provenance.put("seed", p.seed());
        ArrayNode data = provenance.putArray("trainingData");
        for (Provenance.DataRef ref : p.trainingData()) {
            ObjectNode d = data.addObject();
            d.put("task", ref.task());
            d.put("split", ref.split());
            d.put("path", ref.path());
            d.put("sha256", ref.sha256());
            d.put("rows", ref.rows());
        }
        ObjectNode notes = provenance.putObject("notes");
        p.notes().forEach(notes::put);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise model " + model.version(), e);
        }
    }

    /**
     * @throws HeadsFileException as for {@link #read}
     */
    public static HeadsModel fromJson(String json) {
        return parse(json, null);
    }

    private static HeadsModel parse(String json, Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new HeadsFileException(file, "not JSON: " + e.getOriginalMessage(), e);
        }
        Reader r = new Reader(file);
        try {
            String format = r.text(root, "format");
            if (!FORMAT.equals(format)) {
                throw new HeadsFileException(file, "format is '" + format + "', expected '" + FORMAT + "'");
            }
            int formatVersion = r.integer(root, "formatVersion");
            if (formatVersion != FORMAT_VERSION) {
                throw new HeadsFileException(file, "format version " + formatVersion + " is not supported (this build reads "
                        + FORMAT_VERSION + ")");
            }
            JsonNode encoder = r.object(root, "encoder");
            List<Head> heads = new ArrayList<>();
            for (JsonNode h : r.array(root, "heads")) {
                List<String> labels = new ArrayList<>();
                for (JsonNode label : r.array(h, "labels")) {
                    labels.add(label.asText());
                }
                List<Dense> layers = new ArrayList<>();
                for (JsonNode l : r.array(h, "layers")) {
                    layers.add(new Dense(r.integer(l, "inputs"), r.integer(l, "outputs"), r.floats(l, "weights"),
                            r.floats(l, "bias"), r.enumValue(l, "activation", Activation.class)));
                }
                heads.add(new Head(r.text(h, "name"), r.enumValue(h, "kind", HeadKind.class), labels,
                        r.floats(h, "inputMean"), r.floats(h, "inputScale"), layers));
            }
            Map<String, Thresholds> thresholds = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.object(root, "thresholds").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                thresholds.put(e.getKey(), new Thresholds(r.number(e.getValue(), "review"), r.number(e.getValue(), "block")));
            }
            Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
            JsonNode metricsNode = root.path("metrics");
            for (Iterator<Map.Entry<String, JsonNode>> it = metricsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> task = it.next();
                Map<String, Double> values = new LinkedHashMap<>();
                task.getValue().fields().forEachRemaining(m -> values.put(m.getKey(), m.getValue().asDouble()));
                metrics.put(task.getKey(), values);
            }
            JsonNode p = r.object(root, "provenance");
            List<Provenance.DataRef> data = new ArrayList<>();
            for (JsonNode d : p.path("trainingData")) {
                data.add(new Provenance.DataRef(r.text(d, "task"), r.text(d, "split"), r.text(d, "path"),
                        r.text(d, "sha256"), r.integer(d, "rows")));
            }
            Map<String, String> notes = new LinkedHashMap<>();
            p.path("notes").fields().forEachRemaining(n -> notes.put(n.getKey(), n.getValue().asText()));
            JsonNode parent = p.get("parentVersion");
            Provenance provenance = new Provenance(r.text(p, "createdAt"),
                    parent == null || parent.isNull() ? null : parent.asText(), p.path("seed").asLong(), data, notes);
            return new HeadsModel(r.text(root, "version"), r.text(encoder, "id"), r.text(encoder, "vocabHash"),
                    r.integer(encoder, "maxLength"), r.enumValue(root, "feature", Feature.class), heads, thresholds,
                    metrics, provenance);
        } catch (IllegalArgumentException e) {
            throw new HeadsFileException(file, "invalid model: " + e.getMessage(), e);
        }
    }

    static String encode(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** Field access that names the missing or mistyped field in its error. */
    private record Reader(Path file) {
        JsonNode field(JsonNode node, String name) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                throw new HeadsFileException(file, "missing field '" + name + "'");
            }
            return value;
        }

        String text(JsonNode node, String name) {
            JsonNode v = field(node, name);
            if (!v.isTextual()) {
                throw new HeadsFileException(file, "field '" + name + "' must be a string");
            }
            return v.asText();
        }

        int integer(JsonNode node, String name) {
            JsonNode v = field(node, name);
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                throw new HeadsFileException(file, "field '" + name + "' must be an integer");
            }
            return v.asInt();
        }

        double number(JsonNode node, String name) {
            JsonNode v = field(node, name);
            if (!v.isNumber()) {
                throw new HeadsFileException(file, "field '" + name + "' must be a number");
            }
            return v.asDouble();
        }

        JsonNode object(JsonNode node, String name) {
            JsonNode v = field(node, name);
            if (!v.isObject()) {
                throw new HeadsFileException(file, "field '" + name + "' must be an object");
            }
            return v;
        }

        JsonNode array(JsonNode node, String name) {
            JsonNode v = field(node, name);
            if (!v.isArray()) {
                throw new HeadsFileException(file, "field '" + name + "' must be an array");
            }
            return v;
        }

        <E extends Enum<E>> E enumValue(JsonNode node, String name, Class<E> type) {
            String value = text(node, name);
            try {
                return Enum.valueOf(type, value);
            } catch (IllegalArgumentException e) {
                throw new HeadsFileException(file, "field '" + name + "' is '" + value + "', expected one of "
                        + java.util.Arrays.toString(type.getEnumConstants()));
            }
        }

        float[] floats(JsonNode node, String name) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(text(node, name));
            } catch (IllegalArgumentException e) {
                throw new HeadsFileException(file, "field '" + name + "' is not base64: " + e.getMessage());
            }
            if (bytes.length % Float.BYTES != 0) {
                throw new HeadsFileException(file, "field '" + name + "' holds " + bytes.length
                        + " bytes, not a whole number of float32");
            }
            float[] values = new float[bytes.length / Float.BYTES];
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        }
    }
}
