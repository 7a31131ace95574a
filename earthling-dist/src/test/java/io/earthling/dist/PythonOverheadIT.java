package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.earthling.api.EarthlingClient;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Measures (docs/benchmarks.md, "Python workers"): no-op jobs per second on two Python worker processes against two
 * Java ones, and the per-job cost of the {@code command} handler starting Python once per job
 * ({@code python3 -m earthling.once}, the same handler module) against a Python worker process. One cluster, the
 * phases one after another; each phase's jobs are submitted into a paused queue, timed from its resume until all
 * are final. Not in the default suite: it runs only with {@code -Dearthling.python.bench.jobs=N}.
 */
class PythonOverheadIT {

    @Test
    void python_workers_run_no_op_jobs_beside_java_workers_and_far_cheaper_than_a_process_per_job() throws Exception {
        String n = System.getProperty("earthling.python.bench.jobs");
        assumeTrue(n != null && !n.isBlank(), "set -Dearthling.python.bench.jobs=N to run");
        int jobs = Integer.parseInt(n);
        int commandJobs = Math.max(20, jobs / 50);
        Cluster cluster = new Cluster("python-overhead");
        Path pkg = PythonWorkersIT.PACKAGE;
        int managerPort = Cluster.freePort();
        int assistantPort = Cluster.freePort();
        Path config = cluster.write("earthling.yaml", "rpc:\n"
                + "  manager: { address: '127.0.0.1', port: " + managerPort + " }\n"
                + "  assistant:\n    - { address: '127.0.0.2', port: " + assistantPort + ", workers: ["
                + Cluster.freePort() + ", " + Cluster.freePort() + ", { port: " + Cluster.freePort()
                + ", runtime: python }, { port: " + Cluster.freePort() + ", runtime: python }] }\n"
                + "store: { url: \"" + TestPostgres.freshDatabase() + "\" }\n"
                + "worker:\n  commands: [" + PythonWorkersIT.PYTHON + "]\n  python:\n    modules: [sample_handlers]\n");
        // The command handler's Python and the Python workers find the package and the handler module the same way.
        Map<String, String> env = Map.of("PYTHONPATH", pkg.resolve("src") + ":" + pkg.resolve("tests"));
        cluster.startIn("manager", Map.of(), "manager", "--config", config.toString());
        cluster.startIn("assistant", env, "assistant", "--config", config.toString(), "--address", "127.0.0.2",
                "--port", String.valueOf(assistantPort));
        try (cluster; EarthlingClient client = EarthlingClient.connect("127.0.0.1", managerPort)) {
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> client.nodes().stream().anyMatch(v -> v.status().equals("ONLINE") && v.workers() == 4));

            JobSpec javaJob = JobSpec.of("noop", "{}");
            JobSpec pythonJob = JobSpec.of("py.noop", "{}");
            JobSpec commandJob = JobSpec.of("command", "{\"command\": \"" + PythonWorkersIT.PYTHON
                    + "\", \"args\": [\"-m\", \"earthling.once\", \"sample_handlers\", \"py.noop\"], \"stdin\": \"{}\"}");
            phase(client, "warm-java", javaJob, Math.min(jobs, 2000));
            phase(client, "warm-python", pythonJob, Math.min(jobs, 2000));
            phase(client, "warm-command", commandJob, 20);
            // Two rounds in alternating order, so neither runtime gains from going second; the faster of each.
            double javaS = phase(client, "java-1", javaJob, jobs);
            double pythonS = phase(client, "python-1", pythonJob, jobs);
            pythonS = Math.min(pythonS, phase(client, "python-2", pythonJob, jobs));
            javaS = Math.min(javaS, phase(client, "java-2", javaJob, jobs));
            double commandS = phase(client, "command", commandJob, commandJobs);
            String load = Files.readString(Path.of("/proc/loadavg")).trim();

            double javaRate = jobs / javaS;
            double pythonRate = jobs / pythonS;
            double pythonMs = 2 * pythonS * 1000 / jobs; // per job on one of the two workers
            double commandMs = 2 * commandS * 1000 / commandJobs;
            String report = String.format("no-op jobs, 2 workers each, PostgreSQL, one assistant with 2 Java + 2 Python"
                            + " workers; faster of 2 rounds; load average after: %s%n"
                            + "Java workers   (noop):    %d jobs in %.2f s = %.0f jobs/s%n"
                            + "Python workers (py.noop): %d jobs in %.2f s = %.0f jobs/s (%.2f x Java)%n"
                            + "command, python3 -m earthling.once per job: %d jobs in %.2f s = %.1f jobs/s%n"
                            + "per job on one worker: Python worker %.2f ms, command %.1f ms (%.0f x)%n",
                    load, jobs, javaS, javaRate, jobs, pythonS, pythonRate, pythonRate / javaRate, commandJobs, commandS,
                    commandJobs / commandS, pythonMs, commandMs, commandMs / pythonMs);
            cluster.write("report.txt", report);
            System.out.print(report);
        }
    }

    /** Submits {@code count} jobs into a paused queue, resumes it and returns the seconds until all are final. */
    private static double phase(EarthlingClient client, String queue, JobSpec job, int count) {
        client.pause(queue, true);
        List<Long> ids = new ArrayList<>();
        for (int done = 0; done < count; done += 1000) {
            ids.addAll(client.submitAll(Collections.nCopies(Math.min(1000, count - done), job.withQueue(queue))));
        }
        long t0 = System.nanoTime();
        client.pause(queue, false);
        List<JobView> finals = new ArrayList<>();
        while (finals.size() < ids.size()) {
            List<Long> next = ids.subList(finals.size(), Math.min(ids.size(), finals.size() + 1000));
            List<JobView> now = client.await(next, Duration.ofMinutes(10));
            assertThat(now).as("jobs of phase %s final", queue).hasSize(next.size());
            finals.addAll(now);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(finals).as("phase %s", queue).extracting(JobView::state).containsOnly(JobState.SUCCEEDED);
        return seconds;
    }
}
