package io.earthling.config;

/** A host and port something listens on. */
public record Endpoint(String address, int port) {
    /** "address:port", the form gRPC channels take. */
    public String target() {
        return address + ":" + port;
    }

    @Override
    public String toString() {
        return target();
    }
}
