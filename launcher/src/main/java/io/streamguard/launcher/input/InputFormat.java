package io.streamguard.launcher.input;

import java.util.Locale;

/** The line formats {@code streamguard produce} reads. */
public enum InputFormat {
    /**
     * One JSON object per line: {@code id, text, language, source, author, eventTime, attributes}.
     */
    JSONL,
    /** {@code id<TAB>text} per line; split at the first tab, so the text may contain tabs. */
    TSV;

    /** TSV for {@code *.tsv} / {@code *.tab} files, otherwise JSONL (also for stdin). */
    public static InputFormat forFileName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".tsv") || lower.endsWith(".tab") ? TSV : JSONL;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
