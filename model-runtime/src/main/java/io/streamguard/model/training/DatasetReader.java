package io.streamguard.model.training;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads labelled text files, strictly: any malformed line is a {@link DatasetFormatException} naming the
 * file and line, never a silently dropped or guessed row. Files are UTF-8 (an initial BOM is ignored), with
 * LF or CRLF line ends; a final newline is optional.
 *
 * <ul>
 *   <li>TSV: {@code label<TAB>text}, exactly two columns. A tab inside the text is an error ("wrong
 *       column count") rather than part of the text: a third column far more often means a file with
 *       other columns (an id, a second label) than a text with a tab, and guessing would train on the
 *       wrong string. The first line may be a header: it is one when its first column is not a valid
 *       label but a column name ({@code label}, {@code text}, {@code sentence}, ...). A header naming the
 *       text column first ({@code sentence<TAB>label}, GLUE's original SST-2 layout) swaps the columns.
 *   <li>CSV (RFC 4180, see {@link CsvRecords}; COLD's layout): a header row naming the label column and
 *       the text column (names as for TSV headers, any case, e.g. COLD's {@code label} and {@code TEXT});
 *       other columns ({@code index}, {@code split}, {@code topic}) are ignored. Every record has the
 *       header's column count. A header is required: without one the columns cannot be told apart.
 *   <li>JSONL: one object per line with {@code "text"} (string) and {@code "label"} (string, or integer
 *       0/1); other fields are ignored.
 *   <li>Line-aligned pair (TweetEval): a text file and a labels file with one entry per line, same line
 *       count.
 * </ul>
 * Labels are those of {@link Task#parseLabel}. Empty lines and empty (blank) texts are errors, except that
 * the line-aligned reader can be told to skip empty texts, for TweetEval hate, whose train split has seven
 * empty tweets and whose val split has one.
 */
public final class DatasetReader {

    /** What to do with an empty text in a line-aligned pair. */
    public enum EmptyText {
        REJECT,
        SKIP
    }

    private static final Set<String> LABEL_COLUMNS = Set.of("label", "labels", "class", "category", "target", "y");
    private static final Set<String> TEXT_COLUMNS =
            Set.of("text", "sentence", "content", "sms", "message", "tweet", "document", "review");
    private static final ObjectMapper JSON = new ObjectMapper();

    private DatasetReader() {}

    /**
     * By extension: {@code .jsonl}, {@code .ndjson} and {@code .json} are JSONL, {@code .csv} is CSV, anything
     * else TSV.
     */
    public static Dataset read(Path file, Task task) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
            return readJsonl(file, task);
        }
        return name.endsWith(".csv") ? readCsv(file, task) : readTsv(file, task);
    }

    /** CSV under a header naming the label and text columns; see the class comment. */
    public static Dataset readCsv(Path file, Task task) {
        byte[] bytes = readBytes(file);
        List<CsvRecords.Csv> records = CsvRecords.parse(file, decode(file, bytes));
        if (records.isEmpty()) {
            throw new DatasetFormatException(file, 0, "no examples");
        }
        CsvRecords.Csv header = records.get(0);
        int labelColumn = csvColumn(file, header, LABEL_COLUMNS, "label");
        int textColumn = csvColumn(file, header, TEXT_COLUMNS, "text");
        List<LabeledText> rows = new ArrayList<>(records.size());
        for (CsvRecords.Csv record : records.subList(1, records.size())) {
            List<String> fields = record.fields();
            if (fields.size() == 1 && fields.get(0).isEmpty()) {
                throw new DatasetFormatException(file, record.line(), "empty line");
            }
            if (fields.size() != header.fields().size()) {
                throw new DatasetFormatException(
                        file,
                        record.line(),
                        "expected " + header.fields().size() + " comma-separated columns as in the header, found "
                                + fields.size() + " (quote a text that holds commas)");
            }
            rows.add(row(file, record.line(), task, fields.get(labelColumn), fields.get(textColumn)));
        }
        return dataset(file, task, file.toString(), sha256(bytes), rows, 0);
    }

    /** {@code label<TAB>text} lines, optionally under a header; see the class comment. */
    public static Dataset readTsv(Path file, Task task) {
        byte[] bytes = readBytes(file);
        List<String> lines = lines(file, bytes);
        List<LabeledText> rows = new ArrayList<>(lines.size());
        int labelColumn = 0;
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i);
            requireNotBlank(file, lineNumber, line);
            String[] columns = line.split("\t", -1);
            if (columns.length != 2) {
                throw new DatasetFormatException(
                        file,
                        lineNumber,
                        "expected 2 tab-separated columns (label<TAB>text), " + "found " + columns.length
                                + (columns.length > 2 ? " (a tab inside the text is not allowed)" : ""));
            }
            if (i == 0 && task.parseLabel(columns[0]) < 0 && task.parseLabel(columns[1]) < 0) {
                int header = headerLabelColumn(columns);
                if (header >= 0) {
                    labelColumn = header;
                    continue;
                }
            }
            rows.add(row(file, lineNumber, task, columns[labelColumn], columns[1 - labelColumn]));
        }
        return dataset(file, task, file.toString(), sha256(bytes), rows, 0);
    }

    /** {@code {"text": ..., "label": ...}} per line; see the class comment. */
    public static Dataset readJsonl(Path file, Task task) {
        byte[] bytes = readBytes(file);
        List<String> lines = lines(file, bytes);
        List<LabeledText> rows = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            requireNotBlank(file, lineNumber, lines.get(i));
            JsonNode node;
            try {
                node = JSON.readTree(lines.get(i));
            } catch (JsonProcessingException e) {
                throw new DatasetFormatException(file, lineNumber, "invalid JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                throw new DatasetFormatException(
                        file, lineNumber, "expected a JSON object {\"text\": ..., \"label\": ...}");
            }
            JsonNode text = node.get("text");
            JsonNode label = node.get("label");
            if (text == null || !text.isTextual()) {
                throw new DatasetFormatException(file, lineNumber, "\"text\" must be a string");
            }
            String rawLabel;
            if (label != null && label.isTextual()) {
                rawLabel = label.textValue();
            } else if (label != null && label.isIntegralNumber()) {
                rawLabel = label.asText();
            } else {
                throw new DatasetFormatException(
                        file,
                        lineNumber,
                        "\"label\" must be a string or an integer, is "
                                + (label == null ? "missing" : label.toString()));
            }
            rows.add(row(file, lineNumber, task, rawLabel, text.textValue()));
        }
        return dataset(file, task, file.toString(), sha256(bytes), rows, 0);
    }

    /** One text per line in {@code textFile}, its label on the same line of {@code labelsFile}. */
    public static Dataset readLineAligned(Path textFile, Path labelsFile, Task task, EmptyText emptyText) {
        byte[] textBytes = readBytes(textFile);
        byte[] labelBytes = readBytes(labelsFile);
        List<String> texts = lines(textFile, textBytes);
        List<String> labels = lines(labelsFile, labelBytes);
        if (texts.size() != labels.size()) {
            boolean textShorter = texts.size() < labels.size();
            throw new DatasetFormatException(
                    textShorter ? textFile : labelsFile,
                    Math.min(texts.size(), labels.size()),
                    "ends here, but " + (textShorter ? labelsFile : textFile) + " has "
                            + Math.max(texts.size(), labels.size()) + " lines; text and labels must be line-aligned");
        }
        List<LabeledText> rows = new ArrayList<>(texts.size());
        int skipped = 0;
        for (int i = 0; i < texts.size(); i++) {
            int lineNumber = i + 1;
            requireNotBlank(labelsFile, lineNumber, labels.get(i));
            int label = task.parseLabel(labels.get(i));
            if (label < 0) {
                throw unknownLabel(labelsFile, lineNumber, task, labels.get(i));
            }
            if (texts.get(i).isBlank()) {
                if (emptyText == EmptyText.SKIP) {
                    skipped++;
                    continue;
                }
                throw new DatasetFormatException(textFile, lineNumber, "empty text");
            }
            rows.add(new LabeledText(texts.get(i), label, lineNumber));
        }
        MessageDigest digest = newSha256();
        digest.update(textBytes);
        digest.update(labelBytes);
        return dataset(
                textFile,
                task,
                textFile + " + " + labelsFile.getFileName(),
                HexFormat.of().formatHex(digest.digest()),
                rows,
                skipped);
    }

    /** Hex SHA-256 of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    /** The one column of the CSV header whose name (stripped, any case) is in {@code names}. */
    private static int csvColumn(Path file, CsvRecords.Csv header, Set<String> names, String what) {
        int found = -1;
        for (int i = 0; i < header.fields().size(); i++) {
            if (names.contains(header.fields().get(i).strip().toLowerCase(Locale.ROOT))) {
                if (found >= 0) {
                    throw new DatasetFormatException(
                            file,
                            header.line(),
                            "the header names more than one " + what + " column " + header.fields());
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new DatasetFormatException(
                    file,
                    header.line(),
                    "the first row must be a header naming the " + what + " column (one of " + new TreeSet<>(names)
                            + "), found " + header.fields());
        }
        return found;
    }

    /** 0 or 1 if the header names the label column first or second, -1 if this is not a header row. */
    private static int headerLabelColumn(String[] columns) {
        String first = columns[0].strip().toLowerCase(Locale.ROOT);
        String second = columns[1].strip().toLowerCase(Locale.ROOT);
        if (LABEL_COLUMNS.contains(first) || TEXT_COLUMNS.contains(second)) {
            return 0;
        }
        if (TEXT_COLUMNS.contains(first) && LABEL_COLUMNS.contains(second)) {
            return 1;
        }
        return -1;
    }

    private static LabeledText row(Path file, int lineNumber, Task task, String rawLabel, String text) {
        int label = task.parseLabel(rawLabel);
        if (label < 0) {
            throw unknownLabel(file, lineNumber, task, rawLabel);
        }
        if (text.isBlank()) {
            throw new DatasetFormatException(file, lineNumber, "empty text");
        }
        return new LabeledText(text, label, lineNumber);
    }

    private static DatasetFormatException unknownLabel(Path file, int lineNumber, Task task, String rawLabel) {
        String shown = rawLabel.length() > 40 ? rawLabel.substring(0, 40) + "..." : rawLabel;
        return new DatasetFormatException(
                file,
                lineNumber,
                "unknown label \"" + shown + "\" for task " + task.id() + "; expected " + task.acceptedLabels());
    }

    private static void requireNotBlank(Path file, int lineNumber, String line) {
        if (line.isBlank()) {
            throw new DatasetFormatException(file, lineNumber, "empty line");
        }
    }

    private static Dataset dataset(
            Path file, Task task, String source, String sha256, List<LabeledText> rows, int skipped) {
        if (rows.isEmpty()) {
            throw new DatasetFormatException(file, 0, "no examples");
        }
        return new Dataset(task, source, sha256, rows, skipped);
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new DatasetFormatException(file, 0, "no such file");
        } catch (IOException e) {
            throw new DatasetFormatException(file, "cannot read: " + e, e);
        }
    }

    /** Strict UTF-8 lines without their LF/CRLF ends; a final line end does not start another line. */
    private static List<String> lines(Path file, byte[] bytes) {
        String content = decode(file, bytes);
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < content.length()) {
            int end = content.indexOf('\n', start);
            int next = end < 0 ? content.length() : end + 1;
            if (end < 0) {
                end = content.length();
            }
            if (end > start && content.charAt(end - 1) == '\r') {
                end--;
            }
            lines.add(content.substring(start, end));
            start = next;
        }
        return lines;
    }

    /** {@code bytes} as strict UTF-8, an initial BOM dropped. */
    private static String decode(Path file, byte[] bytes) {
        String content;
        try {
            content = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new DatasetFormatException(file, firstBadLine(bytes), "not valid UTF-8");
        }
        return content.startsWith("\uFEFF") ? content.substring(1) : content;
    }

    /** The line of the first byte sequence that is not UTF-8, found by decoding line by line. */
    private static int firstBadLine(byte[] bytes) {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                try {
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, start, i - start));
                } catch (CharacterCodingException e) {
                    return line;
                }
                line++;
                start = i + 1;
            }
        }
        return 0;
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
