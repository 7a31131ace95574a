package io.earthling.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes the jar the assistants load from {@code worker.handlersDir}: {@link EvidenceHandler}'s class file and
 * its {@code ServiceLoader} entry, taken from this harness's own class path (classes directory or shaded jar), so
 * the harness needs no second build artifact.
 */
final class HandlerJar {
    private HandlerJar() {
    }

    static Path write(Path handlersDir) {
        String classFile = EvidenceHandler.class.getName().replace('.', '/') + ".class";
        try (InputStream in = HandlerJar.class.getClassLoader().getResourceAsStream(classFile)) {
            if (in == null) {
                throw new IllegalStateException("class file not found on the class path: " + classFile);
            }
            byte[] bytes = in.readAllBytes();
            Files.createDirectories(handlersDir);
            Path jar = handlersDir.resolve("earthling-faults-handlers.jar");
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().putValue("Manifest-Version", "1.0");
            try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
                out.putNextEntry(new JarEntry(classFile));
                out.write(bytes);
                out.closeEntry();
                out.putNextEntry(new JarEntry("META-INF/services/io.earthling.api.JobHandler"));
                out.write((EvidenceHandler.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
