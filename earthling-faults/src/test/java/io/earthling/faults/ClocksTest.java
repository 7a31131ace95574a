package io.earthling.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClocksTest {

    @Test
    void a_jvm_under_libfaketime_reads_the_stepped_wall_clock_a_true_monotonic_clock_and_waits_as_asked(
            @TempDir Path dir) throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!ci) {
            assumeThat(Clocks.find()).as("libfaketime (apt-get install faketime); required under CI").isPresent();
        }
        Clocks clocks = Clocks.create(dir); // runs ClockProbe at +100 s and throws if it saw anything else
        assertThat(clocks.check()).isNull();
    }

    @Test
    void a_step_rewrites_the_spec_of_that_process_only_and_reset_puts_every_clock_back(@TempDir Path dir)
            throws Exception {
        assumeThat(Clocks.find()).isPresent();
        Clocks clocks = Clocks.create(dir);
        assertThat(clocks.environment("manager-1")).containsEntry("FAKETIME_DONT_FAKE_MONOTONIC", "1")
                .containsEntry("FAKETIME_FORCE_MONOTONIC_FIX", "0")
                .containsEntry("LD_PRELOAD", clocks.library().toString());
        clocks.environment("assistant-0");
        clocks.step("manager-1", -5_000);
        assertThat(Files.readString(dir.resolve("clocks/manager-1.faketime"))).isEqualTo("-5s\n");
        assertThat(Files.readString(dir.resolve("clocks/assistant-0.faketime"))).isEqualTo("+0s\n");
        clocks.step("assistant-0", 7_000);
        clocks.resetAll();
        assertThat(Files.readString(dir.resolve("clocks/manager-1.faketime"))).isEqualTo("+0s\n");
        assertThat(Files.readString(dir.resolve("clocks/assistant-0.faketime"))).isEqualTo("+0s\n");
    }

    @Test
    void a_monotonic_reading_of_another_process_maps_to_the_true_wall_clock() {
        long wall = System.currentTimeMillis();
        long mapped = Reconciler.trueMs(System.nanoTime());
        assertThat(mapped).isBetween(wall - 50, System.currentTimeMillis() + 50);
        assertThat(Reconciler.trueMs(System.nanoTime() + 5_000_000_000L) - Reconciler.trueMs(System.nanoTime()))
                .isBetween(4_900L, 5_000L);
    }
}
