package io.earthling.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.earthling.api.EarthlingClient;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.api.NodeView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 18: an assistant with two Java and two Python worker processes ({@code runtime: python}, the package of
 * clients/python). Needs Debian's python3-grpcio and python3-protobuf (.ci/run installs them); without them the
 * Python workers do not start and every test here fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PythonWorkersIT {
    static final String PYTHON = "/usr/bin/python3";
    static final Path PACKAGE = Path.of("..", "clients", "python").toAbsolutePath().normalize();

    private Cluster cluster;
    private EarthlingClient client;
    private Connection db;
    private final int managerPort = Cluster.freePort();
    private final List<Integer> javaPorts = List.of(Cluster.freePort(), Cluster.freePort());
    private final List<Integer> pythonPorts = List.of(Cluster.freePort(), Cluster.freePort());

    @BeforeAll
    void startACluster() throws Exception {
        String url = TestPostgres.freshDatabase();
        cluster = new Cluster("python-workers");
        int assistantPort = Cluster.freePort();
        Path config = cluster.write("earthling.yaml", "rpc:\n"
                + "  manager: { address: '127.0.0.1', port: " + managerPort + " }\n"
                + "  assistant:\n    - { address: '127.0.0.2', port: " + assistantPort + ", workers: ["
                + javaPorts.get(0) + ", " + javaPorts.get(1) + ", { port: " + pythonPorts.get(0) + ", runtime: python },"
                + " { port: " + pythonPorts.get(1) + ", runtime: python }] }\n"
                + "store: { url: \"" + url + "\" }\n"
                + "worker:\n  python:\n    interpreter: " + PYTHON + "\n"
                + "    modules: [sample_handlers, cluster_handlers, earthling.examples.textmining]\n"
                + "    path: ['" + PACKAGE.resolve("src") + "', '" + PACKAGE.resolve("tests") + "']\n");
        cluster.start("manager", "manager", "--config", config.toString());
        cluster.start("assistant", "assistant", "--config", config.toString(), "--address", "127.0.0.2",
                "--port", String.valueOf(assistantPort));
        client = EarthlingClient.connect("127.0.0.1", managerPort);
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> client.nodes().stream().anyMatch(n -> n.status().equals("ONLINE") && n.workers() == 4));
        db = DriverManager.getConnection(url);
    }

    @AfterAll
    void stop() throws Exception {
        if (db != null) {
            db.close();
        }
        if (client != null) {
            client.close();
        }
        cluster.close();
    }

    @Test
    @Order(1)
    void the_node_reports_the_types_of_its_python_workers_beside_the_java_ones() {
        NodeView node = client.nodes().get(0);
        assertThat(node.types()).contains("mark", "noop", "py.mark", "py.raise", "py.sleep", "analyze-py");
        assertThat(Workers.of(cluster.process("assistant"))).extracting(Workers.Worker::port)
                .containsExactlyInAnyOrderElementsOf(concat(javaPorts, pythonPorts));
    }

    @Test
    @Order(2)
    void two_thousand_java_and_python_jobs_all_succeed_once_each_on_the_right_runtime() throws Exception {
        Path marks = cluster.dir().resolve("marks-mixed-" + System.nanoTime() + ".txt");
        String payload = "{\"file\": \"" + marks + "\"}";
        List<JobSpec> jobs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            jobs.add(JobSpec.of("mark", payload));
            jobs.add(JobSpec.of("py.mark", payload));
        }
        List<Long> ids = client.submitAll(jobs);
        List<JobView> done = awaitFinal(ids, Duration.ofMinutes(5));

        assertThat(done).extracting(JobView::state).containsOnly(JobState.SUCCEEDED);
        Map<String, List<String>> runs = Files.readAllLines(marks).stream()
                .collect(Collectors.groupingBy(l -> l.split(" ")[0]));
        assertThat(runs).hasSize(2000).allSatisfy((id, lines) -> assertThat(lines).as("runs of job %s", id).hasSize(1));
        Set<String> python = ids.stream().filter(id -> (ids.indexOf(id) % 2) == 1).map(String::valueOf)
                .collect(Collectors.toSet());
        runs.forEach((id, lines) -> assertThat(lines.get(0).contains(" python "))
                .as("job %s ran on its runtime: %s", id, lines.get(0)).isEqualTo(python.contains(id)));
        for (JobView j : done) {
            int port = Integer.parseInt(j.worker().substring(j.worker().lastIndexOf(':') + 1));
            assertThat(j.type().startsWith("py.") ? pythonPorts : javaPorts).as("worker of %s", j).contains(port);
        }
    }

    @Test
    @Order(3)
    void a_python_handler_that_raises_shows_its_traceback_as_the_attempts_error() {
        long id = client.submit(JobSpec.of("py.raise", "{\"what\": \"page 7\"}").withMaxAttempts(1));
        JobView j = awaitFinal(List.of(id), Duration.ofSeconds(60)).get(0);

        assertThat(j.state()).isEqualTo(JobState.DEAD);
        assertThat(j.error()).contains("Traceback (most recent call last):", "in _deeper",
                "ValueError: bad input: page 7");
    }

    @Test
    @Order(4)
    void a_timeout_and_a_cancel_stop_a_python_job_without_killing_its_worker() throws Exception {
        List<Long> pidsBefore = pythonPids();
        long timedOut = client.submit(JobSpec.of("py.sleep", "{\"ms\": 600000}").withTimeout(Duration.ofMillis(500))
                .withMaxAttempts(1));
        long cancelled = client.submit(JobSpec.of("py.sleep", "{\"ms\": 600000}"));
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> client.get(cancelled).orElseThrow().state() == JobState.RUNNING);
        client.cancel(cancelled);

        List<JobView> done = awaitFinal(List.of(timedOut, cancelled), Duration.ofSeconds(60));
        assertThat(done.get(0).state()).isEqualTo(JobState.DEAD);
        assertThat(done.get(0).error()).isEqualTo("timed out after 500 ms");
        assertThat(done.get(1).state()).isEqualTo(JobState.CANCELLED);
        // Both workers are free again and were never killed: the handler itself stopped (JobStopped in sleep).
        long after = client.submit(JobSpec.of("py.mark", "{\"file\": \"" + cluster.dir().resolve("after.txt") + "\"}"));
        assertThat(awaitFinal(List.of(after), Duration.ofSeconds(60)).get(0).state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(pythonPids()).isEqualTo(pidsBefore);
        assertThat(cluster.log("assistant")).doesNotContain("killing the worker process");
    }

    @Test
    @Order(5)
    void kill_9_of_python_workers_mid_job_loses_nothing_the_jobs_run_again_and_the_workers_come_back()
            throws Exception {
        Path marks = cluster.dir().resolve("marks-kill-" + System.nanoTime() + ".txt");
        List<Long> ids = client.submitAll(Collections.nCopies(40,
                JobSpec.of("py.mark", "{\"file\": \"" + marks + "\", \"sleepMs\": 200}")));
        List<Workers.Worker> killed = new ArrayList<>();
        for (int port : pythonPorts) {
            // Mid-job: once this worker has marked a job it is sleeping in it.
            Workers.Worker w = pythonWorker(port);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(marks) && Files.readString(marks).contains(" python " + w.handle().pid()));
            w.handle().destroyForcibly();
            killed.add(w);
        }

        List<JobView> done = awaitFinal(ids, Duration.ofMinutes(3));
        assertThat(done).extracting(JobView::state).containsOnly(JobState.SUCCEEDED);
        Map<String, Long> runs = Files.readAllLines(marks).stream().map(l -> l.split(" ")[0])
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(runs).hasSize(40);
        long lost = Db.count(db, "SELECT count(*) FROM job_events WHERE kind = 'FAILED' AND detail LIKE '%died%'");
        assertThat(lost).as("attempts lost with the killed workers, each run again").isBetween(1L, 2L);
        assertThat(runs.values().stream().mapToLong(n -> n - 1).sum()).as("extra runs").isLessThanOrEqualTo(lost);
        for (Workers.Worker w : killed) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Workers.listening(w.address(), w.port()) && pythonWorker(w.port()).handle().pid()
                            != w.handle().pid());
        }
        assertThat(client.nodes().get(0).broken()).isZero();
    }

    @Test
    @Order(6)
    void the_python_client_submits_with_an_idempotency_key_and_waits_on_the_cluster() throws Exception {
        Path script = cluster.write("client.py", String.join("\n",
                "import json, sys",
                "from earthling.client import Client, EarthlingError",
                "with Client(sys.argv[1]) as c:",
                "    first = c.submit('py.echo', {'n': 1}, queue='default', priority=3, idempotency_key='py-it-1')",
                "    again = c.submit('py.echo', {'n': 1}, idempotency_key='py-it-1')",
                "    try:",
                "        c.submit('py.echo', {'n': 2}, idempotency_key='py-it-1')",
                "    except EarthlingError as e:",
                "        print(e)",
                "    batch = c.submit_batch([('py.echo', {'n': 3}), ('mark', {'file': sys.argv[2]})])",
                "    done = c.wait([first] + [i for i, _ in batch], timeout_s=60)",
                "    print(json.dumps({'same': first == again, 'states': [j.state for j in done],",
                "                      'result': done[0].result, 'got': c.get(first).state}))",
                ""));
        ProcessBuilder b = new ProcessBuilder(PYTHON, script.toString(), "127.0.0.1:" + managerPort,
                cluster.dir().resolve("client-mark.txt").toString()).redirectErrorStream(true);
        b.environment().put("PYTHONPATH", PACKAGE.resolve("src").toString());
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("idempotencyKey: \"py-it-1\" in queue \"default\" already belongs to job "
                + out.replaceAll("(?s).*already belongs to job (\\d+).*", "$1") + " with a different payload\n"
                + "{\"same\": true, \"states\": [\"SUCCEEDED\", \"SUCCEEDED\", \"SUCCEEDED\"],"
                + " \"result\": {\"n\": 1}, \"got\": \"SUCCEEDED\"}");
    }

    private Workers.Worker pythonWorker(int port) {
        return Workers.of(cluster.process("assistant")).stream().filter(w -> w.port() == port).findFirst()
                .orElseThrow(() -> new AssertionError("no worker process on port " + port));
    }

    private List<Long> pythonPids() {
        return pythonPorts.stream().map(p -> pythonWorker(p).handle().pid()).toList();
    }

    private List<JobView> awaitFinal(List<Long> ids, Duration within) {
        List<JobView> done = new ArrayList<>();
        long deadline = System.nanoTime() + within.toNanos();
        while (done.size() < ids.size() && System.nanoTime() < deadline) {
            List<Long> left = ids.subList(done.size(), ids.size());
            List<JobView> now = client.await(left.subList(0, Math.min(500, left.size())), Duration.ofSeconds(30));
            if (now.size() == Math.min(500, left.size())) {
                done.addAll(now);
            }
        }
        assertThat(done).as("jobs final within %s", within).hasSize(ids.size());
        return done;
    }

    private static List<Integer> concat(List<Integer> a, List<Integer> b) {
        List<Integer> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
