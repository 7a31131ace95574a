package io.earthling.worker;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobHandler;
import io.earthling.worker.internal.CommandEnvironment;
import io.earthling.worker.internal.CommandHandler;
import io.earthling.worker.internal.EchoHandler;
import io.earthling.worker.internal.FailHandler;
import io.earthling.worker.internal.HandlerJars;
import io.earthling.worker.internal.NoopHandler;
import io.earthling.worker.internal.PipelineHandler;
import io.earthling.worker.internal.SleepHandler;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The job types a worker runs: built-ins, handlers on the classpath, and handlers in jars under a directory. */
public final class HandlerRegistry {
    /** The default of {@code worker.commandEnv}: what a {@code command} job sees of the worker's environment. */
    public static final List<String> DEFAULT_COMMAND_ENV = CommandEnvironment.DEFAULT;

    /** Where the jar's example handlers live. */
    public static final String EXAMPLES_PACKAGE = "io.earthling.examples";

    private final Map<String, JobHandler> byType;

    private HandlerRegistry(Map<String, JobHandler> byType) {
        this.byType = Collections.unmodifiableMap(byType);
    }

    /** Throws {@link EarthlingException} if two handlers claim one type or a handler cannot be loaded. */
    public static HandlerRegistry load(Path handlersDirOrNull, List<String> commandAllowList) {
        return load(handlersDirOrNull, commandAllowList, CommandEnvironment.DEFAULT);
    }

    /** {@code commandEnv}: the variables a {@code command} job may see ({@code worker.commandEnv}). */
    public static HandlerRegistry load(Path handlersDirOrNull, List<String> commandAllowList, List<String> commandEnv) {
        return load(handlersDirOrNull, commandAllowList, commandEnv, true);
    }

    /**
     * {@code examples}: whether the example handlers of the jar ({@code crawl}, {@code wordcount}, ... in
     * {@value #EXAMPLES_PACKAGE}) run here ({@code worker.examples}); {@code crawl} and {@code preprocess-doc} fetch
     * any URL they are given, which a production worker should not.
     */
    public static HandlerRegistry load(Path handlersDirOrNull, List<String> commandAllowList, List<String> commandEnv,
                                       boolean examples) {
        Map<String, JobHandler> byType = new TreeMap<>();
        for (JobHandler h : List.of(new NoopHandler(), new EchoHandler(), new SleepHandler(), new FailHandler(),
                new CommandHandler(commandAllowList, commandEnv, CommandHandler.MAX_OUTPUT_BYTES), new PipelineHandler(),
                new PipelineHandler.Pass())) {
            add(byType, h);
        }
        try {
            ServiceLoader.load(JobHandler.class).stream()
                    .filter(p -> examples || !p.type().getName().startsWith(EXAMPLES_PACKAGE + "."))
                    .forEach(p -> add(byType, p.get()));
        } catch (ServiceConfigurationError e) {
            throw new EarthlingException("cannot load a job handler from the classpath: " + e.getMessage(), e);
        }
        if (handlersDirOrNull != null) {
            HandlerJars.load(handlersDirOrNull).forEach(h -> add(byType, h));
        }
        return new HandlerRegistry(byType);
    }

    /** Exactly these handlers, for tests and embedding. */
    static HandlerRegistry of(List<JobHandler> handlers) {
        Map<String, JobHandler> byType = new TreeMap<>();
        handlers.forEach(h -> add(byType, h));
        return new HandlerRegistry(byType);
    }

    public Optional<JobHandler> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The type names, sorted. */
    public Set<String> types() {
        return byType.keySet();
    }

    private static void add(Map<String, JobHandler> byType, JobHandler handler) {
        String type = handler.type();
        if (type == null || type.isBlank()) {
            throw new EarthlingException("job handler " + handler.getClass().getName() + " has no type name");
        }
        JobHandler earlier = byType.putIfAbsent(type, handler);
        if (earlier != null) {
            throw new EarthlingException("job type '" + type + "' is claimed twice: by "
                    + earlier.getClass().getName() + " and by " + handler.getClass().getName());
        }
    }
}
