package io.streamguard.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetReaderTest {

    @TempDir
    Path dir;

    private Path file(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, content.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    @Test
    void tsvWithHeaderCrlfAndNamedLabels() throws Exception {
        Path p = file("spam.tsv", "Label\tSMS\r\nham\tsee you at 5\r\nSPAM\tWIN a prize now\r\n1\tcall 0800\r\n");
        Dataset d = DatasetReader.read(p, Task.SPAM);
        assertThat(d.texts()).containsExactly("see you at 5", "WIN a prize now", "call 0800");
        assertThat(d.labels()).containsExactly(0, 1, 1);
        assertThat(d.rows().get(0).line()).isEqualTo(2);
        assertThat(d.sha256()).isEqualTo(DatasetReader.sha256(Files.readAllBytes(p)));
    }

    @Test
    void tsvWithoutHeaderAndWithoutFinalNewline() throws Exception {
        Dataset d = DatasetReader.readTsv(file("s.tsv", "0\tbad film\npositive\tgreat film"), Task.SENTIMENT);
        assertThat(d.labels()).containsExactly(0, 1);
        assertThat(d.texts()).containsExactly("bad film", "great film");
    }

    @Test
    void headerNamingTheTextFirstSwapsTheColumns() throws Exception {
        Dataset d = DatasetReader.readTsv(file("glue.tsv", "sentence\tlabel\nawful\t0\nlovely\t1\n"), Task.SENTIMENT);
        assertThat(d.texts()).containsExactly("awful", "lovely");
        assertThat(d.labels()).containsExactly(0, 1);
    }

    @Test
    void firstLineWithAnUnknownLabelThatIsNoHeaderIsAnError() throws Exception {
        Path p = file("bad.tsv", "maybe\tsome text\n1\tok\n");
        assertThatThrownBy(() -> DatasetReader.readTsv(p, Task.HATE))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(p + ":1: unknown label \"maybe\" for task hate; expected 0, 1, not-hate, hate (any case)");
    }

    @Test
    void tsvErrorsNameTheLine() throws Exception {
        assertError("label\ttext\n1\tfine\n2\tnope\n", 3, "unknown label \"2\"");
        assertError("1\tfine\n\n0\tafter an empty line\n", 2, "empty line");
        assertError("1\tfine\n0\n", 2, "expected 2 tab-separated columns (label<TAB>text), found 1");
        assertError(
                "1\tfine\n0\ta\ttab\n",
                2,
                "expected 2 tab-separated columns (label<TAB>text), found 3 (a tab inside the text is not allowed)");
        assertError("1\tfine\n0\t   \n", 2, "empty text");
        assertError("label\ttext\n", 0, "no examples");
    }

    private void assertError(String content, int line, String problem) throws Exception {
        Path p = file("e.tsv", content);
        assertThatThrownBy(() -> DatasetReader.readTsv(p, Task.OFFENSIVE))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith(p + (line > 0 ? ":" + line : "") + ": " + problem)
                .extracting(e -> ((DatasetFormatException) e).line())
                .isEqualTo(line);
    }

    @Test
    void invalidUtf8NamesItsLine() throws Exception {
        Path p = dir.resolve("latin1.tsv");
        Files.write(p, new byte[] {'1', '\t', 'o', 'k', '\n', '0', '\t', 'c', 'a', 'f', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> DatasetReader.readTsv(p, Task.SENTIMENT)).hasMessage(p + ":2: not valid UTF-8");
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nope.tsv");
        assertThatThrownBy(() -> DatasetReader.read(p, Task.SPAM))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(p + ": no such file");
    }

    @Test
    void jsonlAcceptsStringAndNumberLabelsAndIgnoresOtherFields() throws Exception {
        Path p = file(
                "d.jsonl",
                "{\"text\": \"you idiot\", \"label\": 1, \"id\": 7}\n"
                        + "{\"label\": \"Not-Offensive\", \"text\": \"have a nice day\"}\n");
        Dataset d = DatasetReader.read(p, Task.OFFENSIVE);
        assertThat(d.texts()).containsExactly("you idiot", "have a nice day");
        assertThat(d.labels()).containsExactly(1, 0);
    }

    @Test
    void jsonlErrorsNameTheLine() throws Exception {
        String ok = "{\"text\": \"a\", \"label\": 0}\n";
        assertJsonlError(ok + "{\"text\": \"b\", \"label\": 0\n", 2, "invalid JSON");
        assertJsonlError(ok + "[1, 2]\n", 2, "expected a JSON object");
        assertJsonlError(ok + "{\"label\": 0}\n", 2, "\"text\" must be a string");
        assertJsonlError(
                ok + "{\"text\": \"b\", \"label\": 0.5}\n", 2, "\"label\" must be a string or an integer, is 0.5");
        assertJsonlError(ok + "{\"text\": \"b\", \"label\": true}\n", 2, "\"label\" must be a string or an integer");
        assertJsonlError(ok + "{\"text\": \"b\", \"label\": 3}\n", 2, "unknown label \"3\"");
        assertJsonlError(ok + "{\"text\": \"\", \"label\": 1}\n", 2, "empty text");
        assertJsonlError(ok + "  \n" + ok, 2, "empty line");
    }

    private void assertJsonlError(String content, int line, String problem) throws Exception {
        Path p = file("e.jsonl", content);
        assertThatThrownBy(() -> DatasetReader.read(p, Task.HATE))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith(p + ":" + line + ": " + problem);
    }

    @Test
    void lineAlignedPairSkipsOrRejectsEmptyTexts() throws Exception {
        Path text = file("t.txt", "first tweet \n\nthird tweet\n");
        Path labels = file("l.txt", "0\n1\n1\n");
        Dataset skipping = DatasetReader.readLineAligned(text, labels, Task.HATE, DatasetReader.EmptyText.SKIP);
        assertThat(skipping.texts()).containsExactly("first tweet ", "third tweet");
        assertThat(skipping.labels()).containsExactly(0, 1);
        assertThat(skipping.rows().get(1).line()).isEqualTo(3);
        assertThat(skipping.skipped()).isEqualTo(1);
        assertThatThrownBy(() -> DatasetReader.readLineAligned(text, labels, Task.HATE, DatasetReader.EmptyText.REJECT))
                .hasMessage(text + ":2: empty text");
    }

    @Test
    void lineAlignedPairMustHaveEqualLineCounts() throws Exception {
        Path text = file("t.txt", "a\nb\nc\n");
        Path labels = file("l.txt", "0\n1\n");
        assertThatThrownBy(() -> DatasetReader.readLineAligned(text, labels, Task.HATE, DatasetReader.EmptyText.SKIP))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(
                        labels + ":2: ends here, but " + text + " has 3 lines; text and labels must be line-aligned");
        Path badLabel = file("l2.txt", "0\nhateful\n1\n");
        assertThatThrownBy(() -> DatasetReader.readLineAligned(text, badLabel, Task.HATE, DatasetReader.EmptyText.SKIP))
                .hasMessageStartingWith(badLabel + ":2: unknown label \"hateful\"");
    }
}
