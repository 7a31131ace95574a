package io.earthling.config;

import io.earthling.api.EarthlingException;

/** Bad configuration: one line naming the key path (or file and line) and the reason. */
public class ConfigException extends EarthlingException {
    public ConfigException(String message) {
        super(message);
    }
}
