package io.streamguard.model.testing;

import io.streamguard.model.training.BuiltinDatasets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * A datasets directory laid out like {@code shared/datasets} ({@link BuiltinDatasets}), a few dozen
 * rows per task, with texts an encoder separates easily, so a head trained in seconds must clearly
 * beat chance. Published in model-runtime's test-jar, so the launcher's {@code train}/{@code eval} tests
 * train on the same rows.
 */
public final class TinyDatasets {

    /** Rows per class of each split; spam has {@link #HAM} + {@link #SPAM} rows. */
    public static final int TRAIN_PER_CLASS = 12;

    public static final int VALIDATION_PER_CLASS = 6;
    public static final int HAM = 60;
    public static final int SPAM = 30;

    private static final String[] GOOD = {"wonderful", "delightful", "brilliant", "moving", "charming", "superb"};
    private static final String[] BAD = {"dreadful", "boring", "awful", "tedious", "clumsy", "terrible"};
    private static final String[] WORKS = {"film", "story", "performance", "movie"};
    private static final String[] INSULTS = {"stupid", "pathetic", "worthless", "disgusting", "moronic", "ugly"};
    private static final String[] TARGETS = {"idiot", "loser", "clown", "moron"};
    private static final String[] KIND = {"lovely", "kind", "helpful", "thoughtful", "nice", "warm"};
    private static final String[] THINGS = {"message", "advice", "photo", "update"};
    private static final String[] GROUPS = {"immigrants", "refugees", "migrants", "foreigners"};
    private static final String[] PRIZES = {"holiday", "mobile phone", "£500 cash", "ringtone", "car", "voucher"};
    private static final String[] MEALS = {"lunch", "dinner", "coffee", "breakfast"};
    private static final String[] HAO = {"很好", "很棒", "舒适", "干净", "热情", "满意"};
    private static final String[] CHA = {"很差", "糟糕", "肮脏", "吵闹", "冷漠", "失望"};
    private static final String[] PLACES = {"酒店", "房间", "餐厅", "服务"};
    private static final String[] MA = {"蠢货", "废物", "垃圾", "白痴", "混蛋", "傻瓜"};
    private static final String[] XIE = {"谢谢", "感谢", "辛苦了", "欢迎", "祝福", "佩服"};
    private static final String[] TOPICS = {"race", "region", "gender"};

    private TinyDatasets() {}

