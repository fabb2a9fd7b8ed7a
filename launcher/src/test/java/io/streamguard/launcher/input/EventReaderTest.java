package io.streamguard.launcher.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventReaderTest {

    @Test
    void readsAFullJsonlRecord() {
        List<InputEvent> events = readAll(
                InputFormat.JSONL,
                "{\"id\":\"e1\",\"text\":\"hello\",\"language\":\"en\",\"source\":\"chat\",\"author\":\"u7\","
                        + "\"eventTime\":\"2024-05-01T12:00:00Z\",\"attributes\":{\"room\":\"42\",\"n\":7,\"vip\":true}}");

        assertThat(events)
                .containsExactly(new InputEvent(
                        "e1",
                        "hello",
                        "en",
                        "chat",
                        "u7",
                        Instant.parse("2024-05-01T12:00:00Z"),
                        Map.of("room", "42", "n", "7", "vip", "true"),
                        1));
    }

    @Test
    void generatesIdsAndSkipsBlankLinesButKeepsCountingThem() {
        List<InputEvent> events =
                readAll(InputFormat.JSONL, "{\"text\":\"a\"}\n\n   \n{\"id\":\"\",\"text\":\"b\",\"language\":null}\n");

        assertThat(events).extracting(InputEvent::id).containsExactly("gen-1", "gen-2");
        assertThat(events).extracting(InputEvent::lineNumber).containsExactly(1L, 4L);
        assertThat(events.get(1).language()).isNull();
        assertThat(events.get(1).attributes()).isEmpty();
    }

    @Test
    void eventTimeAcceptsOffsetsAndEpochMillis() {
        List<InputEvent> events = readAll(
                InputFormat.JSONL,
                "{\"text\":\"a\",\"eventTime\":\"2024-05-01T14:00:00+02:00\"}\n{\"text\":\"b\",\"eventTime\":1714564800000}");

        assertThat(events)
                .extracting(InputEvent::eventTime)
                .containsExactly(Instant.parse("2024-05-01T12:00:00Z"), Instant.ofEpochMilli(1714564800000L));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      not json at all                                  | line 3: invalid JSON
      {"text":"a"} trailing                             | line 3: invalid JSON
      {"text":"a","text":"b"}                           | line 3: invalid JSON: Duplicate field 'text'
      ["text"]                                          | line 3: expected a JSON object, found an array
      {"id":"x"}                                        | line 3: missing required field 'text'
      {"text":"  "}                                     | line 3: 'text' is empty
      {"text":42}                                       | line 3: field 'text' must be a string, found a number
      {"text":"a","txt":"b"}                            | line 3: unknown field 'txt'
      {"text":"a","eventTime":"yesterday"}              | line 3: field 'eventTime' is not an ISO-8601 date-time
      {"text":"a","eventTime":true}                     | line 3: field 'eventTime' must be an ISO-8601 string or epoch milliseconds
      {"text":"a","attributes":[1]}                     | line 3: field 'attributes' must be an object, found an array
      {"text":"a","attributes":{"k":{"x":1}}}           | line 3: attribute 'k' must be a string, number or boolean, found an object
      """)
    void badJsonlLinesNameTheirLineNumber(String badLine, String expectedMessage) {
        EventReader reader =
                reader(InputFormat.JSONL, "{\"text\":\"ok\"}\n\n" + badLine + "\n{\"text\":\"never read\"}");
        assertThat(reader.next()).isPresent();

        assertThatThrownBy(reader::next)
                .isInstanceOf(InputFormatException.class)
                .hasMessageStartingWith(expectedMessage)
                .satisfies(
                        e -> assertThat(((InputFormatException) e).lineNumber()).isEqualTo(3));
    }

    @Test
    void tsvSplitsAtTheFirstTabAndGeneratesMissingIds() {
        List<InputEvent> events = readAll(InputFormat.TSV, "x1\tfoo bar\n\n\ttext\twith\ttabs\r\n");

        assertThat(events)
                .extracting(InputEvent::id, InputEvent::text, InputEvent::lineNumber)
                .containsExactly(Tuple.tuple("x1", "foo bar", 1L), Tuple.tuple("gen-1", "text\twith\ttabs", 3L));
    }

    @Test
    void tsvLineWithoutTabOrTextIsAnError() {
        EventReader noTab = reader(InputFormat.TSV, "a\tb\njust text\n");
        noTab.next();
        assertThatThrownBy(noTab::next).hasMessage("line 2: expected id<TAB>text, found no tab");

        assertThatThrownBy(reader(InputFormat.TSV, "id\t \n")::next).hasMessage("line 1: 'text' is empty");
    }

    @Test
    void byteOrderMarkIsIgnoredAndInvalidUtf8IsReportedByLine() {
        assertThat(readAll(InputFormat.JSONL, "\uFEFF{\"text\":\"a\"}")).hasSize(1);

        byte[] input = "{\"text\":\"a\"}\n{\"text\":\"\u00ff\"}\n".getBytes(StandardCharsets.ISO_8859_1); // bare 0xFF
        EventReader reader = new EventReader(new ByteArrayInputStream(input), InputFormat.JSONL);
        assertThat(reader.next()).isPresent();
        assertThatThrownBy(reader::next)
                .isInstanceOf(InputFormatException.class)
                .hasMessage("line 2: not valid UTF-8");
    }

    @Test
    void readingGoesOnAfterABadLineSoEveryBadLineCanBeListed() {
        byte[] input = "{\"text\":\"a\"}\n{\"text\":\"\u00ff\"}\nnope\n{\"text\":\"b\"}\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        EventReader reader = new EventReader(new ByteArrayInputStream(input), InputFormat.JSONL);
        assertThat(reader.next()).get().extracting(InputEvent::text).isEqualTo("a");
        assertThatThrownBy(reader::next).hasMessage("line 2: not valid UTF-8");
        assertThatThrownBy(reader::next).hasMessageStartingWith("line 3: invalid JSON");
        assertThat(reader.next()).get().extracting(InputEvent::lineNumber).isEqualTo(4L);
        assertThat(reader.next()).isEmpty();
    }

    @Test
    void anEmptyTextIsReadOnlyWhenAllowed() {
        byte[] input = "{\"id\":\"e\",\"text\":\"\"}\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(new EventReader(new ByteArrayInputStream(input), InputFormat.JSONL)::next)
                .hasMessage("line 1: 'text' is empty");
        assertThat(new EventReader(new ByteArrayInputStream(input), InputFormat.JSONL, true).next())
                .get()
                .extracting(InputEvent::text)
                .isEqualTo("");
    }

    @Test
    void formatFollowsTheFileExtension() {
        assertThat(InputFormat.forFileName("data/Events.TSV")).isEqualTo(InputFormat.TSV);
        assertThat(InputFormat.forFileName("x.tab")).isEqualTo(InputFormat.TSV);
        assertThat(InputFormat.forFileName("x.jsonl")).isEqualTo(InputFormat.JSONL);
        assertThat(InputFormat.forFileName("x.txt")).isEqualTo(InputFormat.JSONL);
    }

    private static List<InputEvent> readAll(InputFormat format, String input) {
        EventReader reader = reader(format, input);
        List<InputEvent> out = new ArrayList<>();
        for (Optional<InputEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
            out.add(e.get());
        }
        return out;
    }

    private static EventReader reader(InputFormat format, String input) {
        AtomicInteger ids = new AtomicInteger();
        return new EventReader(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                format,
                () -> "gen-" + ids.incrementAndGet());
    }
}
