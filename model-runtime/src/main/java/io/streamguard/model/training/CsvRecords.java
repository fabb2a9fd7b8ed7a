package io.streamguard.model.training;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into records (RFC 4180): comma-separated fields, records ended by LF or CRLF (a final
 * line end is optional), fields in double quotes may hold commas, line ends and doubled quotes ({@code ""}
 * for one {@code "}). Strict like {@link DatasetReader}: a quote inside an unquoted field, text after a
 * closing quote, or a quote never closed is a {@link DatasetFormatException} naming the line, since each
 * means a file that is not what it claims and a guessed split would train on the wrong text. Each record
 * keeps the line it starts on, which is not its index once a quoted field spans lines.
 */
final class CsvRecords {

    /** One record: its fields, and the 1-based line it starts on. */
    record Csv(List<String> fields, int line) {}

    private CsvRecords() {}

    /** The records of {@code content} (decoded, without BOM); {@code file} only names errors. */
    static List<Csv> parse(Path file, String content) {
        List<Csv> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        int i = 0;
        int n = content.length();
        while (i < n) {
            char c = content.charAt(i);
            if (c == '"' && field.isEmpty()) {
                int opened = line;
                i++;
                while (true) {
                    if (i >= n) {
                        throw new DatasetFormatException(file, opened, "quoted field never closed");
                    }
                    char q = content.charAt(i);
                    if (q == '"') {
                        if (i + 1 < n && content.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (q == '\n') {
                        line++;
                    }
                    field.append(q);
                    i++;
                }
                if (i < n && !atFieldEnd(content, i)) {
                    throw new DatasetFormatException(file, line, "text after a closing quote (write \"\" for a quote)");
                }
                if (i == n) {
                    fields.add(field.toString());
                    records.add(new Csv(List.copyOf(fields), recordLine));
                    return records;
                }
                continue;
            }
            if (c == '"') {
                throw new DatasetFormatException(
                        file, line, "quote inside an unquoted field (quote the whole field and write \"\")");
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                i++;
            } else if (c == '\n' || (c == '\r' && i + 1 < n && content.charAt(i + 1) == '\n')) {
                fields.add(field.toString());
                field.setLength(0);
                records.add(new Csv(List.copyOf(fields), recordLine));
                fields.clear();
                i += c == '\r' ? 2 : 1;
                line++;
                recordLine = line;
            } else {
                field.append(c);
                i++;
            }
        }
        if (!fields.isEmpty() || !field.isEmpty()) {
            fields.add(field.toString());
            records.add(new Csv(List.copyOf(fields), recordLine));
        }
        return records;
    }

    /** Whether a field ends at {@code i}: a comma or a line end. */
    private static boolean atFieldEnd(String content, int i) {
        char c = content.charAt(i);
        return c == ',' || c == '\n' || (c == '\r' && i + 1 < content.length() && content.charAt(i + 1) == '\n');
    }
}
