package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A split into {@code -Dearthling.split.children=N} children (100,000 for the benchmark in docs/benchmarks.md) on
 * PostgreSQL, the manager capped at {@code -Xmx128m}; its GC log gives the peak heap. Not in the default suite:
 * it runs only when the property is set.
 */
class SplitAtScaleIT {
    private static final Pattern GC = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    @Test
    void a_split_into_many_children_completes_with_the_manager_in_a_small_heap() throws Exception {
        String n = System.getProperty("earthling.split.children");
        assumeTrue(n != null && !n.isBlank(), "set -Dearthling.split.children=N to run");
        int children = Integer.parseInt(n);
        try (SeedCluster c = new SeedCluster("split-at-scale", TestPostgres.freshDatabase(), 1, 4)) {
            Path gcLog = c.cluster.dir().resolve("manager-gc.log");
            Files.deleteIfExists(gcLog);
            c.startManager(List.of("-Xmx128m", "-Xlog:gc:file=" + gcLog)).startAssistants().awaitNodes(1);
            long t0 = System.nanoTime();
            long id = c.client().submit(JobSpec.of("fanout", "{\"width\":" + children + "}"));

            JobView done = c.client().await(List.of(id), Duration.ofMinutes(30)).get(0);

            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertThat(done.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(new ObjectMapper().readTree(done.result()).path("sum").asLong())
                    .isEqualTo((long) children * (children + 1) / 2);
            long peakUsed = 0;
            long peakLive = 0;
            Matcher m = GC.matcher(Files.readString(gcLog));
            while (m.find()) {
                peakUsed = Math.max(peakUsed, Long.parseLong(m.group(1)));
                peakLive = Math.max(peakLive, Long.parseLong(m.group(2)));
            }
            String report = String.format("split into %d children: %d s on 1 assistant x 4 workers (PostgreSQL); "
                    + "manager -Xmx128m: peak heap used %d MB, peak live after GC %d MB%n", children, seconds, peakUsed, peakLive);
            c.cluster.write("report.txt", report);
            System.out.print(report);
        }
    }
}
