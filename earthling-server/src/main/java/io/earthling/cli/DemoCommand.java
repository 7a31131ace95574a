package io.earthling.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.earthling.api.EarthlingClient;
import io.earthling.api.EarthlingException;
import io.earthling.api.JobState;
import io.earthling.api.JobView;
import io.earthling.api.PipelineView;
import io.earthling.assistant.Assistant;
import io.earthling.config.EarthlingConfig;
import io.earthling.config.Endpoint;
import io.earthling.examples.CorpusServer;
import io.earthling.examples.TextMiningCorpus;
import io.earthling.manager.Manager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the text-mining pipeline (crawl -> preprocess -> analyze) and prints its top terms.",
                "The pipeline runs over a generated web site that it serves on 127.0.0.1, and prints each stage's progress",
                "and the top terms of the word co-occurrence network by degree and betweenness centrality.",
                "Without --config: the all-in-one cluster (manager,",
                "one assistant, 3 worker processes, embedded H2). With --config: that cluster if its manager answers,",
                "else the roles of the config that are local, started in this process."})
final class DemoCommand implements Callable<Integer> {
    static final String PIPELINE = "textmining";
    static final List<String> STAGES = List.of("crawl", "preprocess", "analyze");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ConfigOption config;

    @Option(names = "--pages", paramLabel = "N", description = "how many pages the generated site has (default 200)")
    int pages = 200;

    @Override
    public Integer call() throws Exception {
        if (pages < 1 || pages > 5_000) {
            throw new EarthlingException("--pages: must be between 1 and 5000, got " + pages);
        }
        EarthlingConfig c = config.load();
        Endpoint m = c.managers().get(0);
        try (EarthlingClient client = EarthlingClient.connect(m.address(), m.port())) {
            if (config.file != null && answers(client)) {
                say("Using the cluster of %s (manager %s).", config.file, m.target());
                return run(client, c, 1);
            }
            say("Starting the manager on %s (%s) and its assistants' worker processes...", m.target(), c.store().url());
            Manager manager = Roles.startManager(c);
            List<Assistant> assistants = new ArrayList<>();
            try {
                assistants.addAll(Roles.startLocalAssistants(c, false));
                return run(client, c, c.assistants().stream().filter(a -> Roles.isLocal(a.address()))
                        .mapToInt(a -> a.workers().size()).sum());
            } finally {
                assistants.forEach(Assistant::close);
                manager.close();
            }
        }
    }

    private int run(EarthlingClient client, EarthlingConfig c, int expectedWorkers) throws Exception {
        List<String> stages = c.pipelines().getOrDefault(PIPELINE, STAGES);
        int workers = awaitWorkers(client, Math.max(1, expectedWorkers), stages);
        try (CorpusServer site = CorpusServer.start(TextMiningCorpus.generate(pages, 42))) {
            String start = site.url() + "/index.html";
            say("Serving a generated site of %d linked pages at %s", pages, start);
            long t0 = System.nanoTime();
            long run = client.runPipeline(PIPELINE, stages, JSON.createObjectNode().put("url", start).toString());
            say("Pipeline %s (run %d): %s on %d worker processes", PIPELINE, run, String.join(" -> ", stages), workers);
            List<JobView> done = List.of();
            String last = "";
            while (done.isEmpty()) {
                done = client.await(List.of(run), Duration.ofMillis(500));
                String now = progress(client.pipelineStatus(run));
                if (!now.equals(last)) {
                    say("  [%5.1f s] %s", (System.nanoTime() - t0) / 1e9, now);
                    last = now;
                }
            }
            JobView end = done.get(0);
            say("Pipeline %s in %.1f s", end.state(), (System.nanoTime() - t0) / 1e9);
            if (end.state() != JobState.SUCCEEDED) {
                say("  error: %s", end.error());
                return 1;
            }
            printTopTerms(JSON.readTree(end.result()));
            return 0;
        }
    }

    private static String progress(PipelineView v) {
        List<String> parts = new ArrayList<>();
        for (PipelineView.Stage s : v.stages()) {
            String children = s.children() == 0 ? "" : " " + s.childrenFinal() + "/" + s.children() + " docs";
            parts.add(s.type() + " " + s.state() + children);
        }
        return String.join(" | ", parts);
    }

    private static void printTopTerms(JsonNode r) {
        say("");
        say("Top terms (%d documents, co-occurrence network of %d terms and %d edges)",
                r.path("documents").asInt(), r.path("terms").asInt(), r.path("edges").asInt());
        say("  %-4s %-16s %8s   %-16s %12s", "rank", "by degree", "", "by betweenness", "");
        for (int i = 0; i < Math.max(r.path("degree").size(), r.path("betweenness").size()); i++) {
            JsonNode d = r.path("degree").path(i);
            JsonNode b = r.path("betweenness").path(i);
            say("  %-4d %-16s %8d   %-16s %12.2f", i + 1, d.path("term").asText(""), d.path("score").asLong(),
                    b.path("term").asText(""), b.path("score").asDouble());
        }
        say("End of top terms.");
    }

    private static boolean answers(EarthlingClient client) {
        try {
            client.nodes();
            return true;
        } catch (EarthlingException e) {
            return false;
        }
    }

    private static int awaitWorkers(EarthlingClient client, int expected, List<String> stages) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            int ready = 0;
            try {
                ready = client.nodes().stream().filter(n -> n.types().containsAll(stages))
                        .mapToInt(n -> n.workers()).sum();
            } catch (EarthlingException e) {
                // the manager is still starting: ask again below
            }
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
        throw new EarthlingException("no assistant with the text-mining handlers (" + String.join(", ", stages)
                + ") registered within 60 s");
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
