package io.streamguard.launcher.input;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of an input that could not be read as events, gathered over the whole input so that {@code produce}
 * reports them once, at the end ({@code --dry-run}, {@code --skip-invalid}) or before sending anything. Keeps the
 * first few problems and line numbers, counts all of them.
 */
public final class InvalidLines {
    /** Problems shown in full; the rest are counted. */
    static final int SHOWN_PROBLEMS = 10;

    /** Line numbers listed; the rest are counted. */
    static final int SHOWN_LINES = 50;

    private final String source;
    private final List<InputFormatException> problems = new ArrayList<>();
    private final List<Long> lines = new ArrayList<>();
    private long count;

    /** @param source the input as messages name it: the file, or {@code stdin} */
    public InvalidLines(String source) {
        this.source = source;
    }

    public void add(InputFormatException problem) {
        count++;
        if (problems.size() < SHOWN_PROBLEMS) {
            problems.add(problem);
        }
        if (lines.size() < SHOWN_LINES) {
            lines.add(problem.lineNumber());
        }
    }

    public long count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** {@code <source>:<line>: <problem>}, as {@code eval} names a bad line. */
    public String where(InputFormatException problem) {
        return source + ":" + problem.lineNumber() + ": " + problem.problem();
    }

    /** {@code 2 invalid lines (3, 7)}, the numbers cut after {@value #SHOWN_LINES}. */
    public String summary() {
        StringBuilder out =
                new StringBuilder().append(count).append(count == 1 ? " invalid line (" : " invalid lines (");
        for (int i = 0; i < lines.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(lines.get(i));
        }
        if (count > lines.size()) {
            out.append(", ... ").append(count - lines.size()).append(" more");
        }
        return out.append(')').toString();
    }

    /** The first problems, one {@link #where} line each, then how many are not shown. */
    public List<String> details() {
        List<String> out = new ArrayList<>();
        problems.forEach(p -> out.add(where(p)));
        if (count > problems.size()) {
            out.add("... and " + (count - problems.size()) + " more");
        }
        return out;
    }

    /** The first problem, for a one-line error. */
    public InputFormatException first() {
        return problems.get(0);
    }
}
