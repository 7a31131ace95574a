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
        Map<String, JobHandler> byType = new TreeMap<>();
        for (JobHandler h : List.of(new NoopHandler(), new EchoHandler(), new SleepHandler(), new FailHandler(),
                new CommandHandler(commandAllowList, commandEnv, CommandHandler.MAX_OUTPUT_BYTES), new PipelineHandler(),
                new PipelineHandler.Pass())) {
            add(byType, h);
        }
        try {
            ServiceLoader.load(JobHandler.class).forEach(h -> add(byType, h));
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
