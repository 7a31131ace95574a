package io.earthling.cli;

import io.earthling.config.ConfigLoader;
import io.earthling.config.EarthlingConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --config FILE}: the YAML of docs/configuration.md; every key has a default, and EARTHLING_* variables override keys. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML configuration (default: built-in defaults)")
    Path file;

    EarthlingConfig load() {
        return ConfigLoader.load(file, System.getenv());
    }
}
