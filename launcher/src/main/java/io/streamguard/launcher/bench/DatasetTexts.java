package io.streamguard.launcher.bench;

import io.streamguard.model.language.Language;
import io.streamguard.model.training.DatasetReader;
import io.streamguard.model.training.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real texts for the benchmarks from the shared datasets directory, in the language of the encoder measured:
 * English is SST-2 dev sentences and TweetEval offensive and hate validation tweets; Chinese is COLD dev
 * comments and ChnSentiCorp dev reviews. Taken evenly from each file and interleaved, so every run sees the
 * same mix of short and longer, noisier texts.
 */
final class DatasetTexts {

    private DatasetTexts() {}

    /** Up to {@code count} English texts: {@link #mixed(Path, Language, int)}. */
    static List<String> mixed(Path datasets, int count) {
        return mixed(datasets, Language.ENGLISH, count);
    }

    /**
     * Up to {@code count} texts in {@code language}, an equal share from each of its sources (fewer if the
     * files are shorter).
     *
     * @throws BenchmarkException if the directory or one of its files is missing or unreadable
     */
    static List<String> mixed(Path datasets, Language language, int count) {
        if (!Files.isDirectory(datasets)) {
            throw new BenchmarkException("datasets directory " + datasets + " does not exist");
        }
        List<List<String>> sources =
                switch (language) {
                    case ENGLISH ->
                        List.of(
                                read(datasets.resolve("sst2/dev.tsv"), true),
                                read(datasets.resolve("tweeteval/offensive/val_text.txt"), false),
                                read(datasets.resolve("tweeteval/hate/val_text.txt"), false));
                    case CHINESE ->
                        List.of(
                                dataset(datasets.resolve("cold/dev.csv"), Task.OFFENSIVE),
                                dataset(datasets.resolve("chnsenticorp/dev.tsv"), Task.SENTIMENT));
                };
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

    /** The texts of a labelled file in a format {@link DatasetReader} reads (COLD's CSV among them). */
    private static List<String> dataset(Path file, Task task) {
        if (!Files.isRegularFile(file)) {
            throw new BenchmarkException("cannot read " + file + ": no such file");
        }
        try {
            return DatasetReader.read(file, task).texts();
        } catch (RuntimeException e) {
            throw new BenchmarkException("cannot read " + file + ": " + e.getMessage(), e);
        }
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
