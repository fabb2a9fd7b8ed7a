package io.streamguard.retrainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Which feedback texts are one piece of evidence: normalisation, threshold, groups, the indexed search's exactness. */
class NearDuplicatesTest {

    private final NearDuplicates nearDuplicates = new NearDuplicates(RetrainerSettings.NEAR_DUPLICATES);

    @Test
    void normalisationIgnoresCaseWidthPunctuationAndWhichDigits() {
        assertThat(NearDuplicates.words("Order #1234: LEFT in the porch!!"))
                .containsExactly("0", "in", "left", "order", "porch", "the");
        assertThat(NearDuplicates.similarity("Order 12 left", "ｏｒｄｅｒ 99, left."))
                .isEqualTo(1.0);
        assertThat(NearDuplicates.words("垃圾邮件 spam")).containsExactlyInAnyOrder("垃", "圾", "邮", "件", "spam");
        assertThat(NearDuplicates.similarity("", "!!!")).isEqualTo(1.0);
    }

    @Test
    void aTemplateWithANameCoinOrDeadlineSwappedIsOneText() {
        String a = "quick heads up from Mia, the solana foundation is mirroring every deposit 2x until midnight,"
                + " just transfer to the pinned address and keep the receipt";
        String b = "quick heads up from Rosa, the cardano foundation is mirroring every deposit 3x for the next hour,"
                + " just transfer to the pinned address and keep the receipt";
        String unrelated = "the movie , directed by mick jackson , leaves no cliche unturned";
        assertThat(NearDuplicates.similarity(a, b)).isBetween(0.6, 0.8);
        assertThat(NearDuplicates.similarity(a, unrelated)).isLessThan(0.2);
        assertThat(nearDuplicates.groups(List.of(a, unrelated, b))).containsExactly(0, 1, 0);
    }

    @Test
    void groupsAreTheTransitiveClosureNamedByTheirFirstText() {
        List<String> texts = List.of(
                "alpha beta gamma delta", // 0
                "one two three four", // 1
                "alpha beta gamma epsilon", // 2: 3/5 with 0
                "one two three five", // 3: with 1
                "alpha beta zeta epsilon", // 4: 3/5 with 2, 2/6 with 0: joins through 2
                "nothing in common here");
        assertThat(nearDuplicates.groups(texts)).containsExactly(0, 1, 0, 1, 0, 5);
        assertThat(nearDuplicates.groups(List.of())).isEmpty();
    }

    @Test
    void theIndexedSearchFindsExactlyThePairsABruteForceFinds() {
        // Mutations of 30 random seed texts (0 to 4 words replaced, some dropped), so many pairs sit near the
        // threshold on either side.
        Random random = new Random(3);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Random seed = new Random(random.nextInt(30));
            StringBuilder t = new StringBuilder();
            int words = 3 + seed.nextInt(6);
            for (int w = 0; w < words; w++) {
                int word = seed.nextInt(200);
                int roll = random.nextInt(8);
                if (roll == 0) {
                    continue;
                }
                t.append(' ').append(word(roll == 1 ? random.nextInt(200) : word));
            }
            texts.add(t.toString());
        }
        int[] groups = nearDuplicates.groups(texts);
        int[] brute = new int[texts.size()];
        for (int i = 0; i < brute.length; i++) {
            brute[i] = i;
        }
        boolean changed = true;
        while (changed) { // label propagation: every text takes the smallest label of a near-copy
            changed = false;
            for (int i = 0; i < texts.size(); i++) {
                for (int j = 0; j < texts.size(); j++) {
                    if (brute[j] < brute[i] && NearDuplicates.similarity(texts.get(i), texts.get(j)) >= 0.5) {
                        brute[i] = brute[j];
                        changed = true;
                    }
                }
            }
        }
        assertThat(groups).containsExactly(brute);
        assertThat(Arrays.stream(groups).distinct().count())
                .as("not all one group")
                .isGreaterThan(5);
    }

    /** A word of letters only (digits would all be one token). */
    private static String word(int n) {
        return "" + (char) ('a' + n % 26) + (char) ('a' + n / 26) + "q";
    }

    @Test
    void refusesAThresholdOutsideZeroToOne() {
        assertThatThrownBy(() -> new NearDuplicates(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NearDuplicates(1.2)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new NearDuplicates(1).groups(List.of("a b", "b a", "a b c"))).containsExactly(0, 0, 2);
    }
}
