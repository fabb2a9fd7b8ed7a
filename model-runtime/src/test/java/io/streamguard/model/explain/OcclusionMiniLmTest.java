package io.streamguard.model.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamguard.model.Classifier;
import io.streamguard.model.batch.BatchPolicy;
import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.EncoderFactory;
import io.streamguard.model.encoder.EncoderInfo;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.Activation;
import io.streamguard.model.heads.Dense;
import io.streamguard.model.heads.Feature;
import io.streamguard.model.heads.Head;
import io.streamguard.model.heads.HeadKind;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.heads.TestHeads;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Occlusion end to end on the real MiniLM encoder: a head built to react to one word finds that word,
 * and the cost of explaining a 20- and a 60-word item is printed.
 */
class OcclusionMiniLmTest {

    private static LoadedEncoder minilm;
    private static Classifier classifier;
    private static EncoderInfo info;

    @BeforeAll
    static void load() {
        minilm = EncoderFactory.create(EncoderConfig.of(EncoderConfig.MINILM_L6));
        info = minilm.encoder().info();
        classifier = Classifier.create(minilm, random("t1"), BatchPolicy.DEFAULT);
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    private static HeadsModel random(String version) {
        return TestHeads.random(
                version,
                1,
                info.id(),
                info.vocabHash(),
                info.hidden(),
                Feature.MEAN,
                minilm.tokenizer().options().maxLength());
    }

    private static float[] mean(String text) {
        return Feature.MEAN.extract(minilm.encoder().encode(minilm.tokenizer().encodeBatch(List.of(text))), 0);
    }

    @Test
    void aHeadThatReactsToAWordRanksThatWordFirst() {
        // offensive = sigmoid(w . (feature - original's)), w along the direction from a neutral word's
        // embedding to "idiot"'s, scaled so one word moves the logit by about one: not saturated, so every
        // word's removal shows.
        String text = "honestly you are the biggest idiot I have ever met, go home";
        float[] d = minus(mean("idiot"), mean("table"));
        double norm2 = 0;
        for (float x : d) {
            norm2 += x * x;
        }
        int hidden = info.hidden();
        float[] weights = new float[hidden * 3];
        for (int i = 0; i < hidden; i++) {
            weights[i * 3] = (float) (8 * d[i] / norm2);
        }
        float[] ones = new float[hidden];
        Arrays.fill(ones, 1f);
        HeadsModel base = random("t1");
        Head moderation = new Head(
                "moderation",
                HeadKind.SIGMOID,
                TestHeads.MODERATION,
                mean(text),
                ones,
                List.of(new Dense(hidden, 3, weights, new float[3], Activation.NONE)));
        List<Head> heads = new ArrayList<>(base.heads());
        heads.set(0, moderation);
        HeadsModel reactive = new HeadsModel(
                "reactive",
                base.encoderId(),
                base.vocabHash(),
                base.maxLength(),
                base.feature(),
                heads,
                base.thresholds(),
                base.metrics(),
                base.provenance());
        HeadsModel previous = classifier.swapHeads(reactive);
        try {
            Explanation e = new Occlusion(Scorer.of(classifier)).explain(text);
            List<WordWeight> top = e.top("offensive", 3, 0);
            System.out.println("occlusion offensive: " + e.labels().get("offensive"));
            assertThat(e.modelVersion()).isEqualTo("reactive");
            assertThat(e.original().scores().label("offensive")).isCloseTo(0.5f, within(1e-3f));
            assertThat(top.get(0).word()).isEqualTo(new Word("idiot", 29, 34));
            assertThat(top.get(0).weight())
                    .isGreaterThan(0.1)
                    .isGreaterThan(3 * top.get(1).weight());
        } finally {
            classifier.swapHeads(previous);
        }
    }

    @Test
    void explainsA20And60WordItemInOneCallAndReportsItsCost() {
        String words = "the new update broke my phone again and support keeps sending the same useless"
                + " reply so I am done with this company and will tell everyone I know to stay away from"
                + " their overpriced junk because nobody there seems to care about customers at all anymore"
                + " honestly what a waste";
        String[] all = words.split(" ");
        Occlusion occlusion = new Occlusion(Scorer.of(classifier));
        occlusion.explain(String.join(" ", Arrays.copyOf(all, 10))); // warm the graph up
        for (int n : new int[] {20, 60}) {
            String text = String.join(" ", Arrays.copyOf(all, n));
            Explanation e = occlusion.explain(text);
            Explanation again = occlusion.explain(text);
            assertThat(e.spans()).hasSize(n);
            assertThat(e.cost().texts()).isEqualTo(n + 1);
            assertThat(e.cost().encoderCalls()).isPositive();
            assertThat(e.cost().engineNanos())
                    .isPositive()
                    .isLessThanOrEqualTo(e.cost().wallNanos());
            assertThat(e.modelVersion()).isEqualTo("t1");
            assertThat(e.labels().keySet()).containsExactlyElementsOf(TestHeads.MODERATION);
            assertThat(e.classes().get("sentiment").keySet()).containsExactlyElementsOf(TestHeads.SENTIMENT);
            // Row 0 is the original: the same scores as classifying it alone.
            float alone = classifier.classify(List.of(text)).get(0).scores().label("spam");
            assertThat(e.original().scores().label("spam")).isCloseTo(alone, within(1e-4f));
            // The random heads react to some words, and deterministically.
            assertThat(e.labels().get("spam").stream().filter(w -> Math.abs(w.weight()) > 1e-4))
                    .isNotEmpty();
            assertThat(again.labels().get("spam").get(n - 1).weight())
                    .isCloseTo(e.labels().get("spam").get(n - 1).weight(), within(1e-4));
            System.out.printf(
                    "occlusion cost: %d words, %d texts in %d encoder calls: engine %.1f ms, wall %.1f ms"
                            + " (again: engine %.1f ms, wall %.1f ms)%n",
                    n,
                    e.cost().texts(),
                    e.cost().encoderCalls(),
                    e.cost().engineMillis(),
                    e.cost().wallMillis(),
                    again.cost().engineMillis(),
                    again.cost().wallMillis());
        }
    }

    private static float[] minus(float[] a, float[] b) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] - b[i];
        }
        return out;
    }
}
