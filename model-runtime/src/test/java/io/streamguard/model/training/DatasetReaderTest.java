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

    @Test
    void coldCsvWithBomQuotedCommasDoubledQuotesAndOtherColumnsIgnored() throws Exception {
        Path p = file(
                "cold.csv",
                "\uFEFF,split,topic,label,TEXT\n"
                        + "7089,train,race,1,也是，想想物流爆仓\n"
                        + "10983,train,race,0,\"说的好。亚洲人在那里也属于,少数族裔\"\n"
                        + "2453,train,region,1,\"其实是\\\"\"新上海人\\\"\"，别问\"\n");
        Dataset d = DatasetReader.read(p, Task.OFFENSIVE);
        assertThat(d.texts()).containsExactly("也是，想想物流爆仓", "说的好。亚洲人在那里也属于,少数族裔", "其实是\\\"新上海人\\\"，别问");
        assertThat(d.labels()).containsExactly(1, 0, 1);
        assertThat(d.rows()).extracting(LabeledText::line).containsExactly(2, 3, 4);
        assertThat(d.sha256()).isEqualTo(DatasetReader.sha256(Files.readAllBytes(p)));
    }

    @Test
    void csvQuotedLineEndsStayInTheTextAndRowsKeepTheLineTheyStartOn() throws Exception {
        Path p = file("multi.csv", "text,label\r\n\"first line\r\nsecond, line\",1\r\nplain,0\r\n\"\",0");
        // The empty quoted text on line 5 is still an empty text, found on the line it starts on.
        assertThatThrownBy(() -> DatasetReader.readCsv(p, Task.HATE)).hasMessage(p + ":5: empty text");
        Path ok = file("multi2.csv", "text,label\n\"first line\nsecond, line\",1\nplain,0");
        Dataset d = DatasetReader.readCsv(ok, Task.HATE);
        assertThat(d.texts()).containsExactly("first line\nsecond, line", "plain");
        assertThat(d.rows()).extracting(LabeledText::line).containsExactly(2, 4);
    }

    @Test
    void csvErrorsNameTheLine() throws Exception {
        String header = "id,label,text\n";
        assertCsvError("id,text\n1,hello\n", 1, "the first row must be a header naming the label column");
        assertCsvError("0,hello\n1,bye\n", 1, "the first row must be a header naming the label column");
        assertCsvError("label,text,sentence\n1,a,b\n", 1, "the header names more than one text column");
        assertCsvError(
                header + "1,0,fine\n2,1,a, b\n",
                3,
                "expected 3 comma-separated columns as in the header, found 4 (quote a text that holds commas)");
        assertCsvError(header + "1,0,fine\n\n2,1,after\n", 3, "empty line");
        assertCsvError(header + "1,0,fine\n2,1,\"never closed\n3,0,x\n", 3, "quoted field never closed");
        assertCsvError(header + "1,0,say \"hi\"\n", 2, "quote inside an unquoted field");
        assertCsvError(header + "1,0,\"hi\" there\n", 2, "text after a closing quote");
        assertCsvError(header + "1,2,fine\n", 2, "unknown label \"2\"");
        assertCsvError(header, 0, "no examples");
    }

    private void assertCsvError(String content, int line, String problem) throws Exception {
        Path p = file("e.csv", content);
        assertThatThrownBy(() -> DatasetReader.read(p, Task.OFFENSIVE))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith(p + (line > 0 ? ":" + line : "") + ": " + problem)
                .extracting(e -> ((DatasetFormatException) e).line())
                .isEqualTo(line);
    }

    @Test
    void chnSentiCorpTsvHeaderNamesTheLabelFirst() throws Exception {
        Path p = file("dev.tsv", "label\ttext_a\n1\t這間酒店環境和服務態度亦算不錯,但房間空間太小\n0\t一个词----\"大失所望\"!!!\n");
        Dataset d = DatasetReader.read(p, Task.SENTIMENT);
        assertThat(d.labels()).containsExactly(1, 0);
        assertThat(d.texts()).containsExactly("這間酒店環境和服務態度亦算不錯,但房間空間太小", "一个词----\"大失所望\"!!!");
    }
}
