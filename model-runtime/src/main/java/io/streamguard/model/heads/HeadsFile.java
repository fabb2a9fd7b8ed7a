package io.streamguard.model.heads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamguard.model.encoder.LowRankAdapters;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Reads and writes {@link HeadsModel}s as JSON: readable metadata (version, encoder, labels,
 * thresholds, metrics, provenance) with weights as base64 little-endian float32, or float16 where a
 * layer's weights are all exact halves ({@code "weightsDtype": "float16"}; the trainer rounds them so),
 * which halves the file. Either way a file round trips bit for bit.
 *
 * <pre>{@code
 * {"format": "streamguard-heads", "formatVersion": 1, "version": "v1",
 *  "encoder": {"id": "bert-base-uncased", "vocabHash": "...", "maxLength": 128},
 *  "feature": "POOLED_AND_MEAN",
 *  "heads": [{"name": "moderation", "kind": "SIGMOID", "labels": ["offensive", "hate", "spam"],
 *             "inputMean": "<b64>", "inputScale": "<b64>",
 *             "layers": [{"inputs": 1536, "outputs": 3, "activation": "NONE", "weightsDtype": "float16",
 *                         "weights": "<b64>", "bias": "<b64>"}]}],
 *  "thresholds": {"hate": {"review": 0.41, "block": 0.83}, ...},
 *  "metrics": {"hate": {"macroF1": 0.72}, ...},
 *  "provenance": {"createdAt": "...", "parentVersion": null, "seed": 42, "trainingData": [...], "notes": {...}},
 *  "adapters": {"rank": 8, "alpha": 16.0, "kernels": {"encoder.layer.0.attention.self.query.weight":
 *               {"in": 384, "out": 384, "dtype": "float16", "a": "<b64>", "b": "<b64>"}, ...}}}
 * }</pre>
 * {@code adapters} is optional (absent: heads for the frozen encoder); factors are stored like layer weights,
 * float16 where every value of the kernel's {@code a} and {@code b} is an exact half ({@link
 * Float16#round(LowRankAdapters)}), else float32. The format version stays 1, so every existing file reads
 * unchanged; the catch is that a build older than this one would silently ignore the field and serve the heads
 * on the frozen encoder, so roll readers out before publishing a tuned model.
 * The same JSON is the payload a model version carries on the wire ({@link #toJson}/{@link #fromJson}).
 */
public final class HeadsFile {

    public static final String FORMAT = "streamguard-heads";
    public static final int FORMAT_VERSION = 1;

    private static final String FLOAT32 = "float32";
    private static final String FLOAT16 = "float16";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS); // "{...} junk" is a damaged file

    private HeadsFile() {}

    /**
     * @throws HeadsFileException if the file is missing, not JSON, of another format version, or
     *     describes an invalid model (the message names the field)
     */
    public static HeadsModel read(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new HeadsFileException(file, "no such file", e);
        } catch (CharacterCodingException e) {
            throw new HeadsFileException(file, "not UTF-8 text (" + e + ")", e);
        } catch (IOException e) {
            throw new HeadsFileException(file, "cannot read: " + e, e);
        }
        return parse(json, file);
    }

    /**
     * Writes atomically: a temporary file in the same directory, flushed to disk, then renamed over
     * {@code file}, so a reader (or a restart after a crash) sees the old model or the new one, never
     * half of one.
     *
     * @throws HeadsFileException if the directory or file cannot be written
     */
    public static void write(HeadsModel model, Path file) {
        byte[] bytes = (toJson(model) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            // Not Files.createTempFile: it creates the file 0600, and the rename would carry that mode onto
            // the model, unreadable to a server running as another user. createFile honours the umask.
            Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
            try {
                try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    out.force(true); // data on disk before the rename publishes it
                }
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
                if (Float16.allExact(layer.weights())) {
                    l.put("weightsDtype", FLOAT16);
                    l.put("weights", encodeHalves(layer.weights()));
                } else {
                    l.put("weights", encode(layer.weights()));
                }
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
        if (model.adapters() != null) {
            writeAdapters(model.adapters(), root.putObject("adapters"));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise model " + model.version(), e);
        }
    }

    private static void writeAdapters(LowRankAdapters adapters, ObjectNode node) {
        node.put("rank", adapters.rank());
        node.put("alpha", adapters.alpha());
        ObjectNode kernels = node.putObject("kernels");
        adapters.kernels().keySet().stream().sorted().forEach(name -> {
            LowRankAdapters.Pair p = adapters.kernels().get(name);
            ObjectNode k = kernels.putObject(name);
            k.put("in", p.in());
            k.put("out", p.out());
            if (Float16.allExact(p.a()) && Float16.allExact(p.b())) {
                k.put("dtype", FLOAT16);
                k.put("a", encodeHalves(p.a()));
                k.put("b", encodeHalves(p.b()));
            } else {
                k.put("dtype", FLOAT32);
                k.put("a", encode(p.a()));
                k.put("b", encode(p.b()));
            }
        });
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
        if (!root.isObject()) {
            throw new HeadsFileException(
                    file,
                    "not a heads file: expected a JSON object, found "
                            + (root.isMissingNode()
                                    ? "nothing"
                                    : root.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        Reader r = new Reader(file, "");
        try {
            String format = r.text(root, "format");
            if (!FORMAT.equals(format)) {
                throw new HeadsFileException(file, "format is '" + format + "', expected '" + FORMAT + "'");
            }
            int formatVersion = r.integer(root, "formatVersion");
            if (formatVersion != FORMAT_VERSION) {
                throw new HeadsFileException(
                        file,
                        "format version " + formatVersion + " is not supported (this build reads " + FORMAT_VERSION
                                + ")");
            }
            JsonNode encoder = r.object(root, "encoder");
            Reader re = r.in("encoder");
            List<Head> heads = new ArrayList<>();
            for (JsonNode h : r.array(root, "heads")) {
                Reader rh = r.in("heads[" + heads.size() + "]");
                List<String> labels = new ArrayList<>();
                for (JsonNode label : rh.array(h, "labels")) {
                    if (!label.isTextual()) {
                        throw new HeadsFileException(
                                file, "field '" + rh.prefix() + "labels' must hold strings, found " + label);
                    }
                    labels.add(label.asText());
                }
                List<Dense> layers = new ArrayList<>();
                for (JsonNode l : rh.array(h, "layers")) {
                    Reader rl = rh.in("layers[" + layers.size() + "]");
                    Dense layer;
                    try {
                        layer = new Dense(
                                rl.integer(l, "inputs"),
                                rl.integer(l, "outputs"),
                                rl.weights(l),
                                rl.floats(l, "bias"),
                                rl.enumValue(l, "activation", Activation.class));
                    } catch (IllegalArgumentException e) {
                        // Dense says what is wrong but not where.
                        throw new HeadsFileException(
                                file,
                                "invalid layer '" + rh.prefix() + "layers[" + layers.size() + "]': " + e.getMessage(),
                                e);
                    }
                    layers.add(layer);
                }
                heads.add(new Head(
                        rh.text(h, "name"),
                        rh.enumValue(h, "kind", HeadKind.class),
                        labels,
                        rh.floats(h, "inputMean"),
                        rh.floats(h, "inputScale"),
                        layers));
            }
            Map<String, Thresholds> thresholds = new LinkedHashMap<>();
            JsonNode thresholdsNode = r.object(root, "thresholds");
            for (Iterator<String> it = thresholdsNode.fieldNames(); it.hasNext(); ) {
                String label = it.next();
                JsonNode t = r.in("thresholds").object(thresholdsNode, label);
                Reader rt = r.in("thresholds." + label);
                thresholds.put(label, new Thresholds(rt.number(t, "review"), rt.number(t, "block")));
            }
            Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
            JsonNode metricsNode = r.object(root, "metrics");
            for (Iterator<String> it = metricsNode.fieldNames(); it.hasNext(); ) {
                String task = it.next();
                JsonNode values = r.in("metrics").object(metricsNode, task);
                Reader rm = r.in("metrics." + task);
                Map<String, Double> taskMetrics = new LinkedHashMap<>();
                values.fieldNames().forEachRemaining(metric -> taskMetrics.put(metric, rm.number(values, metric)));
                metrics.put(task, taskMetrics);
            }
            JsonNode p = r.object(root, "provenance");
            Reader rp = r.in("provenance");
            List<Provenance.DataRef> data = new ArrayList<>();
            for (JsonNode d : rp.array(p, "trainingData")) {
                Reader rd = rp.in("trainingData[" + data.size() + "]");
                data.add(new Provenance.DataRef(
                        rd.text(d, "task"),
                        rd.text(d, "split"),
                        rd.text(d, "path"),
                        rd.text(d, "sha256"),
                        rd.integer(d, "rows")));
            }
            Map<String, String> notes = new LinkedHashMap<>();
            JsonNode notesNode = rp.object(p, "notes");
            notesNode
                    .fieldNames()
                    .forEachRemaining(n -> notes.put(n, rp.in("notes").text(notesNode, n)));
            JsonNode parent = p.get("parentVersion"); // optional: null for a model trained from scratch
            Provenance provenance = new Provenance(
                    rp.text(p, "createdAt"),
                    parent == null || parent.isNull() ? null : rp.text(p, "parentVersion"),
                    rp.longInteger(p, "seed"),
                    data,
                    notes);
            JsonNode adaptersNode = root.get("adapters"); // optional: absent for the frozen encoder
            LowRankAdapters adapters =
                    adaptersNode == null || adaptersNode.isNull() ? null : r.adapters(r.object(root, "adapters"));
            return new HeadsModel(
                    r.text(root, "version"),
                    re.text(encoder, "id"),
                    re.text(encoder, "vocabHash"),
                    re.integer(encoder, "maxLength"),
                    r.enumValue(root, "feature", Feature.class),
                    heads,
                    thresholds,
                    metrics,
                    provenance,
                    adapters);
        } catch (IllegalArgumentException e) {
            throw new HeadsFileException(file, "invalid model: " + e.getMessage(), e);
        }
    }

    static String encodeHalves(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Short.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putShort(Float16.fromFloat(v));
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    static String encode(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /**
     * Field access that names the missing or mistyped field in its error, by its path from the root
     * (e.g. {@code heads[1].layers[0].weights}).
     */
    private record Reader(Path file, String prefix) {
        /** A reader for the object at {@code child} (a path segment) below this one. */
        Reader in(String child) {
            return new Reader(file, prefix + child + ".");
        }

        JsonNode field(JsonNode node, String name) {
            JsonNode value = node.get(name);
            if (value == null || value.isNull()) {
                throw new HeadsFileException(file, "missing field '" + prefix + name + "'");
            }
            return value;
        }

        String text(JsonNode node, String name) {
            JsonNode v = field(node, name);
            if (!v.isTextual()) {
                throw new HeadsFileException(file, "field '" + prefix + name + "' must be a string");
            }
            return v.asText();
        }

        int integer(JsonNode node, String name) {
            JsonNode v = field(node, name);
            if (!v.canConvertToInt() || !v.isIntegralNumber()) {
                throw new HeadsFileException(file, "field '" + prefix + name + "' must be an integer");
            }
            return v.asInt();
        }

        long longInteger(JsonNode node, String name) {
            JsonNode v = field(node, name);
            if (!v.canConvertToLong() || !v.isIntegralNumber()) {
                throw new HeadsFileException(file, "field '" + prefix + name + "' must be an integer");
            }
            return v.asLong();
        }

        double number(JsonNode node, String name) {
            JsonNode v = field(node, name);
            if (!v.isNumber()) {
                throw new HeadsFileException(file, "field '" + prefix + name + "' must be a number");
            }
            return v.asDouble();
        }

        JsonNode object(JsonNode node, String name) {
            JsonNode v = field(node, name);
            if (!v.isObject()) {
                throw new HeadsFileException(file, "field '" + prefix + name + "' must be an object");
            }
            return v;
        }

        JsonNode array(JsonNode node, String name) {
            JsonNode v = field(node, name);
            if (!v.isArray()) {
                throw new HeadsFileException(file, "field '" + prefix + name + "' must be an array");
            }
            return v;
        }

        <E extends Enum<E>> E enumValue(JsonNode node, String name, Class<E> type) {
            String value = text(node, name);
            try {
                return Enum.valueOf(type, value);
            } catch (IllegalArgumentException e) {
                throw new HeadsFileException(
                        file,
                        "field '" + prefix + name + "' is '" + value + "', expected one of "
                                + Arrays.toString(type.getEnumConstants()));
            }
        }

        /** A layer's weights: float32 unless its optional {@code weightsDtype} says float16. */
        float[] weights(JsonNode layer) {
            return typed(layer, "weightsDtype", "weights");
        }

        /** The floats in {@code field}: float32 unless the optional {@code dtypeField} says float16. */
        float[] typed(JsonNode node, String dtypeField, String field) {
            JsonNode dtype = node.get(dtypeField);
            if (dtype == null || dtype.isNull() || FLOAT32.equals(dtype.asText())) {
                return floats(node, field);
            }
            if (!FLOAT16.equals(dtype.asText())) {
                throw new HeadsFileException(
                        file,
                        "field '" + prefix + dtypeField + "' is '" + dtype.asText() + "', expected " + FLOAT32 + " or "
                                + FLOAT16);
            }
            byte[] bytes = base64(node, field);
            if (bytes.length % Short.BYTES != 0) {
                throw new HeadsFileException(
                        file,
                        "field '" + prefix + field + "' holds " + bytes.length
                                + " bytes, not a whole number of float16");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.length / Short.BYTES];
            for (int i = 0; i < values.length; i++) {
                values[i] = Float16.toFloat(buffer.getShort());
            }
            return values;
        }

        /** The {@code adapters} object (this reader is the root's). */
        LowRankAdapters adapters(JsonNode node) {
            Reader ra = in("adapters");
            int rank = ra.integer(node, "rank");
            float alpha = (float) ra.number(node, "alpha");
            JsonNode kernelsNode = ra.object(node, "kernels");
            Map<String, LowRankAdapters.Pair> kernels = new LinkedHashMap<>();
            for (Iterator<String> it = kernelsNode.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                JsonNode k = ra.in("kernels").object(kernelsNode, name);
                Reader rk = ra.in("kernels." + name);
                try {
                    kernels.put(
                            name,
                            new LowRankAdapters.Pair(
                                    rk.integer(k, "in"),
                                    rk.integer(k, "out"),
                                    rk.typed(k, "dtype", "a"),
                                    rk.typed(k, "dtype", "b")));
                } catch (IllegalArgumentException e) {
                    throw new HeadsFileException(
                            file, "invalid adapter '" + ra.prefix() + "kernels." + name + "': " + e.getMessage(), e);
                }
            }
            try {
                return new LowRankAdapters(rank, alpha, kernels);
            } catch (IllegalArgumentException e) {
                throw new HeadsFileException(file, "invalid field 'adapters': " + e.getMessage(), e);
            }
        }

        private byte[] base64(JsonNode node, String name) {
            try {
                return Base64.getDecoder().decode(text(node, name));
            } catch (IllegalArgumentException e) {
                throw new HeadsFileException(file, "field '" + prefix + name + "' is not base64: " + e.getMessage());
            }
        }

        float[] floats(JsonNode node, String name) {
            byte[] bytes = base64(node, name);
            if (bytes.length % Float.BYTES != 0) {
                throw new HeadsFileException(
                        file,
                        "field '" + prefix + name + "' holds " + bytes.length
                                + " bytes, not a whole number of float32");
            }
            float[] values = new float[bytes.length / Float.BYTES];
            ByteBuffer.wrap(bytes)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(values);
            return values;
        }
    }
}
