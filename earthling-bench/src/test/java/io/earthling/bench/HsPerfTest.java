package io.earthling.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HsPerfTest {

    @Test
    void this_jvms_own_performance_data_gives_a_heap_in_use_that_includes_the_old_generation() {
        HsPerf.Heap h = HsPerf.heap(ProcessHandle.current().pid());
        assertThat(h.usedBytes()).isPositive();
        assertThat(h.oldUsedBytes()).isBetween(0L, h.usedBytes());
    }

    @Test
    void a_process_without_a_performance_data_file_reads_as_no_heap() {
        assertThat(HsPerf.heap(Long.MAX_VALUE)).isEqualTo(HsPerf.Heap.NONE);
    }

    @Test
    void a_file_that_is_not_performance_data_is_refused_by_its_magic() {
        assertThatThrownBy(() -> HsPerf.longCounters(new byte[64])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad magic");
    }
}
