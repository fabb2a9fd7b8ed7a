package io.streamguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.testing.TinyDatasets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code streamguard train} on {@link TinyDatasets} with the real MiniLM encoder (small heads: seconds),
 * then {@code streamguard eval} with the model it wrote; usage errors reach neither encoder nor data.
 */
class TrainEvalCommandTest {
    @TempDir
    static Path tmp;

    private static Path heads;
    private static CliRun train;

    @BeforeAll
    static void trainTinyModel() throws IOException {
        Path datasets = TinyDatasets.write(tmp.resolve("datasets"));
        heads = tmp.resolve("models/tiny/minilm-l6.json");
        train = CliRun.of(
                "train",
                "--encoder",
                "minilm-l6",
                "--version",
                "v-tiny",
                "--datasets",
                datasets.toString(),
                "--out",
                heads.toString(),
                "--feature-cache",
                tmp.resolve("features").toString(),
                "--hidden",
                "8",
                "--learning-rate",
                "0.01",
                "--max-epochs",
                "15",
                "--seed",
                "7",
                "--device",
                "cpu");
        Files.write(
                tmp.resolve("spam.tsv"),
                List.of(
                        "spam\tWINNER!! You have won a FREE laptop prize. Call 09061709999 now to claim",
                        "ham\their, are we still on for dinner at 8 on monday? see you there",
                        "spam\tWINNER!! you have won a FREE cruise prize, call 09061700001 to claim now",
                        "ham\they, still on for coffee at 10 on saturday? see you there",
                        "spam\tYou have won a FREE holiday prize! Call now to claim, txt WIN to 8999",
                        "ham\tare we still meeting for lunch at 1? see you there"));
        Files.write(
                tmp.resolve("sentiment.jsonl"),
                List.of(
                        "{\"text\": \"a superb and charming film , i loved it\", \"label\": \"positive\"}",
                        "{\"text\": \"a tedious , clumsy movie , i hated it\", \"label\": \"negative\"}",
                        "{\"text\": \"a brilliant , moving story , i loved it\", \"label\": 1}",
                        "{\"text\": \"an awful , boring performance , i hated it\", \"label\": 0}",
                        "{\"text\": \"a delightful movie , loved every minute\", \"label\": \"POSITIVE\", \"id\": 5}",
                        "{\"text\": \"a dreadful film , hated every minute\", \"label\": \"negative\"}"));
        Files.writeString(
                tmp.resolve("cold.csv"),
                "\uFEFF,split,topic,label,TEXT\n"
                        + "1,dev,race,1,\"@user you pathetic clown, shut your mouth\"\n"
                        + "2,dev,race,0,\"@user thanks for the \"\"kind\"\" advice, have a great day\"\n"
                        + "3,dev,gender,1,@user you stupid idiot shut your mouth\n"
                        + "4,dev,region,0,\"@user thanks for the lovely photo, have a great day\"\n");
    }

    @Test
    void trainWritesHeadsAndReportAndPrintsTheTable() throws IOException {
        assertThat(train.exitCode()).as(train.err()).isZero();
        Path report = tmp.resolve("models/tiny/minilm-l6.md");
        assertThat(train.out()).contains("wrote " + heads + " and " + report).startsWith("task ");
        List<String> rows = train.out().lines().skip(1).limit(4).toList();
        assertThat(rows)
                .extracting(row -> row.split("\\s+")[0])
                .containsExactly("offensive", "hate", "spam", "sentiment");
        assertThat(train.err()).contains("train: loading minilm-l6", "train: spam      epoch   1");

        HeadsModel model = HeadsFile.read(heads);
        assertThat(model.version()).isEqualTo("v-tiny");
        assertThat(model.encoderId()).isEqualTo("minilm-l6");
        assertThat(model.heads()).hasSize(4);
        assertThat(model.head("spam").layers().get(0).outputs()).isEqualTo(8);
        assertThat(model.provenance().seed()).isEqualTo(7);
        assertThat(model.provenance().notes().get("options.spam")).contains("seed=7", "learningRate=0.01");
        assertThat(model.provenance().trainingData())
                .allSatisfy(ref -> assertThat(ref.path()).doesNotStartWith("/"));

        String md = Files.readString(report);
        assertThat(md)
                .startsWith("# Model v-tiny on `minilm-l6`")
                .contains("- Seed 7;", "| spam | cv5 F1 | ", "| sentiment | accuracy | ")
                // Measured on the benign set's held-out half (thresholds may look at the other).
                .contains("## Over-blocking", "| offensive | " + TinyDatasets.TRAIN_PER_CLASS / 2 + " | ")
                .contains("| This movie was terrible, total waste of money | ")
                .doesNotContain(tmp.toString());
        assertThat(md.indexOf("## Over-blocking")).isLessThan(md.indexOf("## Data"));
        assertThat(train.out()).contains("\nbenign ", "\nany ");
    }

