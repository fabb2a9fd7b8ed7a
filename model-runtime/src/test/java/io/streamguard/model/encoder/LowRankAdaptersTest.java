package io.streamguard.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamguard.model.heads.Float16;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LowRankAdaptersTest {

    @Test
    void fingerprintIsAStableHexSha256OfTheContent() {
        LowRankAdapters adapters = TestAdapters.tiny(1);
        assertThat(adapters.fingerprint()).hasSize(64).matches("[0-9a-f]+");
        assertThat(TestAdapters.tiny(1).fingerprint()).isEqualTo(adapters.fingerprint());
        assertThat(TestAdapters.tiny(1)).isEqualTo(adapters); // equal by content, not array identity
        assertThat(LowRankAdapters.fingerprintOf(null)).isNull();
    }

    @Test
    void fingerprintChangesWithAnyValueAlphaOrName() {
        LowRankAdapters base = TestAdapters.tiny(1);
        String name = "encoder.layer.1.output.dense.weight";
        LowRankAdapters.Pair p = base.kernels().get(name);
        float[] b = p.b().clone();
        b[b.length - 1] = Math.nextUp(b[b.length - 1]);
        Map<String, LowRankAdapters.Pair> oneUlp = new LinkedHashMap<>(base.kernels());
        oneUlp.put(name, new LowRankAdapters.Pair(p.in(), p.out(), p.a(), b));
        Map<String, LowRankAdapters.Pair> renamed = new LinkedHashMap<>(base.kernels());
        renamed.put("encoder.layer.2.output.dense.weight", renamed.remove(name));

        assertThat(new LowRankAdapters(2, 4f, oneUlp).fingerprint()).isNotEqualTo(base.fingerprint());
        assertThat(new LowRankAdapters(2, 4.5f, base.kernels()).fingerprint()).isNotEqualTo(base.fingerprint());
        assertThat(new LowRankAdapters(2, 4f, renamed).fingerprint()).isNotEqualTo(base.fingerprint());
        assertThat(TestAdapters.tiny(2).fingerprint()).isNotEqualTo(base.fingerprint());
    }

    @Test
    void roundingToHalvesKeepsShapesAndMakesEveryValueExact() {
        LowRankAdapters rounded = Float16.round(TestAdapters.tiny(1));
        rounded.kernels().values().forEach(p -> {
            assertThat(Float16.allExact(p.a())).isTrue();
            assertThat(Float16.allExact(p.b())).isTrue();
        });
        assertThat(rounded.parameters()).isEqualTo(TestAdapters.tiny(1).parameters());
        assertThat(Float16.round(rounded)).isEqualTo(rounded);
        assertThat(rounded).isNotEqualTo(TestAdapters.tiny(1));
    }
}
