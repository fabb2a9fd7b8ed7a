package io.streamguard.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * One {@code tokenizer.json} loaded twice, by {@link BertTokenizer} and by the HuggingFace
 * {@code tokenizers} library (native, via DJL, offline), each at max length 128 and
 * {@link #SHORT_MAX_LENGTH}, and the comparison of the two: shared by the parity tests of every
 * shipped vocabulary, so that each compares the same way.
 */
final class HuggingFaceParity implements AutoCloseable {

    static final int MAX_LENGTH = 128;
    static final int SHORT_MAX_LENGTH = 16;

    final HuggingFaceTokenizer hf128;
    final HuggingFaceTokenizer hfShort;
    /** Untruncated, without special tokens: for comparing {@link BertTokenizer#tokenize}. */
    final HuggingFaceTokenizer hfFull;

    final BertTokenizer ours128;
    final BertTokenizer oursShort;

    private final List<HuggingFaceTokenizer> opened = new ArrayList<>();

    /** Loads the {@code tokenizer.json} at classpath root {@code resource} on both sides. */
    HuggingFaceParity(String resource) throws IOException {
        try {
            hf128 = huggingFace(resource, Map.of("truncation", "true", "maxLength", Integer.toString(MAX_LENGTH)));
            hfShort = huggingFace(
                    resource, Map.of("truncation", "true", "maxLength", Integer.toString(SHORT_MAX_LENGTH)));
            hfFull = huggingFace(resource, Map.of("truncation", "false"));
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
        try (InputStream in = resource(resource)) {
            ours128 = BertTokenizer.fromTokenizerJson(in, MAX_LENGTH);
        }
        oursShort = BertTokenizer.create(ours128.vocabulary(), ours128.options().withMaxLength(SHORT_MAX_LENGTH));
    }

    private HuggingFaceTokenizer huggingFace(String resource, Map<String, String> options) throws IOException {
        Map<String, String> all = new LinkedHashMap<>(options);
        all.put("padding", "false"); // a file may itself pad, e.g. MiniLM's to 128
        all.put("addSpecialTokens", "true");
        try (InputStream in = resource(resource)) {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(in, all);
            opened.add(tokenizer);
            return tokenizer;
        }
    }

    @Override
    public void close() {
        opened.forEach(HuggingFaceTokenizer::close);
        opened.clear();
    }

    static InputStream resource(String name) {
        InputStream in = HuggingFaceParity.class.getClassLoader().getResourceAsStream(name);
        assertThat(in).as("classpath resource %s", name).isNotNull();
        return in;
    }

    /** The shared datasets folder surefire names, or its usual place beside the checkout. */
    static Path datasetsDir() {
        return Path.of(System.getProperty("streamguard.datasets.dir", "../../shared/datasets"));
    }

    /** HuggingFace's WordPiece tokens of {@code text}: untruncated, without [CLS] and [SEP]. */
    List<String> hfTokens(String text) {
        return Arrays.asList(hfFull.encode(text, false, false).getTokens());
    }

    /**
     * Compares ids, masks, truncation (at both max lengths, single and batched) and untruncated
     * tokens; returns one line per difference.
     */
    List<String> compareAll(List<String> texts) {
        List<String> mismatches = new ArrayList<>();
        compare(texts, hf128, ours128, mismatches);
        compare(texts, hfShort, oursShort, mismatches);
        ai.djl.huggingface.tokenizers.Encoding[] full =
                hfFull.batchEncode(texts.stream().map(LookAlikes::fold).toList(), false, false);
        for (int i = 0; i < texts.size(); i++) {
            List<String> expected = Arrays.asList(full[i].getTokens());
            List<String> actual = ours128.tokenize(texts.get(i));
            if (!expected.equals(actual)) {
                mismatches.add("untruncated " + describe(texts.get(i)) + ": hf=" + expected + " ours=" + actual);
            }
        }
        return mismatches;
    }

    private static void compare(
            List<String> texts, HuggingFaceTokenizer hf, BertTokenizer ours, List<String> mismatches) {
        // HuggingFace sees the text after our one step it lacks, folding look-alike letters (LookAlikes).
        ai.djl.huggingface.tokenizers.Encoding[] expected =
                hf.batchEncode(texts.stream().map(LookAlikes::fold).toList());
        EncodedBatch batch = ours.encodeBatch(texts);
        for (int i = 0; i < texts.size(); i++) {
            Encoding actual = ours.encode(texts.get(i));
            long[] ids = expected[i].getIds();
            long[] mask = expected[i].getAttentionMask();
            boolean same = Arrays.equals(ids, widen(actual.ids()))
                    && Arrays.equals(mask, widen(actual.attentionMask()))
                    && expected[i].exceedMaxLength() == actual.truncated()
                    && batch.row(i).equals(actual);
            if (!same) {
                mismatches.add("maxLength " + ours.options().maxLength() + " " + describe(texts.get(i))
                        + ": hf=" + Arrays.toString(expected[i].getTokens()) + " truncated="
                        + expected[i].exceedMaxLength()
                        + " ours=" + actual);
            }
        }
    }

    /**
     * The code points whose ids differ at max length 128, each tokenized alone and as
     * {@code "A" + cp + cp + "B"}: every code point of planes 0-3 and 14's variation selectors,
     * and a sample of the unassigned and private-use planes. Returns how many texts were compared.
     */
    int sweepCodePoints(BitSet differing) {
        int checked = 0;
        for (String context : List.of("%s", "A%s%sB")) {
            List<String> texts = new ArrayList<>();
            List<Integer> codePoints = new ArrayList<>();
            IntStream all = IntStream.concat(
                    IntStream.concat(IntStream.range(0, 0x40000), IntStream.rangeClosed(0xE0000, 0xE01EF)),
                    IntStream.iterate(0x40000, cp -> cp <= 0x10FFFF, cp -> cp + 101)); // unassigned/private planes
            for (int cp : all.filter(cp -> cp < 0xD800 || cp > 0xDFFF).toArray()) {
                texts.add(context.replace("%s", Character.toString(cp)));
                codePoints.add(cp);
                if (texts.size() == 20_000) {
                    checked += sweep(texts, codePoints, differing);
                }
            }
            checked += sweep(texts, codePoints, differing);
        }
        return checked;
    }

    private int sweep(List<String> texts, List<Integer> codePoints, BitSet differing) {
        ai.djl.huggingface.tokenizers.Encoding[] expected =
                hf128.batchEncode(texts.stream().map(LookAlikes::fold).toList());
        for (int i = 0; i < texts.size(); i++) {
            if (!Arrays.equals(
                    expected[i].getIds(), widen(ours128.encode(texts.get(i)).ids()))) {
                differing.set(codePoints.get(i));
            }
        }
        int n = texts.size();
        texts.clear();
        codePoints.clear();
        return n;
    }

    /** The code points of {@code hf-unicode8-category-drift.txt}, where current Unicode and HuggingFace's 8.0 tables classify differently. */
    static BitSet readDrift() throws IOException {
        BitSet drift = new BitSet();
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(resource("tokenizer/hf-unicode8-category-drift.txt"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] range = line.split(" ", 2)[0].split("\\.\\.");
                int first = Integer.parseInt(range[0], 16);
                int last = range.length == 2 ? Integer.parseInt(range[1], 16) : first;
                drift.set(first, last + 1);
            }
        }
        return drift;
    }

    /**
     * {@code count} texts of random code points from a mix of scripts, symbols, emoji, controls
     * and private use, switching script mid-text. Well-formed UTF-16 only: a lone surrogate makes
     * DJL's JNI string conversion fall back to a lossy decoding of the whole text.
     */
    static List<String> randomUnicodeTexts(long seed, int count) {
        Random random = new Random(seed);
        int[][] pools = {
            {0x20, 0x7E},
            {0x20, 0x7E},
            {0x20, 0x7E},
            {0xA0, 0xFF},
            {0x100, 0x17F},
            {0x300, 0x36F},
            {0x370, 0x3FF},
            {0x400, 0x4FF},
            {0x600, 0x6FF},
            {0x900, 0x97F},
            {0xE00, 0xE7F},
            {0x1E00, 0x1FFF},
            {0x2000, 0x206F},
            {0x3000, 0x30FF},
            {0x4E00, 0x9FFF},
            {0xAC00, 0xD7A3},
            {0xF900, 0xFAFF},
            {0xFE00, 0xFE0F},
            {0xFF00, 0xFFEF},
            {0x1F300, 0x1F64F},
            {0x1F900, 0x1F9FF},
            {0x20000, 0x2A6DF},
            {0x0, 0x1F},
            {0x7F, 0x9F},
            {0xE000, 0xE0FF},
            {0xFFF0, 0xFFFF},
        };
        List<String> texts = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(t % 10 == 0 ? 400 : 60);
            int[] pool = pools[random.nextInt(pools.length)];
            for (int i = 0; i < length; i++) {
                if (random.nextInt(8) == 0) {
                    pool = pools[random.nextInt(pools.length)]; // switch scripts mid-text
                }
                int cp = pool[0] + random.nextInt(pool[1] - pool[0] + 1);
                if (random.nextInt(6) == 0) {
                    text.append(' ');
                }
                text.appendCodePoint(cp);
            }
            texts.add(text.toString());
        }
        return texts;
    }

    static int truncatedCount(List<String> texts, BertTokenizer tokenizer) {
        return tokenizer.encodeBatch(texts).truncatedCount();
    }

    /**
     * {@code count} rows spread evenly over a file (skipping a header), so every part of it is
     * represented; for TSV files the text is everything after the first tab.
     */
    static List<String> column(Path file, boolean tsvWithHeader, int count) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (tsvWithHeader) {
            lines = lines.subList(1, lines.size());
        }
        return spread(lines, count).stream()
                .map(line -> tsvWithHeader ? line.substring(line.indexOf('\t') + 1) : line)
                .toList();
    }

    /**
     * Field {@code field} of {@code count} rows spread evenly over a CSV file with a header row (a
     * BOM before it is skipped). RFC 4180 quoting, one record per line (no quoted line breaks).
     */
    static List<String> csvColumn(Path file, int field, int count) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return spread(lines.subList(1, lines.size()), count).stream()
                .map(line -> csvFields(line).get(field))
                .toList();
    }

    static List<String> csvFields(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c != '"') {
                    field.append(c);
                } else if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        assertThat(quoted)
                .as("unterminated quote (a line break inside a field?) in %s", line)
                .isFalse();
        fields.add(field.toString());
        return fields;
    }

    private static List<String> spread(List<String> lines, int count) {
        List<String> picked = new ArrayList<>(count);
        double step = (double) lines.size() / count;
        for (int i = 0; i < count; i++) {
            picked.add(lines.get((int) (i * step)));
        }
        return picked;
    }

    static String describe(String text) {
        StringBuilder s = new StringBuilder("'");
        text.codePoints().limit(80).forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F) {
                s.appendCodePoint(cp);
            } else {
                s.append(String.format("\\u{%X}", cp));
            }
        });
        return s.append(text.length() > 80 ? "...'" : "'").toString();
    }

    static List<String> hex(BitSet codePoints) {
        return codePoints.stream().mapToObj(cp -> String.format("U+%04X", cp)).toList();
    }

    private static long[] widen(int[] ints) {
        long[] longs = new long[ints.length];
        for (int i = 0; i < ints.length; i++) {
            longs[i] = ints[i];
        }
        return longs;
    }
}
