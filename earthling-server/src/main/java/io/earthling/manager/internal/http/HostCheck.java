package io.earthling.manager.internal.http;

import java.util.Locale;

/**
 * Against DNS rebinding (issue 16, item 8): while HTTP listens on a loopback address without a token, a page on
 * any web site could make a browser call it under a name that resolves to 127.0.0.1; such a call carries that
 * name in its {@code Host} header. Then only loopback names and the bound address are accepted. With a token the
 * token protects every call, and any host is accepted. A plain object.
 */
final class HostCheck {
    private final String bound;
    private final boolean open;

    HostCheck(String boundAddress, boolean tokenSet) {
        this.bound = boundAddress.toLowerCase(Locale.ROOT);
        this.open = tokenSet || !isLoopback(boundAddress);
    }

    /** Whether a request with this {@code Host} header (null when absent) is served. */
    boolean allows(String hostHeader) {
        if (open) {
            return true;
        }
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String host = hostOf(hostHeader.trim().toLowerCase(Locale.ROOT));
        return host.equals(bound) || host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")
                || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** The host part of a Host header: without its port, an IPv6 literal without its brackets. */
    static String hostOf(String header) {
        if (header.startsWith("[")) {
            int end = header.indexOf(']');
            return end < 0 ? header : header.substring(1, end);
        }
        int colon = header.indexOf(':');
        return colon < 0 ? header : header.substring(0, colon);
    }

    private static boolean isLoopback(String address) {
        String a = address.toLowerCase(Locale.ROOT);
        return a.equals("localhost") || a.equals("::1") || a.startsWith("127.");
    }
}
