package io.earthling.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpinHandlerTest {

    @Test
    void spin_burns_cpu_for_its_time_and_does_not_stop_when_interrupted() throws Exception {
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            for (int i = 0; i < 20; i++) {
                caller.interrupt();
            }
        });
        long t0 = System.nanoTime();
        interrupter.start();
        String result = new SpinHandler().handle(new TestContext(1, 1, "{\"ms\": 60}"));
        interrupter.join();
        Thread.interrupted();

        assertThat((System.nanoTime() - t0) / 1_000_000).isGreaterThanOrEqualTo(60);
        assertThat(result).matches("\\{\"rounds\": [1-9][0-9]*}");
    }
}
