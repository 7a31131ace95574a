package io.earthling.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.earthling.api.EarthlingClient;
import io.earthling.api.EarthlingException;
import io.earthling.api.JobSpec;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.assistant.Assistant;
import io.earthling.config.EarthlingConfig;
import io.earthling.config.Endpoint;
import io.earthling.examples.DemoCorpus;
import io.earthling.manager.Manager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Starts the all-in-one cluster (manager, one assistant, 3 worker processes, embedded H2),",
                "counts the words of a generated corpus with one job per document, and prints a summary."})
final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOption config;

    @Option(names = "--docs", description = "how many documents (default 300)")
    int docs = 300;

    @Override
    public Integer call() throws Exception {
        if (docs < 1 || docs > 100_000) {
            throw new EarthlingException("--docs: must be between 1 and 100000, got " + docs);
        }
        EarthlingConfig c = config.load();
        Endpoint m = c.managers().get(0);
        say("Starting the manager on %s (%s) and its assistants' worker processes...", m.target(), c.store().url());
        Manager manager = Roles.startManager(c);
        List<Assistant> assistants = new ArrayList<>();
        try (EarthlingClient client = EarthlingClient.connect(m.address(), m.port())) {
            assistants.addAll(Roles.startLocalAssistants(c, false));
            int workers = awaitWorkers(client, assistants.isEmpty() ? 1 : c.assistants().stream()
                    .filter(a -> Roles.isLocal(a.address())).mapToInt(a -> a.workers().size()).sum());
            return run(client, workers, manager::batchSummary);
        } finally {
            assistants.forEach(Assistant::close);
            manager.close();
        }
    }

    private int run(EarthlingClient client, int workers, java.util.function.Supplier<String> dbWrites) {
        List<DemoCorpus.Document> corpus = DemoCorpus.generate(docs, 42);
        List<JobSpec> specs = new ArrayList<>();
        for (DemoCorpus.Document d : corpus) {
            ObjectNode p = JSON.createObjectNode().put("doc", d.name()).put("text", d.text());
            specs.add(JobSpec.of("wordcount", p.toString()));
        }
        say("Submitting %d wordcount jobs (one per document) to %d worker processes...", specs.size(), workers);
        long t0 = System.nanoTime();
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < specs.size(); i += 1000) {
            ids.addAll(client.submitAll(specs.subList(i, Math.min(specs.size(), i + 1000))));
        }
        List<JobView> done = List.of();
        while (done.size() < ids.size()) {
            done = client.await(ids, Duration.ofMillis(500));
            System.out.printf("\r  progress: %d/%d jobs final", done.size(), ids.size());
            System.out.flush();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.println();
        return summarize(done, seconds, dbWrites.get());
    }

    private int summarize(List<JobView> done, double seconds, String dbWrites) {
        Map<JobState, Integer> states = new TreeMap<>();
        Map<String, Integer> perWorker = new TreeMap<>();
        Map<String, Long> counts = new HashMap<>();
        long words = 0;
        for (JobView j : done) {
            states.merge(j.state(), 1, Integer::sum);
            if (j.worker() != null) {
                perWorker.merge(j.worker(), 1, Integer::sum);
            }
            if (j.state() == JobState.SUCCEEDED && j.result() != null) {
                JsonNode r = read(j.result());
                words += r.path("words").asLong();
                r.path("counts").fields().forEachRemaining(e -> counts.merge(e.getKey(), e.getValue().asLong(), Long::sum));
            }
        }
        say("");
        say("Summary");
        say("  jobs            %d %s", done.size(), states);
        say("  wall time       %.2f s", seconds);
        say("  throughput      %.1f jobs/s", done.size() / seconds);
        say("  words counted   %d (%d distinct)", words, counts.size());
        say("  jobs per worker process:");
        perWorker.forEach((w, n) -> say("    %-24s %d", w, n));
        say("  top words:");
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey())).limit(10)
                .forEach(e -> say("    %-16s %d", e.getKey(), e.getValue()));
        say("  DB writes       %s", dbWrites);
        boolean ok = states.keySet().equals(java.util.Set.of(JobState.SUCCEEDED));
        say(ok ? "Demo finished: every job SUCCEEDED." : "Demo finished with jobs that did not succeed: " + states);
        return ok ? 0 : 1;
    }

    private static int awaitWorkers(EarthlingClient client, int expected) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            int ready = client.nodes().stream().filter(n -> n.types().contains("wordcount"))
                    .mapToInt(n -> n.workers()).sum();
            if (ready >= expected) {
                return ready;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new EarthlingException("no assistant with the wordcount handler registered within 60 s");
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new EarthlingException("unreadable result: " + e.getMessage());
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
