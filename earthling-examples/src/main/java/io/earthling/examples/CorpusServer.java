package io.earthling.examples;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Serves {@link TextMiningCorpus} pages over HTTP on the loopback address, on a free port, until closed. */
public final class CorpusServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "corpus-server");
        t.setDaemon(true);
        return t;
    });

    private CorpusServer(HttpServer server) {
        this.server = server;
    }

    public static CorpusServer start(List<TextMiningCorpus.Page> pages) {
        // Headers and body go out in two writes: with Nagle's algorithm each response waits for a delayed ACK.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        Map<String, byte[]> byPath = new HashMap<>();
        pages.forEach(p -> byPath.put(p.path(), p.html().getBytes(StandardCharsets.UTF_8)));
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            CorpusServer s = new CorpusServer(http);
            http.createContext("/", exchange -> {
                byte[] body = byPath.get(exchange.getRequestURI().getPath());
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    if (body != null) {
                        out.write(body);
                    }
                }
            });
            http.setExecutor(s.threads);
            http.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the corpus server on the loopback address", e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, no trailing slash. */
    public String url() {
        return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
