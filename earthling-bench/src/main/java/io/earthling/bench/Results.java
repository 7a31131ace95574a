package io.earthling.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Everything one bench run measured; written as {@code results.json} next to the report. */
record Results(Environment environment, List<String> workloads, List<Throughput.Result> throughput,
        List<PickupLatency.Result> pickup, List<IdleLoad.Result> idle, List<LoadPerJobs.Result> load,
        List<Scaling.Result> scaling) {

    static Results empty(Environment env, List<String> workloads) {
        return new Results(env, List.copyOf(workloads), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>());
    }

    boolean complete() {
        return throughput.stream().allMatch(Throughput.Result::complete)
                && pickup.stream().allMatch(PickupLatency.Result::complete)
                && scaling.stream().allMatch(Scaling.Result::complete);
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    static Results read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Results.class);
    }
}
