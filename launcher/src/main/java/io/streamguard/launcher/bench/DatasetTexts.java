package io.streamguard.launcher.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real texts for the benchmarks from the shared datasets directory: SST-2 dev sentences and
 * TweetEval offensive and hate validation tweets, taken evenly from each file and interleaved, so
 * every run sees the same mix of short reviews and longer, noisier tweets.
 */
final class DatasetTexts {

    private DatasetTexts() {}

    /**
     * Up to {@code count} texts, a third from each source (fewer if the files are shorter).
     *
     * @throws BenchmarkException if the directory or one of its files is missing or unreadable
     */
    static List<String> mixed(Path datasets, int count) {
        if (!Files.isDirectory(datasets)) {
            throw new BenchmarkException("datasets directory " + datasets + " does not exist");
        }
        List<List<String>> sources = List.of(
                read(datasets.resolve("sst2/dev.tsv"), true),
                read(datasets.resolve("tweeteval/offensive/val_text.txt"), false),
                read(datasets.resolve("tweeteval/hate/val_text.txt"), false));
        int each = (count + sources.size() - 1) / sources.size();
        List<List<String>> spread = sources.stream().map(s -> evenly(s, each)).toList();
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < each && texts.size() < count; i++) {
            for (List<String> source : spread) {
                if (i < source.size() && texts.size() < count) {
                    texts.add(source.get(i));
                }
            }
        }
        return List.copyOf(texts);
    }

    /** Non-blank texts of a file; for TSV (header skipped) the text is everything after the first tab. */
    private static List<String> read(Path file, boolean tsvWithHeader) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw new BenchmarkException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<String> texts = new ArrayList<>(lines.size());
        for (String line : tsvWithHeader ? lines.subList(Math.min(1, lines.size()), lines.size()) : lines) {
            String text = tsvWithHeader ? line.substring(line.indexOf('\t') + 1) : line;
            if (!text.isBlank()) {
                texts.add(text.strip());
            }
        }
        return texts;
    }

    /** {@code count} rows spread over the whole list, so no part of a file dominates. */
    private static List<String> evenly(List<String> all, int count) {
        if (all.size() <= count) {
            return all;
        }
        List<String> picked = new ArrayList<>(count);
        double step = (double) all.size() / count;
        for (int i = 0; i < count; i++) {
            picked.add(all.get((int) (i * step)));
        }
        return picked;
    }
}