    /** Writes every task's files under {@code dir} (created if needed) and returns {@code dir}. */
    public static Path write(Path dir) {
        try {
            tsv(dir.resolve("sst2/train.tsv"), "label\tsentence", sentiment(TRAIN_PER_CLASS, 0), "1", "0");
            tsv(dir.resolve("sst2/dev.tsv"), "label\tsentence", sentiment(VALIDATION_PER_CLASS, 3), "1", "0");
            lineAligned(dir.resolve("tweeteval/offensive"), "train", offensive(TRAIN_PER_CLASS, 0), false);
            lineAligned(dir.resolve("tweeteval/offensive"), "val", offensive(VALIDATION_PER_CLASS, 2), false);
            // TweetEval hate has empty tweets, which the reader skips: one here too.
            lineAligned(dir.resolve("tweeteval/hate"), "train", hate(TRAIN_PER_CLASS, 0), true);
            lineAligned(dir.resolve("tweeteval/hate"), "val", hate(VALIDATION_PER_CLASS, 1), false);
            List<List<String>> sms = List.of(spam(SPAM), ham(HAM));
            tsv(dir.resolve("sms-spam/train.tsv"), "Label\tSMS", sms, "spam", "ham");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /**
     * Writes the Chinese tasks' files under {@code dir} (created if needed), laid out like COLD
     * ({@code cold/{train,dev}.csv}: BOM, header {@code ,split,topic,label,TEXT}, texts with commas quoted,
     * some with doubled quotes) and ChnSentiCorp ({@code chnsenticorp/{train,dev}.tsv}), and returns {@code dir}.
     */
    public static Path writeChinese(Path dir) {
        try {
            cold(dir.resolve("cold/train.csv"), "train", chineseOffensive(TRAIN_PER_CLASS, 0));
            cold(dir.resolve("cold/dev.csv"), "dev", chineseOffensive(VALIDATION_PER_CLASS, 2));
            tsv(dir.resolve("chnsenticorp/train.tsv"), "label\ttext_a", chineseSentiment(TRAIN_PER_CLASS, 0), "1", "0");
            tsv(
                    dir.resolve("chnsenticorp/dev.tsv"),
                    "label\ttext_a",
                    chineseSentiment(VALIDATION_PER_CLASS, 1),
                    "1",
                    "0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    private static List<List<String>> chineseSentiment(int perClass, int shift) {
        List<String> positive = new ArrayList<>();
        List<String> negative = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            String place = PLACES[(i / HAO.length + shift) % PLACES.length];
            positive.add(place + HAO[i % HAO.length] + "，我们非常喜欢，下次还会再来");
            negative.add(place + CHA[i % CHA.length] + "，我们非常后悔，再也不会来了");
        }
        return List.of(positive, negative);
    }

    /** Offensive texts say "你这个<insult>, get lost"; safe ones thank; every third carries a quoted word. */
    private static List<List<String>> chineseOffensive(int perClass, int shift) {
        List<String> offensive = new ArrayList<>();
        List<String> safe = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            String quote = (i + shift) % 3 == 0 ? "\"" : "";
            offensive.add("你这个" + quote + MA[i % MA.length] + quote + ",滚出去，别再说话了");
            safe.add(XIE[i % XIE.length] + "你的分享," + quote + "很有帮助" + quote + "，祝你生活愉快");
        }
        return List.of(offensive, safe);
    }

    /** COLD's layout: index (unnamed), split, topic, label, TEXT; texts quoted (they hold commas). */
    private static void cold(Path file, String split, List<List<String>> byClass) throws IOException {
        StringBuilder csv = new StringBuilder("\uFEFF,split,topic,label,TEXT\n");
        int[] index = {0};
        interleave(byClass, (text, cls) -> {
            int i = index[0]++;
            csv.append(1000 + i)
                    .append(',')
                    .append(split)
                    .append(',')
                    .append(TOPICS[i % TOPICS.length])
                    .append(',')
                    .append(cls == 0 ? "1" : "0")
                    .append(",\"")
                    .append(text.replace("\"", "\"\""))
                    .append("\"\n");
        });
        Files.createDirectories(file.getParent());
        Files.writeString(file, csv);
    }

    /** Texts of class 1 then class 0; {@code shift} varies the wording between splits. */
    private static List<List<String>> sentiment(int perClass, int shift) {
        List<String> positive = new ArrayList<>();
        List<String> negative = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            String work = WORKS[(i / GOOD.length + shift) % WORKS.length];
            positive.add("a " + GOOD[i % GOOD.length] + " " + work + " , i loved every minute of it");
            negative.add("a " + BAD[i % BAD.length] + " " + work + " , i hated every minute of it");
        }
        return List.of(positive, negative);
    }

    private static List<List<String>> offensive(int perClass, int shift) {
        List<String> offensive = new ArrayList<>();
        List<String> polite = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            offensive.add("@user you " + INSULTS[i % INSULTS.length] + " "
                    + TARGETS[(i / INSULTS.length + shift) % TARGETS.length] + " , shut your mouth");
            polite.add("@user thanks for the " + KIND[i % KIND.length] + " "
                    + THINGS[(i / KIND.length + shift) % THINGS.length] + " , have a great day");
        }
        return List.of(offensive, polite);
    }

    private static List<List<String>> hate(int perClass, int shift) {
        List<String> hate = new ArrayList<>();
        List<String> welcome = new ArrayList<>();
        for (int i = 0; i < perClass; i++) {
            String group = GROUPS[(i + shift) % GROUPS.length];
            hate.add(group + " are vermin ruining our country , kick them all out #" + i);
            welcome.add(group + " are welcome here , glad to have them as neighbours #" + i);
        }
        return List.of(hate, welcome);
    }

    private static List<String> spam(int rows) {
        List<String> spam = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            spam.add("WINNER!! You have won a FREE " + PRIZES[i % PRIZES.length] + " prize. Call 0906170" + (1000 + i)
                    + " now to claim, txt WIN to 8" + (100 + i));
        }
        return spam;
    }

    private static List<String> ham(int rows) {
        List<String> ham = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            ham.add("hey, are we still on for " + MEALS[i % MEALS.length] + " at " + (1 + i % 12)
                    + (i < 30 ? " tomorrow" : " on friday") + "? see you there");
        }
        return ham;
    }

    private static void tsv(Path file, String header, List<List<String>> byClass, String positive, String negative)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(header);
        interleave(byClass, (text, cls) -> lines.add((cls == 0 ? positive : negative) + "\t" + text));
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
    }

    private static void lineAligned(Path folder, String split, List<List<String>> byClass, boolean emptyTweet)
            throws IOException {
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        interleave(byClass, (text, cls) -> {
            texts.add(text);
            labels.add(cls == 0 ? "1" : "0");
        });
        if (emptyTweet) {
            texts.add(texts.size() / 2, "");
            labels.add(labels.size() / 2, "1");
        }
        Files.createDirectories(folder);
        Files.write(folder.resolve(split + "_text.txt"), texts);
        Files.write(folder.resolve(split + "_labels.txt"), labels);
    }

    /**
     * Visits the lists' texts alternately, so files are not sorted by class; {@code cls} is the list's index
     * (every list above puts class 1 first).
     */
    private static void interleave(List<List<String>> byClass, ObjIntConsumer<String> row) {
        int longest = byClass.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (int cls = 0; cls < byClass.size(); cls++) {
                if (i < byClass.get(cls).size()) {
                    row.accept(byClass.get(cls).get(i), cls);
                }
            }
        }
    }
}
