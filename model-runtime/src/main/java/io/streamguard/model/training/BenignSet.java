package io.streamguard.model.training;

import io.streamguard.model.language.Language;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Harmless text per moderation label, the hard kind, drawn from the training splits only, so that
 * over-blocking ({@link OverBlocking}) is measured without touching the held-out test sets:
 * <ul>
 *   <li>{@code offensive}, {@code hate}: negative SST-2 train sentences (label 0) of at least
 *       {@value #MIN_WORDS} words — harsh about a film, civil about people; one sample serves both labels;
 *   <li>{@code spam}: ham of the SMS train split's fold 0 ({@link BuiltinDatasets#spamFolds}), the fold
 *       that trainers hold out for validation, less texts that also occur in folds 1-4 (SMS repeats
 *       "Ok lor" and the like), so the spam head never trained on these texts.
 * </ul>
 * For a Chinese encoder ({@link Language#CHINESE}), whose heads are offensive and sentiment only:
 * <ul>
 *   <li>{@code offensive}: negative ChnSentiCorp train reviews (label 0) of at least
 *       {@value #MIN_CHINESE_CHARS} letters or digits — harsh about a hotel, a book or a laptop, civil about
 *       people, as SST-2's negatives are for English.
 * </ul>
 * Each is a sample of at most {@code perLabel} distinct texts, drawn with {@code seed} (civil negatives
 * with {@code Random(seed)}, ham with {@code Random(seed + 1)}) after the rows are taken in file order,
 * so the same files and seed give the same set. Training that learns from such hard negatives must not
 * learn from these exact texts, or it would be measured on what it saw: {@link #without} removes them
 * (every row with a sampled text, duplicates included) from a training dataset.
 *
 * <p>TweetEval's not-offensive tweets are not used: their labels are noisy enough that "certainly not
 * offensive" cannot be promised for them.
 */
public final class BenignSet {

    /** The seed reports and {@code eval --benign} use. */
    public static final long DEFAULT_SEED = 15L;
    /** Texts per label: enough for a share to within about ±1.5 points at 3 %, cheap to encode. */
    public static final int DEFAULT_PER_LABEL = 1000;
    /** Shortest SST-2 text kept: SST-2 train also holds phrases ("dull", "the movie"), not reviews. */
    public static final int MIN_WORDS = 5;
    /** Shortest ChnSentiCorp text kept, in letters and digits (Chinese has no spaces to count words by). */
    public static final int MIN_CHINESE_CHARS = 10;

    /**
     * Everyday sentences a new user saw over-blocked by MiniLM v1 (issue 15), and a few like them: each
     * is shown with its decision in reports, never counted in a share.
     */
    public static final List<String> SMOKE = List.of(
            "This movie was terrible, total waste of money",
            "My cat knocked the plant off the table again",
            "I disagree with your argument about taxes",
            "Hi mom, just transfer the rent to the usual account by Friday and keep the receipt",
            "The service at that restaurant was slow and the soup was cold",
            "Can you pick up milk and bread on your way home?",
            "I hate Mondays, the traffic this morning was awful",
            "Your package will arrive on Tuesday between 9 and 12");

    /** {@link #SMOKE} in everyday Chinese, the sentences a Chinese set shows ({@link #smoke()}). */
    public static final List<String> SMOKE_CHINESE = List.of(
            "这部电影太烂了，完全是浪费钱",
            "我的猫又把桌上的花盆打翻了",
            "我不同意你关于税收的观点",
            "妈妈，周五前把房租转到老账户就行，记得留好收据",
            "那家餐厅上菜很慢，汤也是凉的",
            "你回家路上能顺便买点牛奶和面包吗？",
            "我讨厌星期一，今天早上堵车太厉害了",
            "您的包裹将于周二9点到12点之间送达");

    static final String SST2_TRAIN = "sst2/train.tsv";
    static final String SMS_TRAIN = "sms-spam/train.tsv";
    static final String CHNSENTICORP_TRAIN = "chnsenticorp/train.tsv";

    /** One benign text and where it is: file relative to the datasets directory, 1-based line. */
    public record Item(String text, String source, int line) {}

    private final Map<String, List<Item>> byLabel;
    private final Map<String, String> rules;
    private final Set<String> texts;
    private final List<String> smoke;

    private BenignSet(Map<String, List<Item>> byLabel, Map<String, String> rules, List<String> smoke) {
        this.byLabel = Collections.unmodifiableMap(new LinkedHashMap<>(byLabel));
        this.rules = Map.copyOf(rules);
        this.smoke = List.copyOf(smoke);
        Set<String> all = new LinkedHashSet<>();
        byLabel.values().forEach(items -> items.forEach(item -> all.add(item.text())));
        this.texts = Collections.unmodifiableSet(all);
    }

    /** The English set with {@link #DEFAULT_SEED} and {@link #DEFAULT_PER_LABEL}. */
    public static BenignSet sample(BuiltinDatasets datasets) {
        return sample(datasets, Language.ENGLISH);
    }

    /** The set of {@code language} with {@link #DEFAULT_SEED} and {@link #DEFAULT_PER_LABEL}. */
    public static BenignSet sample(BuiltinDatasets datasets, Language language) {
        return sample(datasets, language, DEFAULT_SEED, DEFAULT_PER_LABEL);
    }

    /** The English set; see {@link #sample(BuiltinDatasets, Language, long, int)}. */
    public static BenignSet sample(BuiltinDatasets datasets, long seed, int perLabel) {
        return sample(datasets, Language.ENGLISH, seed, perLabel);
    }

    /**
     * Draws the set of {@code language} from {@code datasets}' train files.
     *
     * @throws DatasetFormatException if a file is missing or malformed
     */
    public static BenignSet sample(BuiltinDatasets datasets, Language language, long seed, int perLabel) {
        if (perLabel < 1) {
            throw new IllegalArgumentException("perLabel must be at least 1, was " + perLabel);
        }
        if (language == Language.CHINESE) {
            return chinese(datasets, seed, perLabel);
        }
        List<Item> civil = new ArrayList<>();
        for (LabeledText row : datasets.train(Task.SENTIMENT).rows()) {
            if (row.label() == 0 && words(row.text()) >= MIN_WORDS) {
                civil.add(new Item(row.text(), SST2_TRAIN, row.line()));
            }
        }
        Dataset sms = datasets.train(Task.SPAM);
        StratifiedKFold.Fold holdOut = BuiltinDatasets.spamFolds(sms).get(0);
        Set<String> trainedOn =
                new HashSet<>(sms.subset(holdOut.train(), "folds 1-4").texts());
        List<Item> ham = new ArrayList<>();
        for (int i : holdOut.test()) {
            LabeledText row = sms.rows().get(i);
            if (row.label() == 0 && !trainedOn.contains(row.text())) {
                ham.add(new Item(row.text(), SMS_TRAIN, row.line()));
            }
        }
        ham.sort(Comparator.comparingInt(Item::line));
        List<Item> civilSample = draw(civil, perLabel, new Random(seed));
        Map<String, List<Item>> byLabel = new LinkedHashMap<>();
        byLabel.put(Task.OFFENSIVE.id(), civilSample);
        byLabel.put(Task.HATE.id(), civilSample);
        byLabel.put(Task.SPAM.id(), draw(ham, perLabel, new Random(seed + 1)));
        String civilRule = "negative SST-2 train sentences (" + SST2_TRAIN + ", label 0, >= " + MIN_WORDS + " words)";
        return new BenignSet(
                byLabel,
                Map.of(
                        Task.OFFENSIVE.id(),
                        civilRule,
                        Task.HATE.id(),
                        civilRule,
                        Task.SPAM.id(),
                        "ham of the SMS train split's fold 0 (" + SMS_TRAIN
                                + ", the spam validation fold; none also in folds 1-4)"),
                SMOKE);
    }

    /** Chinese: negative ChnSentiCorp train reviews for offensive, drawn like English's civil negatives. */
    private static BenignSet chinese(BuiltinDatasets datasets, long seed, int perLabel) {
        List<Item> civil = new ArrayList<>();
        for (LabeledText row : datasets.train(Task.SENTIMENT, Language.CHINESE).rows()) {
            if (row.label() == 0
                    && row.text()
                                    .codePoints()
                                    .filter(Character::isLetterOrDigit)
                                    .count()
                            >= MIN_CHINESE_CHARS) {
                civil.add(new Item(row.text(), CHNSENTICORP_TRAIN, row.line()));
            }
        }
        return new BenignSet(
                Map.of(Task.OFFENSIVE.id(), draw(civil, perLabel, new Random(seed))),
                Map.of(
                        Task.OFFENSIVE.id(),
                        "negative ChnSentiCorp train reviews (" + CHNSENTICORP_TRAIN + ", label 0, >= "
                                + MIN_CHINESE_CHARS + " letters or digits)"),
                SMOKE_CHINESE);
    }

    /** A set of given texts, for tests and callers with their own benign data. */
    public static BenignSet of(Map<String, List<String>> textsByLabel) {
        Map<String, List<Item>> byLabel = new LinkedHashMap<>();
        Map<String, String> rules = new LinkedHashMap<>();
        textsByLabel.forEach((label, list) -> {
            byLabel.put(label, list.stream().map(t -> new Item(t, "given", 0)).toList());
            rules.put(label, "given texts");
        });
        return new BenignSet(byLabel, rules, SMOKE);
    }

    /**
     * Everyday sentences in the set's language, shown with their decision in reports and never counted in a
     * share: {@link #SMOKE} for English and given sets, {@link #SMOKE_CHINESE} for Chinese.
     */
    public List<String> smoke() {
        return smoke;
    }

    /** The labels this set has texts for, in order (offensive, hate, spam). */
    public List<String> labels() {
        return List.copyOf(byLabel.keySet());
    }

    /**
     * Every label's even-numbered texts (0th, 2nd, ... in file order): what a trainer may set thresholds on
     * ({@link ThresholdCalibration}). Over-blocking is then measured on {@link #heldOut()}.
     */
    public BenignSet calibration() {
        return half(0, "calibration half");
    }

    /** Every label's odd-numbered texts: the half no threshold was set on, where over-blocking is measured. */
    public BenignSet heldOut() {
        return half(1, "held-out half");
    }

    private BenignSet half(int parity, String name) {
        Map<String, List<Item>> halves = new LinkedHashMap<>();
        Map<String, String> named = new LinkedHashMap<>();
        byLabel.forEach((label, items) -> {
            List<Item> kept = new ArrayList<>();
            for (int i = parity; i < items.size(); i += 2) {
                kept.add(items.get(i));
            }
            halves.put(label, kept);
            named.put(label, rules.get(label) + ", " + name);
        });
        return new BenignSet(halves, named, smoke);
    }

    /** The benign texts of {@code label}, in file order; empty for a label the set does not cover. */
    public List<Item> items(String label) {
        return byLabel.getOrDefault(label, List.of());
    }

    /** What {@code label}'s texts are, in words, for reports. */
    public String rule(String label) {
        return rules.getOrDefault(label, "none");
    }

    /** Every distinct text of the set, first label first. */
    public List<String> texts() {
        return List.copyOf(texts);
    }

    /** Whether {@code text} is one of the set's texts. */
    public boolean contains(String text) {
        return texts.contains(text);
    }

    /**
     * {@code data} without the rows whose text is in this set: what a trainer that uses hard negatives (or
     * any of these files) should learn from, so the over-blocking it reports is on texts it never saw.
     */
    public Dataset without(Dataset data) {
        List<LabeledText> kept = new ArrayList<>(data.size());
        for (LabeledText row : data.rows()) {
            if (!texts.contains(row.text())) {
                kept.add(row);
            }
        }
        return new Dataset(
                data.task(), data.source() + " (without the benign set)", data.sha256(), kept, data.skipped());
    }

    /** Distinct texts of {@code pool} (first occurrence), shuffled with {@code random}, the first {@code n}, in file order. */
    private static List<Item> draw(List<Item> pool, int n, Random random) {
        Set<String> seen = new HashSet<>();
        List<Item> distinct = new ArrayList<>();
        for (Item item : pool) {
            if (seen.add(item.text())) {
                distinct.add(item);
            }
        }
        Collections.shuffle(distinct, random);
        List<Item> picked = new ArrayList<>(distinct.subList(0, Math.min(n, distinct.size())));
        picked.sort(Comparator.comparingInt(Item::line));
        return List.copyOf(picked);
    }

    /** Whitespace-separated tokens with a letter or digit (SST-2 spaces out its punctuation). */
    static int words(String text) {
        int n = 0;
        for (String token : text.strip().split("\\s+")) {
            if (token.codePoints().anyMatch(Character::isLetterOrDigit)) {
                n++;
            }
        }
        return n;
    }
}
