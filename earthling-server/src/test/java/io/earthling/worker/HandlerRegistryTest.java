package io.earthling.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.earthling.api.EarthlingException;
import io.earthling.api.JobHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandlerRegistryTest {
    @TempDir
    Path dir;

    @Test
    void aMissingHandlersDirectoryMeansOnlyTheBuiltInsAndTheClasspathHandlers() {
        // The examples module is on this classpath and registers wordcount, mark and spin.
        assertThat(HandlerRegistry.load(dir.resolve("nope"), List.of()).types()).hasSize(22);
    }

    @Test
    void without_examples_the_jars_example_handlers_are_left_out_and_the_rest_stay() {
        HandlerRegistry registry = HandlerRegistry.load(null, List.of(), HandlerRegistry.DEFAULT_COMMAND_ENV, false);
        assertThat(registry.types()).doesNotContain("crawl", "preprocess-doc", "wordcount", "mark")
                .contains("echo", "noop", "sleep", "fail", "command", "pipeline");
    }

    @Test
    void aHandlerInAJarUnderTheHandlersDirectoryIsLoaded() throws Exception {
        Path handlers = Files.createDirectories(dir.resolve("handlers"));
        handlerJar(handlers.resolve("shout.jar"), "demo.Shout", "shout");

        HandlerRegistry registry = HandlerRegistry.load(handlers, List.of());

        assertThat(registry.types()).containsExactly("analyze", "command", "crawl", "double-sum", "echo", "fail", "fanout", "leaf", "mark", "noop", "pipeline",
                "pipeline-pass", "preprocess", "preprocess-collect", "preprocess-doc", "shout", "sleep",
                "spin", "sum", "wordcount", "wordcount-merge", "wordcount-part", "wordcount-split");
        Outcome outcome = new JobRunner(registry).run(new Execution(1, "shout", "default", "{}", 1, 0));
        assertThat(outcome.result()).isEqualTo("\"shout\"");
    }

    @Test
    void twoHandlersOfOneTypeAreAnErrorNamingBothClasses() throws Exception {
        Path handlers = Files.createDirectories(dir.resolve("handlers"));
        handlerJar(handlers.resolve("a.jar"), "demo.First", "twice");
        handlerJar(handlers.resolve("b.jar"), "demo.Second", "twice");

        assertThatThrownBy(() -> HandlerRegistry.load(handlers, List.of()))
                .isInstanceOf(EarthlingException.class)
                .hasMessage("job type 'twice' is claimed twice: by demo.First and by demo.Second");
    }

    @Test
    void aHandlerShadowingABuiltInIsAnError() throws Exception {
        Path handlers = Files.createDirectories(dir.resolve("handlers"));
        handlerJar(handlers.resolve("echo.jar"), "demo.MyEcho", "echo");

        assertThatThrownBy(() -> HandlerRegistry.load(handlers, List.of()))
                .hasMessageContaining("'echo'").hasMessageContaining("EchoHandler").hasMessageContaining("demo.MyEcho");
    }

    /** Compiles a one-class handler returning its type name as a JSON string, and jars it with its service entry. */
    private void handlerJar(Path jar, String className, String type) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src-" + className));
        Path classes = Files.createDirectories(dir.resolve("classes-" + className));
        String pkg = className.substring(0, className.lastIndexOf('.'));
        String simple = className.substring(className.lastIndexOf('.') + 1);
        Path file = src.resolve(simple + ".java");
        Files.writeString(file, "package " + pkg + "; public class " + simple + " implements io.earthling.api.JobHandler {"
                + " public String type() { return \"" + type + "\"; }"
                + " public String handle(io.earthling.api.JobContext c) { return \"\\\"" + type + "\\\"\"; } }");
        String classpath = location(JobHandler.class) + java.io.File.pathSeparator + location(JsonNode.class);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null,
                "-cp", classpath, "-d", classes.toString(), file.toString());
        assertThat(rc).isZero();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> all = Files.walk(classes)) {
            for (Path c : all.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(c).toString()));
                out.write(Files.readAllBytes(c));
            }
            out.putNextEntry(new JarEntry("META-INF/services/io.earthling.api.JobHandler"));
            out.write((className + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
