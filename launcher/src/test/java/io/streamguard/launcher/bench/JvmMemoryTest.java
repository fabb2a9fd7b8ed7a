package io.streamguard.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code GC.heap_info} as Java 17 prints it for the collectors workers run with. */
class JvmMemoryTest {

    @Test
    void g1HasOneHeapLine() {
        String info = """
                12345:
                 garbage-first heap   total 262144K, used 26311K [0x00000000f0000000, 0x0000000100000000)
                  region size 1024K, 5 young (5120K), 0 survivors (0K)
                 Metaspace       used 61234K, committed 61888K, reserved 1105920K
                  class space    used 7012K, committed 7296K, reserved 1048576K
                """;
        assertThat(JvmMemory.heapUsedKb(info, 12345)).isEqualTo(26311);
    }

    @Test
    void serialCollectorSumsItsGenerationsButNotMetaspace() {
        String info = """
                12345:
                 def new generation   total 4928K, used 1210K [0x00000000d0000000, 0x00000000d0550000, 0x00000000e0000000)
                  eden space 4416K,  27% used [0x00000000d0000000, 0x00000000d012e8b8, 0x00000000d0450000)
                  from space 512K,   0% used [0x00000000d0450000, 0x00000000d0450000, 0x00000000d04d0000)
                 tenured generation   total 60544K, used 24975K [0x00000000e0000000, 0x00000000e3b20000, 0x0000000100000000)
                   the space 60544K,  41% used [0x00000000e0000000, 0x00000000e1863f08, 0x00000000e3b20000)
                 Metaspace       used 61234K, committed 61888K, reserved 1105920K
                """;
        assertThat(JvmMemory.heapUsedKb(info, 12345)).isEqualTo(1210 + 24975);
    }

    @Test
    void noHeapLineIsAnError() {
        assertThatThrownBy(() -> JvmMemory.heapUsedKb("12345:\n Metaspace used 1K, committed 2K\n", 12345))
                .isInstanceOf(BenchmarkException.class)
                .hasMessageContaining("no heap used");
    }
}
