package io.streamguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.testing.TinyDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage errors of retrainer, models and feedback: exit 2 and one line, before any broker is contacted. */
class FeedbackLoopCliTest {

    @TempDir
    Path dir;

    private static void assertUsage(CliRun run, String fragment) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(2);
        assertThat(run.err().strip())
                .startsWith("streamguard: ")
                .contains(fragment)
                .doesNotContain("\n");
    }

    @Test
    void feedbackNeedsAnIdWithVerdictsOrAFile() {
        assertUsage(CliRun.of("feedback"), "give --id ID --label LABEL=true|false, or --file FILE");
        assertUsage(CliRun.of("feedback", "--id", "e1"), "needs at least one --label");
        assertUsage(CliRun.of("feedback", "--id", "e1", "--label", "spam=maybe"), "must be true or false");
        assertUsage(CliRun.of("feedback", "--file", dir.resolve("missing.jsonl").toString()), "file not found");
    }

    @Test
    void feedbackFilesAreCheckedLineByLine() throws Exception {
        Path file = dir.resolve("verdicts.jsonl");
        Files.writeString(
                file, "{\"id\": \"e1\", \"labels\": {\"spam\": true}}\n{\"id\": \"e2\", \"labels\": {\"spam\": 1}}\n");
        assertUsage(CliRun.of("feedback", "--file", file.toString()), "line 2: label spam must be true or false");
        Files.writeString(file, "not json\n");
        assertUsage(CliRun.of("feedback", "--file", file.toString()), "line 1: not JSON");
        assertUsage(CliRun.of("feedback", "--file", file.toString(), "--id", "x"), "--file excludes");
    }

    @Test
    void retrainerChecksItsOptionsBeforeLoadingAnything() {
        Path datasets = TinyDatasets.write(dir.resolve("datasets"));
        assertUsage(CliRun.of("retrainer", "--heads", dir.resolve("nope.json").toString()), "heads file not found");
        assertUsage(CliRun.of("retrainer", "--encoder", "gpt-9"), "--encoder: unknown encoder 'gpt-9' (available: ");
        assertUsage(
                CliRun.of("retrainer", "--datasets", dir.toString(), "--heads", "../models/v1/minilm-l6.json"),
                "training data not found");
        // The gate's settings, once heads and data are found.
        String[] found = {"retrainer", "--heads", "../models/v1/minilm-l6.json", "--datasets", datasets.toString()};
        assertUsage(CliRun.of(with(found, "--significance", "1.5")), "significance must lie in (0, 1), got 1.5");
        assertUsage(
                CliRun.of(with(found, "--min-held-back", "0")), "minimum held-back verdicts must be at least 1, got 0");
        assertUsage(
                CliRun.of(with(found, "--near-duplicate-jaccard", "0")),
                "near-duplicate similarity must lie in (0, 1], got 0.0");
    }

    private static String[] with(String[] args, String... more) {
        String[] out = Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, out, args.length, more.length);
        return out;
    }

    @Test
    void rollbackNeedsAVersion() {
        assertUsage(CliRun.of("models", "rollback"), "Missing required parameter: 'VERSION'");
    }

    @Test
    void publishNeedsAModelFileThatExists() {
        assertUsage(CliRun.of("models", "publish"), "Missing required parameter: 'MODEL'");
        assertUsage(CliRun.of("models", "publish", "no-such-version"), "no model file ");
        assertUsage(CliRun.of("models", "publish", "/tmp/no/such/heads.json"), "no model file /tmp/no/such/heads.json");
    }
}
