package io.streamguard.retrainer;

import io.streamguard.model.encoder.EncoderConfig;
import io.streamguard.model.encoder.LoadedEncoder;
import io.streamguard.model.heads.HeadsFile;
import io.streamguard.model.heads.HeadsModel;
import io.streamguard.model.testing.EncoderViews;
import io.streamguard.model.testing.TinyDatasets;
import io.streamguard.model.training.BuiltinDatasets;
import io.streamguard.model.training.FeatureCache;
import io.streamguard.model.training.ModelTrainer;
import io.streamguard.model.training.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@link TinyBase}'s Chinese counterpart: a base version {@code v1} of {@value EncoderConfig#BGE_SMALL_ZH} with
 * the two heads Chinese has data for (offensive on COLD, sentiment on ChnSentiCorp), trained on
 * {@link TinyDatasets#writeChinese} only. The Chinese engine is not part of this build, so TinyBase's MiniLM
 * stands in under that id (as in model-runtime's ChineseModelTrainerTest): its vocabulary has the CJK
 * characters; the routing, data and heads are under test, not the features.
 */
final class TinyChinese {

    private static TinyChinese instance;

    final LoadedEncoder encoder;
    final Path dir;
    final BuiltinDatasets datasets;
    final FeatureCache cache;
    final BaseData base;
    final HeadsModel v1;
    final Path v1File;

    private TinyChinese() throws IOException {
        dir = Files.createTempDirectory("retrainer-zh-test");
        encoder = EncoderViews.renamed(TinyBase.get().encoder, EncoderConfig.BGE_SMALL_ZH);
        // Only the Chinese files: a Chinese retrainer must neither read nor need the English ones.
        datasets = new BuiltinDatasets(TinyDatasets.writeChinese(dir.resolve("datasets")));
        cache = new FeatureCache(dir.resolve("features"));
        v1 = new ModelTrainer(cache, datasets)
                .train(
                        encoder,
                        TinyBase.settings(List.of(Task.OFFENSIVE, Task.SENTIMENT)),
                        ModelTrainer.Listener.silent())
                .model();
        v1File = dir.resolve("v1-zh.json");
        HeadsFile.write(v1, v1File);
        base = BaseData.load(
                encoder, BaseData.tasksFor(v1), cache, datasets, 1_000, TinyBase.SEED, (done, total, elapsed) -> {});
    }

    static synchronized TinyChinese get() {
        if (instance == null) {
            try {
                instance = new TinyChinese();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /**
     * {@code n} playful Chinese texts ("你这个小可爱, 滚出去玩吧" ...) with the verdict "not offensive": they share the
     * base version's offensive wording, so it flags them; moderators correct it.
     */
    static List<FeedbackExample> teasing(int n) {
        String[] pets = {"小可爱", "小宝贝", "小机灵鬼", "小天才", "小吃货", "小调皮", "小懒猫"};
        String[] go = {"滚出去玩吧", "快出去晒太阳", "出去跑两圈", "去公园逛逛", "下楼买奶茶", "出门散散心", "去海边玩"};
        List<FeedbackExample> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String text = "你这个" + pets[i % pets.length] + "，" + go[(i / pets.length + i) % go.length] + "，今天第" + (i + 1)
                    + "次笑出声";
            out.add(new FeedbackExample("zh-" + i, text, Map.of("offensive", false), 0, i));
        }
        return out;
    }
}
