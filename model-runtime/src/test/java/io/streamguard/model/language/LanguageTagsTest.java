package io.streamguard.model.language;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.encoder.EncoderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class LanguageTagsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "zh,zh",
        "zh-CN,zh",
        "zh_Hant,zh",
        "ZH,zh",
        "zh-Hant-TW,zh",
        "en-GB,en",
        "EN,en",
        " ja-JP ,ja",
        "zho,zh",
        "chi,zh",
        "cmn-Hans,zh",
        "eng,en",
        "yue,yue",
        "fr-CA,fr"
    })
    void primarySubtagLowerCase(String tag, String primary) {
        assertThat(LanguageTags.primary(tag)).isEqualTo(primary);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "  ", "und", "UND-Latn", "x-klingon", "english", "z", "1a", "e1-GB", "-en"})
    void noUsablePrimarySubtagLetsTheTextDecide(String tag) {
        assertThat(LanguageTags.primary(tag)).isNull();
    }

    @Test
    void theChineseEncoderReadsChineseEveryOtherEnglish() {
        assertThat(LanguageTags.ofEncoder(EncoderConfig.BGE_SMALL_ZH)).isEqualTo("zh");
        assertThat(LanguageTags.ofEncoder(EncoderConfig.MINILM_L6)).isEqualTo("en");
        assertThat(LanguageTags.ofEncoder(EncoderConfig.BERT_BASE_UNCASED)).isEqualTo("en");
    }

    @Test
    void theProducersTagWinsOverTheText() {
        assertThat(ResolvedLanguage.of("zh-TW", "hello world")).isEqualTo(new ResolvedLanguage("zh", false));
        assertThat(ResolvedLanguage.of("fr", "bonjour")).isEqualTo(new ResolvedLanguage("fr", false));
        assertThat(ResolvedLanguage.of(null, "你好世界")).isEqualTo(new ResolvedLanguage("zh", true));
        assertThat(ResolvedLanguage.of("und", "hello")).isEqualTo(new ResolvedLanguage("en", true));
        assertThat(ResolvedLanguage.of("", "🔥🔥")).isEqualTo(new ResolvedLanguage("und", true));
    }
}
