package io.earthling.worker.internal;

import io.earthling.api.EarthlingException;
import io.earthling.api.JobHandler;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/** Finds {@link JobHandler}s in the {@code *.jar} files of a directory, each jar in its own class loader. */
public final class HandlerJars {
    private HandlerJars() {
    }

    /** No directory means no handlers: the default {@code handlers} directory is optional. */
    public static List<JobHandler> load(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<JobHandler> out = new ArrayList<>();
        for (Path jar : jars(dir)) {
            URLClassLoader loader = new URLClassLoader(new URL[] {url(jar)}, JobHandler.class.getClassLoader());
            try {
                // The parent's providers show up here too; keep only the classes this jar defines.
                ServiceLoader.load(JobHandler.class, loader).stream()
                        .filter(p -> p.type().getClassLoader() == loader)
                        .forEach(p -> out.add(p.get()));
            } catch (ServiceConfigurationError e) {
                throw new EarthlingException("cannot load a job handler from " + jar + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static List<Path> jars(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new EarthlingException("cannot list handler jars in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new EarthlingException("not a usable jar path: " + jar, e);
        }
    }
}
