package io.earthling.cli;

import io.earthling.api.EarthlingException;
import java.io.IOException;
import java.net.ServerSocket;

/** A port nothing listens on right now, for nodes that join without a YAML entry. */
final class FreePorts {
    private FreePorts() {
    }

    static int next() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new EarthlingException("cannot find a free port: " + e.getMessage());
        }
    }
}
