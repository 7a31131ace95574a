package io.earthling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.EarthlingClient;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProgressTest {

    /** A client whose only answer is to await: each call returns the next round of final jobs. */
    private static EarthlingClient finishing(Deque<List<JobView>> rounds, List<List<Long>> asked) {
        return (EarthlingClient) Proxy.newProxyInstance(ProgressTest.class.getClassLoader(), new Class<?>[] {EarthlingClient.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("await")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    @SuppressWarnings("unchecked")
                    List<Long> ids = (List<Long>) args[0];
                    asked.add(ids);
                    return rounds.isEmpty() ? List.of() : rounds.poll();
                });
    }

    private static JobView job(long id, JobState state) {
        return new JobView(id, "default", "echo", state, 1, 3, 0, null, null, null, null, null, null, null, null);
    }

    @Test
    void on_a_terminal_a_bar_with_final_succeeded_and_failed_counts_is_redrawn_in_place() {
        Deque<List<JobView>> rounds = new ArrayDeque<>(List.of(List.of(job(1, JobState.SUCCEEDED)), List.of(job(2, JobState.DEAD))));
        List<List<Long>> asked = new java.util.ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        List<JobView> done = new Progress(2, new PrintStream(bytes, true, StandardCharsets.UTF_8), true)
                .await(finishing(rounds, asked), List.of(1L, 2L), Duration.ofSeconds(30));

        assertThat(done).extracting(JobView::id).containsExactly(1L, 2L);
        assertThat(asked).as("only jobs not final yet are asked about again").containsExactly(List.of(1L, 2L), List.of(2L));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).matches("\r\\[#{15}\\.{15}\\] 1/2 final \\(1 succeeded, 0 failed\\), \\d+ jobs/s, \\d+\\.\\d s"
                + "\r\\[#{30}\\] 2/2 final \\(1 succeeded, 1 failed\\), \\d+ jobs/s, \\d+\\.\\d s\n");
    }

    @Test
    void with_nowhere_to_write_it_only_waits() {
        Deque<List<JobView>> rounds = new ArrayDeque<>(List.of(List.of(job(5, JobState.SUCCEEDED))));

        List<JobView> done = new Progress(1, null, false).await(finishing(rounds, new java.util.ArrayList<>()), List.of(5L),
                Duration.ofSeconds(30));

        assertThat(done).extracting(JobView::state).containsExactly(JobState.SUCCEEDED);
    }
}
