package io.earthling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GcLogTest {

    @Test
    void a_pause_line_gives_the_heap_it_left_and_other_lines_give_none() {
        assertThat(GcLog.afterBytes("[69.8s][info][gc] GC(27) Pause Young (Normal) (G1 Evacuation Pause) 41M->16M(50M) 1.8ms"))
                .isEqualTo(16L << 20);
        assertThat(GcLog.afterBytes("[1.0s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 900K->512K(8M) 1ms"))
                .isEqualTo(512L << 10);
        assertThat(GcLog.afterBytes("[9.0s][info][gc] GC(7) Pause Full (System.gc()) 3G->1G(4G) 900ms")).isEqualTo(1L << 30);
        assertThat(GcLog.afterBytes("[2.0s][info][gc] Using G1")).isEqualTo(-1);
        assertThat(GcLog.afterBytes("[5.0s][info][gc] GC(3) Concurrent Mark Cycle 12.3ms")).isEqualTo(-1);
    }

    @Test
    void each_poll_reads_only_what_was_appended_and_keeps_the_last_value_when_nothing_ran(@TempDir Path dir)
            throws Exception {
        Path f = dir.resolve("gc.log");
        GcLog log = new GcLog(f);
        assertThat(log.poll()).isEqualTo(new GcLog.Interval(0, -1, -1));
        Files.writeString(f, "[1s][info][gc] GC(0) Pause Young (Normal) 40M->20M(64M) 1ms\n"
                + "[2s][info][gc] GC(1) Pause Young (Normal) 44M->18M(64M) 1ms\n[3s][info][gc] GC(2) Pause Young");
        assertThat(log.poll()).isEqualTo(new GcLog.Interval(2, 18L << 20, 18L << 20));
        Files.writeString(f, " (Normal) 50M->25M(64M) 1ms\n", StandardOpenOption.APPEND);
        assertThat(log.poll()).isEqualTo(new GcLog.Interval(1, 25L << 20, 25L << 20));
        assertThat(log.poll()).isEqualTo(new GcLog.Interval(0, -1, 25L << 20));
    }
}
