package io.earthling.config;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Reads the YAML file (optional), applies {@code EARTHLING_*} environment overrides, and validates. */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private ConfigLoader() {
    }

    /** @param fileOrNull the YAML file, or null for defaults; @param env usually {@code System.getenv()}. */
    public static EarthlingConfig load(Path fileOrNull, Map<String, String> env) {
        JsonNode tree = fileOrNull == null ? JsonNodeFactory.instance.objectNode() : read(fileOrNull);
        Map<String, String> envSources = new HashMap<>();
        tree = EnvOverrides.apply(tree, env, envSources);
        return ConfigBinder.bind(new ConfigNode(tree, "", envSources));
    }

    private static JsonNode read(Path file) {
        String where = "config file " + file;
        try {
            JsonNode tree = YAML.readTree(Files.readString(file));
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!tree.isObject()) {
                throw new ConfigException(where + ": expected a map of settings at the top level");
            }
            return tree;
        } catch (NoSuchFileException e) {
            throw new ConfigException(where + ": not found");
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new ConfigException(where + (line > 0 ? " line " + line : "") + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(where + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static String firstLine(String message) {
        String s = message == null ? "not valid YAML" : message.strip();
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).strip();
    }
}
