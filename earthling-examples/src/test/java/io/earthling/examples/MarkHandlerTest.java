package io.earthling.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkHandlerTest {
    @TempDir
    Path dir;

    @Test
    void eachRunAppendsOneLineWithJobIdAndAttempt() throws Exception {
        Path file = dir.resolve("marks.txt");
        String payload = "{\"file\": \"" + file + "\", \"sleepMs\": 1}";

        String first = new MarkHandler().handle(new TestContext(5, 1, payload));
        new MarkHandler().handle(new TestContext(5, 2, payload));
        new MarkHandler().handle(new TestContext(6, 1, payload));

        assertThat(first).isEqualTo("{\"marked\":5}");
        assertThat(Files.readAllLines(file)).containsExactly("5 1", "5 2", "6 1");
    }
}
