package io.streamguard.launcher.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the benchmark reports print: aligned plain-text tables (one layout for every table: text
 * columns left-aligned, numbers right-aligned, two spaces apart) or indented JSON for scripts.
 */
final class ReportRenderer {
    private ReportRenderer() {}

    /** The engine report: the grid, then the tokenizer shares. */
    static String table(EngineReport report) {
        StringBuilder out = new StringBuilder();
        out.append("Engine benchmark: ").append(report.machine().describe()).append('\n');
        out.append(String.format(
                "per cell: %d warm-up, then at least %d timed pairs (engine call + bare session run,"
                        + " alternated) and at least %.0f s%n%n",
                report.warmup(), report.iterations(), report.minSeconds()));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {
            "encoder",
            "device",
            "precision",
            "batch",
            "length",
            "pairs",
            "engine p50 ms",
            "p99 ms",
            "seq/s",
            "bare p50 ms",
            "p99 ms",
            "seq/s",
            "engine/bare"
        });
        for (EngineReport.Cell c : report.cells()) {
            rows.add(new String[] {
                c.encoderId(),
                c.device().name(),
                c.precision().label(),
                Integer.toString(c.batchSize()),
                Integer.toString(c.length()),
                Integer.toString(c.iterations()),
                ms(c.engine().p50Ms()),
                ms(c.engine().p99Ms()),
                String.format("%.1f", c.engineSeqPerSecond()),
                ms(c.bare().p50Ms()),
                ms(c.bare().p99Ms()),
                String.format("%.1f", c.bareSeqPerSecond()),
                String.format("%.3f", c.ratio())
            });
        }
        table(out, rows, 2);
        out.append("seq/s = batch / p50; engine/bare = median over pairs of bare time / engine time"
                + " (1.000 = no engine overhead)\n");
        if (!report.tokenizerShares().isEmpty()) {
            out.append(
                            "\nTokenizer share: real texts in the encoder's language (SST-2 dev and TweetEval val; Chinese: COLD and"
                                    + " ChnSentiCorp dev) sorted by length, batches of ")
                    .append(EngineBenchmark.SHARE_BATCH_SIZE)
                    .append(" padded to the longest\n\n");
            List<String[]> shares = new ArrayList<>();
            shares.add(new String[] {"encoder", "texts", "batches", "tokens", "tokenize ms", "encode ms", "share"});
            for (EngineReport.TokenizerShare s : report.tokenizerShares()) {
                shares.add(new String[] {
                    s.encoderId(),
                    Integer.toString(s.texts()),
                    Integer.toString(s.batches()),
                    Long.toString(s.tokens()),
                    String.format("%.2f", s.tokenizerMs()),
                    String.format("%.0f", s.encoderMs()),
                    String.format("%.2f %%", s.share() * 100)
                });
            }
            table(out, shares, 2);
        }
        return out.toString();
    }

    /** The pipeline report: every run beside the engine, the two ratios and the targets under it. */
    static String table(PipelineReport report) {
        StringBuilder out = new StringBuilder();
        out.append("Pipeline benchmark: ").append(report.machine().describe()).append('\n');
        out.append(String.format(
                "%s, heads %s; %d real texts per run; %d partitions, %s; batch wait %d ms%n%n",
                report.encoderId(),
                report.modelVersion(),
                report.events(),
                report.partitions(),
                report.guarantee(),
                report.batchWaitMs()));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {
            "run",
            "batch/engine",
            "offered/s",
            "events/s",
            "p50 ms",
            "p99 ms",
            "avg batch",
            "model ms/batch",
            "commits",
            "commit ms",
            "thread: model/commit/poll/punct"
        });
        for (PipelineReport.Row r : report.rows()) {
            boolean engine = r.kind().equals("engine");
            rows.add(new String[] {
                r.kind(),
                r.batchSize() + "/" + r.engineBatch(),
                engine ? "-" : r.saturated() ? "max" : fmtRate(r.offeredPerSecond()),
                String.format("%.1f", r.eventsPerSecond()),
                engine ? "-" : String.format("%.0f", r.p50Ms()),
                engine ? "-" : String.format("%.0f", r.p99Ms()),
                String.format("%.1f", r.meanBatch()),
                String.format("%.1f", r.modelMsPerBatch()),
                engine ? "-" : Long.toString(r.commits()),
                engine ? "-" : String.format("%.1f", r.commitMsAvg()),
                engine
                        ? "-"
                        : String.join(
                                "/",
                                r.threadShares().values().stream()
                                        .map(v -> String.format("%.0f%%", v * 100))
                                        .toList())
            });
        }
        table(out, rows, 1);
        out.append(String.format(
                "%npipeline / engine at batch %d/%d, saturated: %.2f (target >= 0.80)%n"
                        + "pipeline batch %d/%d / batch 1, saturated: %.2fx (target >= 3x)%n",
                report.batchSize(),
                report.engineBatch(),
                report.pipelineVsEngine(),
                report.batchSize(),
                report.engineBatch(),
                report.batchedVsSingle()));
        out.append("events/s: labeled / (first produced .. last labeled); latency: text-events record timestamp"
                + " to a read_committed consumer of text-labeled; batch/engine: texts per micro-batch / per encoder"
                + " call (cut by length); engine: the same texts in arrival order in full micro-batches, median of "
                + EnginePasses.PASSES + " passes; thread: shares of the run's wall time (model time is also inside"
                + " punctuate when a batch closes by time)\n");
        return out.toString();
    }

    /** The connectors report: the saturated run's two rates and lag, the comments' latency, both verdicts. */
    static String table(ConnectReport report) {
        ConnectReport.Throughput t = report.throughput();
        ConnectReport.Latency l = report.latency();
        StringBuilder out = new StringBuilder();
        out.append("Connectors benchmark: ").append(report.machine().describe()).append('\n');
        out.append(String.format(
                "%s, heads %s; batch %d; %d partitions; moderation-events sink (JDBC) and comments source"
                        + " (Debezium PostgreSQL) as in connectors/config/%n%n",
                report.encoderId(), report.modelVersion(), report.batchSize(), report.partitions()));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"saturation (" + t.events() + " texts at once)", "count", "seconds", "per second"});
        rows.add(new String[] {
            "pipeline: labeled events",
            Integer.toString(t.events()),
            String.format("%.2f", t.pipelineSeconds()),
            String.format("%.1f", t.pipelineEventsPerSecond())
        });
        rows.add(new String[] {
            "sink: rows in moderation_events",
            Integer.toString(t.sinkRows()),
            String.format("%.2f", t.sinkSeconds()),
            String.format("%.1f", t.sinkRowsPerSecond())
        });
        table(out, rows, 1);
        out.append('\n');
        List<String[]> latency = new ArrayList<>();
        latency.add(new String[] {
            "comments -> moderation_events (" + fmtRate(l.rate()) + "/s)", "rows", "p50 ms", "p99 ms", "max ms"
        });
        latency.add(spreadRow("created_at -> labeled row visible", l.comments(), l.endToEnd()));
        latency.add(spreadRow("  created_at -> on text-events (comments source)", l.comments(), l.source()));
        latency.add(spreadRow("  on text-events -> labeled_at (pipeline)", l.comments(), l.pipeline()));
        latency.add(spreadRow("  labeled_at -> row visible (sink)", l.comments(), l.sink()));
        table(out, latency, 1);
        out.append(String.format(
                "%nsink rows/s / pipeline events/s: %.2f (keeps up at >= %.2f); sink lag (last labeled event .. last"
                        + " row): %.0f ms -> %s%n"
                        + "comments -> moderation_events: p50 %.0f ms, p99 %.0f ms%n",
                t.sinkVsPipeline(),
                ConnectReport.Throughput.KEEPS_UP_RATIO,
                t.lagMs(),
                t.sinkKeepsUp() ? "the sink keeps up" : "the sink falls behind the pipeline",
                l.endToEnd().p50Ms(),
                l.endToEnd().p99Ms()));
        out.append(String.format(
                "pipeline: first produced .. last labeled at a read_committed consumer of text-labeled; sink: first"
                        + " .. last row visible in moderation_events (SELECT count(*) every %d ms); latency: the"
                        + " comment's created_at to the first poll (every %.0f ms) that sees its comments:<id> row,"
                        + " both PostgreSQL's clock; stages split at the text event's arrival at a read_committed"
                        + " consumer of text-events and at the row's labeled_at%n",
                ConnectBenchmark.COUNT_POLL.toMillis(), l.pollMs()));
        return out.toString();
    }

    private static String[] spreadRow(String what, int count, ConnectReport.Spread spread) {
        return new String[] {
            what,
            Integer.toString(count),
            String.format("%.0f", spread.p50Ms()),
            String.format("%.0f", spread.p99Ms()),
            String.format("%.0f", spread.maxMs())
        };
    }

    /** One finished pipeline-benchmark row as a progress line. */
    static String progressLine(PipelineReport.Row r) {
        return String.format(
                "%s batch %d %s: %.1f events/s%s",
                r.kind(),
                r.batchSize(),
                r.kind().equals("engine")
                        ? ""
                        : r.saturated() ? "at saturation" : "at " + fmtRate(r.offeredPerSecond()) + "/s",
                r.eventsPerSecond(),
                r.kind().equals("engine")
                        ? String.format(", %.1f ms per batch", r.modelMsPerBatch())
                        : String.format(
                                ", p50 %.0f ms, p99 %.0f ms, batch %.1f, %.1f ms per batch, %d commits (%.1f ms avg),"
                                        + " thread %s",
                                r.p50Ms(),
                                r.p99Ms(),
                                r.meanBatch(),
                                r.modelMsPerBatch(),
                                r.commits(),
                                r.commitMsAvg(),
                                shares(r.threadShares())));
    }

    /** The hostile-input report: per pass a row per input class, then each worker's memory and state. */
    static String table(HostileReport report) {
        StringBuilder out = new StringBuilder();
        out.append("Hostile input: ").append(report.machine().describe()).append('\n');
        out.append(String.format(
                "heads %s, %,d mutants per pass (seed %d), %d partitions, broker max record %,d bytes%n",
                report.heads(), report.mutants(), report.seed(), report.partitions(), report.maxRecordBytes()));
        for (HostileReport.Pass pass : report.passes()) {
            out.append(String.format("%npass %d (%.1f s)%n", pass.pass(), pass.seconds()));
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"input", "sent", "refused", "labeled", "dead-lettered", "lost", "twice", "unexpected"
            });
            for (HostileReport.ClassRow r : pass.rows()) {
                rows.add(new String[] {
                    r.inputClass(),
                    String.format("%,d", r.sent()),
                    Integer.toString(r.refused()),
                    String.format("%,d", r.labeled()),
                    reasons(r.deadLettered()),
                    Integer.toString(r.lost()),
                    Integer.toString(r.duplicated()),
                    r.unexpected().isEmpty() ? "-" : String.join(" ", r.unexpected())
                });
            }
            table(out, rows, 1);
            if (pass.unknown() > 0) {
                out.append(pass.unknown()).append(" outcome(s) matched no sent record\n");
            }
        }
        out.append("\nworker memory (heap in use after a full GC / RSS, MB): before the corpus, after each pass\n");
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("worker", "heap"));
        for (int i = 1; i < report.workers().get(0).memory().size(); i++) {
            header.add("pass " + i);
        }
        header.add("RSS");
        for (int i = 1; i < report.workers().get(0).memory().size(); i++) {
            header.add("pass " + i);
        }
        header.add("alive");
        header.add("/health");
        rows.add(header.toArray(String[]::new));
        for (HostileReport.Worker w : report.workers()) {
            List<String> row = new ArrayList<>(List.of(w.role()));
            w.memory().forEach(m -> row.add(String.format("%.1f", m.heapUsedKb() / 1024.0)));
            w.memory().forEach(m -> row.add(String.format("%.1f", m.rssKb() / 1024.0)));
            row.add(w.alive() ? "yes" : "NO");
            row.add(Integer.toString(w.health()));
            rows.add(row.toArray(String[]::new));
        }
        table(out, rows, 1);
        out.append(
                report.ok()
                        ? "every record labeled or dead-lettered once as expected; workers alive and healthy\n"
                        : "FAILED: see lost, twice, unexpected and the workers above\n");
        return out.toString();
    }

    private static String reasons(Map<String, Integer> reasons) {
        if (reasons.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        reasons.forEach((reason, n) -> parts.add(String.format("%s %,d", reason, n)));
        return String.join(", ", parts);
    }

    static String table(RepeatReport report) {
        StringBuilder out = new StringBuilder();
        out.append("Repeat benchmark: ").append(report.machine().describe()).append('\n');
        out.append(String.format(
                "%s %s in %s; %d events per run at saturation; repeating stream: %d repeats (%.0f %% asked)%n%n",
                report.encoderId(),
                report.modelVersion(),
                report.precision(),
                report.events(),
                report.repeats(),
                report.share() * 100));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {
            "run",
            "distinct texts",
            "labeled",
            "ids",
            "dup",
            "events/s",
            "p50 ms",
            "p99 ms",
            "hits",
            "misses",
            "hit rate"
        });
        for (RepeatReport.Run r : report.runs()) {
            rows.add(new String[] {
                r.name(),
                Integer.toString(r.distinctTexts()),
                Integer.toString(r.labeled()),
                Integer.toString(r.ids()),
                Integer.toString(r.duplicates()),
                String.format("%.1f", r.eventsPerSecond()),
                String.format("%.0f", r.p50Ms()),
                String.format("%.0f", r.p99Ms()),
                Long.toString(r.hits()),
                Long.toString(r.misses()),
                String.format("%.1f %%", r.hitRate() * 100)
            });
        }
        table(out, rows, 1);
        RepeatReport.Agreement a = report.agreement();
        out.append(String.format(
                "%ncache on / off: %.2fx events/s on the repeating stream, %.2fx on distinct texts; repeating stream"
                        + " decisions alike %d of %d, largest score difference %.4f%n",
                report.speedup(), report.distinctRatio(), a.sameDecision(), a.compared(), a.maxScoreDifference()));
        return out.toString();
    }

    /** A report as indented JSON (records as objects, computed rates and ratios included). */
    static String json(Record report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new BenchmarkException("cannot write the report as JSON: " + e.getMessage(), e);
        }
    }

    /** The first {@code leftAligned} columns left-aligned, the rest right-aligned, two spaces apart. */
    private static void table(StringBuilder out, List<String[]> rows, int leftAligned) {
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = String.format((i < leftAligned ? "%-" : "%") + widths[i] + "s", row[i]);
                line.append(i == 0 ? "" : "  ").append(cell);
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String ms(double ms) {
        return String.format(ms < 10 ? "%.2f" : "%.1f", ms);
    }

    private static String fmtRate(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }

    private static String shares(Map<String, Double> shares) {
        StringBuilder out = new StringBuilder();
        shares.forEach((k, v) ->
                out.append(out.isEmpty() ? "" : " ").append(k).append(' ').append(String.format("%.0f%%", v * 100)));
        return out.toString();
    }
}
