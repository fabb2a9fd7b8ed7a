package io.streamguard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code produce} checks a file whole before sending: none of these reach a broker (nothing listens at
 * {@link #NO_BROKER}), so a bad line provably sends nothing.
 */
class ProduceInputCliTest {
    private static final String NO_BROKER = "127.0.0.1:1";

    @TempDir
    Path dir;

    private Path file(String content) throws Exception {
        return Files.writeString(dir.resolve("events.jsonl"), content);
    }

    @Test
    void aBadLineInAFileSendsNothingAndIsAUsageError() throws Exception {
        Path input = file("{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\":\"b\",\"txt\":\"typo\"}\nnot json\n");

        CliRun run = CliRun.of("produce", "-b", NO_BROKER, "-t", "text-events", input.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.errLines())
                .containsExactly("streamguard: " + input + ":2: unknown field 'txt' (allowed: id, text, language,"
                        + " source, author, eventTime, attributes); 2 invalid lines (2, 3), nothing was sent"
                        + " (--skip-invalid sends the valid lines, --dry-run lists the problems)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aDryRunListsEveryBadLineAndSendsNothing() throws Exception {
        Path input =
                file("{\"id\":\"a\",\"text\":\"fine\"}\n{\"id\":\"b\",\"txt\":\"typo\"}\n\n{\"text\":\"ok\"}\n[1]\n");

        CliRun run = CliRun.of("produce", "-b", NO_BROKER, "-t", "text-events", "--dry-run", input.toString());

        assertThat(run.exitCode()).as("invalid lines fail a dry run").isEqualTo(2);
        assertThat(run.out().strip())
                .isEqualTo("Dry run: 2 valid records for text-events, 2 invalid lines (2, 5); nothing was sent");
        assertThat(run.errLines())
                .containsExactly(
                        input + ":2: unknown field 'txt' (allowed: id, text, language, source, author, eventTime,"
                                + " attributes)",
                        input + ":5: expected a JSON object, found an array");

        CliRun skipping = CliRun.of(
                "produce", "-b", NO_BROKER, "-t", "text-events", "--dry-run", "--skip-invalid", input.toString());
        assertThat(skipping.exitCode())
                .as("--skip-invalid would send the valid ones")
                .isZero();

        CliRun clean = CliRun.of(
                "produce",
                "-b",
                NO_BROKER,
                "-t",
                "text-events",
                "--dry-run",
                file("{\"text\":\"ok\"}\n").toString());
        assertThat(clean.exitCode()).isZero();
        assertThat(clean.out().strip()).isEqualTo("Dry run: 1 valid record for text-events; nothing was sent");
        assertThat(clean.err()).isEmpty();
    }

    @Test
    void anEmptyTextIsRefusedUnlessAllowedForTheDeadLetterPath() throws Exception {
        Path input = file("{\"id\":\"e\",\"text\":\"\"}\n");

        CliRun refused = CliRun.of("produce", "-b", NO_BROKER, "-t", "text-events", input.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains(input + ":1: 'text' is empty");

        CliRun allowed = CliRun.of(
                "produce", "-b", NO_BROKER, "-t", "text-events", "--dry-run", "--allow-empty", input.toString());
        assertThat(allowed.exitCode()).isZero();
        assertThat(allowed.out()).contains("Dry run: 1 valid record");
    }

    @Test
    void skippingEveryLineLeavesNothingValidAndIsAUsageError() throws Exception {
        Path input = file("nope\n{\"text\":\"  \"}\n");

        CliRun run = CliRun.of(
                "produce", "-b", NO_BROKER, "-t", "text-events", "--dry-run", "--skip-invalid", input.toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.out()).contains("Dry run: 0 valid records for text-events, 2 invalid lines (1, 2)");
    }
}