    @Test
    void evalTsvPrintsTheReportAtTheModelsThreshold() {
        CliRun run = eval(tmp.resolve("spam.tsv"), "--task", "spam");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out())
                .startsWith("examples 6   accuracy ")
                .contains(
                        "threshold "
                                + String.format(
                                        Locale.ROOT,
                                        "%.4f",
                                        HeadsFile.read(heads)
                                                .thresholds()
                                                .get("spam")
                                                .review()),
                        "macro avg",
                        "confusion matrix (rows: actual, columns: predicted)");
        assertThat(run.out().lines().filter(l -> l.matches("(ham|spam)\\s+\\d\\s+\\d")))
                .hasSize(2);
        assertThat(run.err()).contains("eval: spam: 6 rows, 3 spam (50.0 %), 3 ham", "model v-tiny on minilm-l6");
    }

    @Test
    void thresholdZeroFlagsEverything() {
        CliRun run = eval(tmp.resolve("spam.tsv"), "--task", "spam", "--threshold", "0");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("examples 6   accuracy 0.5000").contains("threshold 0.0000");
        assertThat(run.out().lines().filter(l -> l.matches("ham\\s+0\\s+3"))).hasSize(1);
        assertThat(run.out().lines().filter(l -> l.matches("spam\\s+0\\s+3"))).hasSize(1);
    }

    /** A CSV in COLD's layout (BOM, unnamed index, extra columns, quoted texts) is read by its extension. */
    @Test
    void evalCsvInColdsLayout() {
        CliRun run = eval(tmp.resolve("cold.csv"), "--task", "offensive");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("examples 4   accuracy ").contains("confusion matrix");
        assertThat(run.err()).contains("eval: offensive: 4 rows, 2 offensive (50.0 %), 2 not-offensive");
    }

    @Test
    void evalJsonlAsJsonWithPlot() throws IOException {
        Path png = tmp.resolve("plots/sentiment-pr.png");
        Files.createDirectories(png.getParent());
        CliRun run = eval(tmp.resolve("sentiment.jsonl"), "--task", "sentiment", "--json", "--plot", png.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.path("examples").asInt()).isEqualTo(6);
        assertThat(report.path("accuracy").isNumber()).isTrue();
        assertThat(report.path("accuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(report.path("classes")).hasSize(2);
        assertThat(report.path("classes").get(0).asText()).isEqualTo("negative");
        assertThat(run.err()).contains("eval: wrote " + png);
        byte[] bytes = Files.readAllBytes(png);
        assertThat(Arrays.copyOf(bytes, 8)).containsExactly(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
    }

    @Test
    void evalBenignAloneMeasuresEveryModerationLabel() {
        CliRun run = CliRun.of(
                "eval",
                "--benign",
                "--datasets",
                tmp.resolve("datasets").toString(),
                "--model",
                heads.toString(),
                "--device=cpu");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).startsWith("benign ").contains("reach review", "reach block");
        assertThat(lines.subList(1, 5))
                .extracting(l -> l.split("\\s+")[0])
                .containsExactly("offensive", "hate", "spam", "any");
        assertThat(lines.get(1).split("\\s+")[1])
                .as("the benign set's held-out half")
                .isEqualTo(String.valueOf(TinyDatasets.TRAIN_PER_CLASS / 2));
        assertThat(lines)
                .anyMatch(l -> l.matches("(ALLOW|REVIEW|BLOCK) +This movie was terrible, total waste of money.*"));
        assertThat(run.err()).contains("eval: benign set of ");
    }

    @Test
    void evalFileWithBenignAsJsonNestsTheOverBlocking() throws IOException {
        CliRun run = eval(
                tmp.resolve("spam.tsv"),
                "--task",
                "spam",
                "--benign",
                "--json",
                "--datasets",
                tmp.resolve("datasets").toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.out());
        assertThat(report.path("examples").asInt()).isEqualTo(6);
        JsonNode rates = report.path("overBlocking").path("rates");
        assertThat(rates).hasSize(3);
        assertThat(rates.get(0).path("label").asText()).isEqualTo("offensive");
        assertThat(rates.get(0).path("texts").asInt()).isEqualTo(TinyDatasets.TRAIN_PER_CLASS / 2);
        assertThat(rates.get(0).path("reviewShare").asDouble()).isBetween(0.0, 1.0);
        assertThat(report.path("overBlocking").path("smoke")).hasSize(8);
    }

    @ParameterizedTest(name = "[{index}] streamguard {0}")
    @CsvSource(delimiter = '|', textBlock = """
      train --encoder gpt2                          | --encoder: unknown encoder 'gpt2' (available: bert-base-uncased, bge-small-zh, minilm-l6)
      train --tasks spam,bogus                      | --tasks: unknown task bogus; expected one of sentiment, offensive, hate, spam
      train --hidden -1                             | --hidden must be at least 0, was -1
      train --learning-rate 0                       | --learning-rate must be a positive number, was 0.0
      train --learning-rate Infinity                | --learning-rate must be a positive number, was Infinity
      train --max-epochs 0                          | --max-epochs must be at least 1, was 0
      train --device tpu                            | Invalid value for option '--device': expected one of [AUTO, CPU, GPU] (case-insensitive) but was 'tpu'
      train --datasets /definitely/not/here         | training data not found under /definitely/not/here (--datasets DIR)
      train --datasets {tmp}                        | training data not found under {tmp} (--datasets DIR)
      eval {tmp}/spam.tsv                           | Missing required option: '--task=TASK'
      eval                                          | Missing required parameter: 'FILE' (or --benign)
      eval --benign --task spam                     | --task, --threshold and --plot apply to FILE; --benign alone measures every moderation label
      eval --benign --datasets {tmp}/nowhere --model {tmp}/models/tiny/minilm-l6.json | --benign: training data not found under {tmp}/nowhere (--datasets DIR)
      eval {tmp}/missing.tsv --task spam            | no such file: {tmp}/missing.tsv
      eval {tmp}/spam.tsv --task bogus              | --task: unknown task bogus; expected one of sentiment, offensive, hate, spam
      eval {tmp}/spam.tsv --task spam --threshold 1.5 | --threshold must lie in [0, 1], was 1.5
      eval {tmp}/spam.tsv --task sentiment --threshold 0.5 | --threshold applies to the moderation tasks (offensive, hate, spam), not sentiment
      eval {tmp}/spam.tsv --task spam --model {tmp}/nothing.json | --model: no heads file {tmp}/nothing.json (train one with: streamguard train --encoder minilm-l6 --out {tmp}/nothing.json)
      eval {tmp}/spam.tsv --task spam --model v9 --encoder bert-base-uncased | --model: no heads file {models}/v9/bert-base-uncased.json (train one with: streamguard train --encoder bert-base-uncased --version v9)
      eval {tmp}/cold.csv --task offensive --model v9 --encoder bge-small-zh | --model: no heads file {models}/v9/bge-small-zh.json (train one with: streamguard train --encoder bge-small-zh --version v9)
      """)
    void usageErrorsPrintOneLineAndExitTwo(String args, String message) {
        CliRun run = CliRun.of(expand(args).trim().split("\\s+"));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("streamguard: " + expand(message));
        assertThat(run.out()).isEmpty();
    }

    /** Malformed data is a usage error naming file and line, found before any encoder is loaded. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`', // JSON and messages use both ' and "
            textBlock = """
      columns.tsv | spam\\tfree prize\\ncall\\tnow\\textra    | columns.tsv:2: expected 2 tab-separated columns (label<TAB>text), found 3 (a tab inside the text is not allowed)
      label.tsv   | ham\\thi\\nmaybe\\thello                  | label.tsv:2: unknown label "maybe" for task spam; expected 0, 1, ham, spam (any case)
      empty.tsv   | ham\\thi\\n\\nspam\\twin                  | empty.tsv:2: empty line
      bad.jsonl   | {"text": "hi", "label": "ham"}\\n{"text": "x", "label": } | bad.jsonl:2: invalid JSON: Unexpected character ('}' (code 125))...
      text.jsonl  | {"text": 3, "label": "spam"}               | text.jsonl:1: "text" must be a string
      commas.csv  | label,text\\nspam,win, now                 | commas.csv:2: expected 2 comma-separated columns as in the header, found 3 (quote a text that holds commas)
      header.csv  | spam,win now                               | header.csv:1: the first row must be a header naming the label column (one of [category, class, label, labels, target, y]), found [spam, win now]
      """)
    void malformedDataNamesFileAndLine(String name, String content, String message) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, content.replace("\\t", "\t").replace("\\n", "\n") + "\n");

        CliRun run = eval(file, "--task", "spam");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.errLines()).hasSize(1);
        // "..." ends messages whose tail is the JSON parser's wording, which is not ours to pin.
        String expected = "streamguard: " + tmp + "/" + message;
        if (expected.endsWith("...")) {
            assertThat(run.errLines()[0]).startsWith(expected.substring(0, expected.length() - 3));
        } else {
            assertThat(run.errLines()[0]).isEqualTo(expected);
        }
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aModelWithoutTheTasksHeadIsAUsageError() {
        HeadsModel full = HeadsFile.read(heads);
        Path spamOnly = tmp.resolve("spam-only.json");
        HeadsFile.write(
                new HeadsModel(
                        full.version(),
                        full.encoderId(),
                        full.vocabHash(),
                        full.maxLength(),
                        full.feature(),
                        List.of(full.head("spam")),
                        Map.of("spam", full.thresholds().get("spam")),
                        Map.of(),
                        full.provenance()),
                spamOnly);

        CliRun run = CliRun.of(
                "eval",
                tmp.resolve("sentiment.jsonl").toString(),
                "--task",
                "sentiment",
                "--model",
                spamOnly.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines()).containsExactly("streamguard: model v-tiny has no sentiment head");
    }

    private static CliRun eval(Path file, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "eval";
        all[1] = file.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        all[args.length + 2] = "--model";
        all[args.length + 3] = heads.toString();
        all[args.length + 4] = "--device=cpu";
        return CliRun.of(all);
    }

    private static String expand(String text) {
        return text.replace("{tmp}", tmp.toString())
                .replace(
                        "{models}",
                        Path.of("")
                                .toAbsolutePath()
                                .resolve("models")
                                .normalize()
                                .toString());
    }
}
