package io.streamguard.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rough single-thread throughput of {@link BertTokenizer} on 10,000 real texts (4,000 SST-2
 * sentences, 4,000 tweets, 2,000 SMS), next to the native HuggingFace tokenizer called one text
 * at a time through DJL. A measurement, not a test: run it by hand, e.g.
 *
 * <pre>
 * mvn -q -pl model-runtime test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Dai.djl.offline=true -DOPT_OUT_TRACKING=true -DRUST_FLAVOR=cpu -DDJL_CACHE_DIR=model-runtime/target/djl-cache \
 *      -cp model-runtime/target/test-classes:model-runtime/target/classes:$(cat model-runtime/target/cp.txt) \
 *      io.streamguard.model.tokenizer.TokenizerThroughput ../shared/datasets
 * </pre>
 */
public final class TokenizerThroughput {

    private TokenizerThroughput() {}

    public static void main(String[] args) throws IOException {
        Path datasets = Path.of(args.length > 0 ? args[0] : "../shared/datasets");
        List<String> texts = new ArrayList<>();
        texts.addAll(HuggingFaceParityTest.column(datasets.resolve("sst2/train.tsv"), true, 4000));
        texts.addAll(HuggingFaceParityTest.column(datasets.resolve("tweeteval/offensive/train_text.txt"), false, 4000));
        texts.addAll(HuggingFaceParityTest.column(datasets.resolve("sms-spam/train.tsv"), true, 2000));

        BertTokenizer ours;
        try (InputStream in = resource()) {
            ours = BertTokenizer.fromTokenizerJson(in, 128);
        }
        long pieces = 0;
        for (String text : texts) {
            pieces += ours.tokenize(text).size();
        }
        System.out.printf("%d texts, %d WordPiece tokens (%.1f per text)%n", texts.size(), pieces,
                (double) pieces / texts.size());

        try (InputStream in = resource();
                HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(in,
                        Map.of("padding", "false", "truncation", "true", "maxLength", "128"))) {
            Map<String, Work> work = new LinkedHashMap<>();
            work.put("BertTokenizer.encode        ", () -> {
                long sink = 0;
                for (String text : texts) {
                    sink += ours.encode(text).length();
                }
                return sink;
            });
            work.put("BertTokenizer.encodeBatch/32", () -> {
                long sink = 0;
                for (int from = 0; from < texts.size(); from += 32) {
                    sink += ours.encodeBatch(texts.subList(from, Math.min(texts.size(), from + 32))).ids().length;
                }
                return sink;
            });
            work.put("HuggingFace (DJL) encode    ", () -> {
                long sink = 0;
                for (String text : texts) {
                    sink += hf.encode(text).getIds().length;
                }
                return sink;
            });
            measure(work, texts.size(), pieces);
        }
    }

    private interface Work {
        long run();
    }

    /**
     * Runs the candidates in interleaved rounds (so load changes and JIT order hit all alike) and
     * reports the best and the median round: the box may be shared, so a mean would mislead.
     */
    private static void measure(Map<String, Work> work, int texts, long pieces) {
        long sink = 0;
        for (int i = 0; i < 5; i++) { // warm-up: let the JIT compile the hot paths
            for (Work w : work.values()) {
                sink += w.run();
            }
        }
        int rounds = 15;
        Map<String, long[]> nanos = new LinkedHashMap<>();
        work.keySet().forEach(label -> nanos.put(label, new long[rounds]));
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, Work> w : work.entrySet()) {
                long start = System.nanoTime();
                sink += w.getValue().run();
                nanos.get(w.getKey())[round] = System.nanoTime() - start;
            }
        }
        for (Map.Entry<String, long[]> entry : nanos.entrySet()) {
            long[] times = entry.getValue();
            Arrays.sort(times);
            double best = times[0] / 1e9;
            double median = times[rounds / 2] / 1e9;
            System.out.printf("%s: best %,9.0f texts/s %,11.0f tokens/s; median %,9.0f texts/s (%.1f ms per 10k)%n",
                    entry.getKey(), texts / best, pieces / best, texts / median, median * 1000);
        }
        System.out.println("(checksum " + sink % 10 + ")");
    }

    private static InputStream resource() {
        return TokenizerThroughput.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json");
    }
}
