package io.earthling.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.earthling.api.EarthlingException;
import io.earthling.api.internal.JsonErrors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A JSON option's value as given: the JSON itself, {@code @FILE} for a file's text, or {@code -} for standard input. */
final class JsonArgument {
    static final String LABEL = "JSON|@FILE|-";
    private static final JsonFactory JSON = new JsonFactory();

    private JsonArgument() {
    }

    /** The JSON text, checked: a typo is named here with its place, before anything reaches the manager. */
    static String read(String option, String value) {
        String text = text(option, value);
        try (JsonParser p = JSON.createParser(text)) {
            if (p.nextToken() == null) {
                throw new EarthlingException(option + ": empty, expected JSON such as {\"n\": 1}" + from(value));
            }
            p.skipChildren();
            if (p.nextToken() != null) {
                throw new EarthlingException(option + ": not valid JSON: more after the first value" + from(value));
            }
        } catch (JsonProcessingException e) {
            throw new EarthlingException(option + ": not valid JSON: " + JsonErrors.describe(e) + from(value)
                    + (from(value).isEmpty() && !value.startsWith("{") && !value.startsWith("[") ? "; quote JSON for the shell, e.g. '{\"n\": 1}'" : ""));
        } catch (IOException e) {
            throw new EarthlingException(option + ": " + e.getMessage());
        }
        return text;
    }

    private static String from(String value) {
        return value.equals("-") ? " (from standard input)" : value.startsWith("@") ? " (in " + value.substring(1) + ")" : "";
    }

    private static String text(String option, String value) {
        if (value.equals("-")) {
            try {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new EarthlingException(option + ": cannot read standard input: " + e.getMessage());
            }
        }
        if (!value.startsWith("@")) {
            return value;
        }
        Path file = Path.of(value.substring(1));
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new EarthlingException(option + ": no file " + file + " (@FILE reads a file; give the JSON itself without @)");
        } catch (IOException e) {
            throw new EarthlingException(option + ": cannot read " + file + ": " + e.getMessage());
        }
    }
}
